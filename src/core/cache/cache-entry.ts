import type { Secret } from '../secret.js';
import type { ResolvedCacheOptions } from './cache-options.js';

/** One cached secret and its timeline (epoch milliseconds from `Date.now()`). */
export interface CacheEntry {
  /** The value as fetched, never marked stale. */
  readonly secret: Secret;
  /** When it was fetched (or put). */
  readonly fetchedAt: number;
  /** From then on a read no longer serves it as fresh. */
  readonly expiresAt: number;
  /** From then on a read serves it and starts a background refresh; pushed back after a failed refresh. */
  refreshAt: number;
  /** Until then it may be served, marked stale, when fetching a new value fails. */
  readonly staleUntil: number;
  /** Served marked stale even while fresh: the watch of its ref cannot confirm it (its checks fail). */
  unconfirmed: boolean;
}

/** Where an entry stands at `now`. */
export type EntryState = 'fresh' | 'refresh' | 'expired' | 'dead';

/**
 * Builds the entry of a secret fetched at `fetchedAt`, its ttl scaled by the jitter factor, or — for an entry read
 * back from disk — with the `expiresAt` it had, capped at one ttl after `fetchedAt`.
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
  const expires = fetchedAt + Math.max(0, ttl);
  return {
    secret: secret.withStale(false),
    fetchedAt,
    expiresAt: expires,
    refreshAt: fetchedAt + Math.max(0, ttl) * options.refreshAhead,
    staleUntil: expires + options.staleIfErrorMs,
    unconfirmed: false,
  };
}

/** Where `entry` stands at `now`. */
export function entryState(entry: CacheEntry, now: number): EntryState {
  if (now > entry.staleUntil) return 'dead';
  if (now >= entry.expiresAt) return 'expired';
  return now >= entry.refreshAt ? 'refresh' : 'fresh';
}

/** The ttl to give lru-cache so that it drops the entry when its stale window ends (0: never). */
export function storageTtl(entry: CacheEntry, now: number): number {
  const remaining = entry.staleUntil - now;
  return Number.isFinite(remaining) ? Math.max(1, Math.ceil(remaining)) : 0;
}
