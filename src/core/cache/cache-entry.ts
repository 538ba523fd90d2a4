import type { Secret } from '../secret.js';
import type { ResolvedCacheOptions } from './cache-options.js';

/**
 * One cached secret and its timeline (epoch milliseconds from `Date.now()`). The times past `fetchedAt` are kept as
 * whole milliseconds after it: small integers live inside the object, where each epoch time would take a heap number
 * of its own (16 bytes; there is one entry per cached secret).
 */
export class CacheEntry {
  /** The value as fetched, never marked stale. */
  readonly secret: Secret;
  /** When it was fetched (or put). */
  readonly fetchedAt: number;
  /** Served marked stale even while fresh: the watch of its ref cannot confirm it (its checks fail). */
  unconfirmed = false;
  readonly #expiresIn: number;
  #refreshIn: number;
  readonly #staleIn: number;

  constructor(secret: Secret, fetchedAt: number, expiresIn: number, refreshIn: number, staleIn: number) {
    this.secret = secret;
    this.fetchedAt = fetchedAt;
    this.#expiresIn = expiresIn;
    this.#refreshIn = refreshIn;
    this.#staleIn = staleIn;
  }

  /** From then on a read no longer serves it as fresh. */
  get expiresAt(): number {
    return this.fetchedAt + this.#expiresIn;
  }

  /** From then on a read serves it and starts a background refresh; pushed back after a failed refresh. */
  get refreshAt(): number {
    return this.fetchedAt + this.#refreshIn;
  }

  set refreshAt(at: number) {
    this.#refreshIn = Math.ceil(at - this.fetchedAt);
  }

  /** Until then it may be served, marked stale, when fetching a new value fails. */
  get staleUntil(): number {
    return this.fetchedAt + this.#staleIn;
  }
}

/** Where an entry stands at `now`. */
export type EntryState = 'fresh' | 'refresh' | 'expired' | 'dead';

/**
 * Builds the entry of a secret fetched at `fetchedAt`, its ttl scaled by the jitter factor, or — for an entry read
 * back from disk — with the `expiresAt` it had, capped at one ttl after `fetchedAt`. Offsets are rounded to whole
 * milliseconds (`Date.now()`'s resolution).
 */
export function createEntry(
  secret: Secret,
  fetchedAt: number,
  options: ResolvedCacheOptions,
  expiresAt?: number,
): CacheEntry {
  const ttl =
    expiresAt === undefined
      ? options.ttlMs * (1 - options.jitter * options.random())
      : Math.min(expiresAt - fetchedAt, options.ttlMs);
  const expiresIn = Math.round(Math.max(0, ttl));
  return new CacheEntry(
    secret.withStale(false),
    fetchedAt,
    expiresIn,
    Math.round(expiresIn * options.refreshAhead),
    expiresIn + options.staleIfErrorMs,
  );
}

/** Where `entry` stands at `now`. */
export function entryState(entry: CacheEntry, now: number): EntryState {
  if (now > entry.staleUntil) return 'dead';
  if (now >= entry.expiresAt) return 'expired';
  return now >= entry.refreshAt ? 'refresh' : 'fresh';
}
