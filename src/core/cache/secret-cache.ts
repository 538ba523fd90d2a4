import { LRUCache } from 'lru-cache';
import { catchError, defer, type Observable, of, Subject, Subscription, throwError } from 'rxjs';
import { ClosedError, isRxSecretsError, isSecretNotFoundError } from '../errors/index.js';
import type { Secret } from '../secret.js';
import { type CacheEntry, createEntry, entryState, storageTtl } from './cache-entry.js';
import type { PersistedEntry } from './cache-entry-codec.js';
import type { CacheEvent, CacheEventType } from './cache-event.js';
import { type CacheOptions, type ResolvedCacheOptions, resolveCacheOptions } from './cache-options.js';
import { CachePersistence } from './cache-persistence.js';
import { type Flight, InFlightFetches } from './in-flight.js';

/** Options of one {@link SecretCache.read}. */
export interface CacheReadOptions {
  /** Skip the stored entry and ask the backend (joining a call already in flight); the result is stored. */
  readonly fresh?: boolean;
}

/** A value-free word for an error: its rxsecrets code, or its name. */
function errorReason(error: unknown): string {
  if (isRxSecretsError(error)) return error.code;
  return error instanceof Error ? error.name : typeof error;
}

/**
 * The secrets cache: an LRU bound and a jittered TTL (storage by lru-cache), with reactive sharing on top —
 * concurrent reads of a key share one ref-counted backend call, reads late in an entry's life get it at once and
 * start one background refresh, and a failed fetch serves the last value marked stale within `staleIfError`.
 * Optionally persisted to an AES-256-GCM encrypted file. Time is `Date.now()`.
 */
export class SecretCache {
  /** What happens in the cache (hot, never a value); completes on {@link SecretCache.close}. */
  readonly events: Observable<CacheEvent>;
  readonly #subject = new Subject<CacheEvent>();
  readonly #options: ResolvedCacheOptions;
  readonly #store: LRUCache<string, CacheEntry> | undefined;
  readonly #flights = new InFlightFetches();
  readonly #background = new Map<string, Subscription>();
  readonly #persistence: CachePersistence | undefined;
  #closing: Promise<void> | undefined;

  /** Throws a ValidationError on a bad option (including a persistence key that is not 32 bytes). */
  constructor(options: CacheOptions = {}) {
    this.#options = resolveCacheOptions(options);
    this.events = this.#subject.asObservable();
    if (!this.#options.enabled) return;
    this.#store = new LRUCache<string, CacheEntry>({
      max: this.#options.max,
      perf: { now: () => Date.now() },
      ttlResolution: 0,
      disposeAfter: (_entry, key, reason) => {
        if (reason === 'evict') {
          this.#emit('evict', key, 'lru');
          this.#persistence?.schedule();
        } else if (reason === 'expire') {
          this.#emit('expire', key, 'stale-window');
        }
      },
    });
    if (this.#options.persist !== undefined) {
      this.#persistence = new CachePersistence(
        this.#options.persist,
        () => this.#snapshot(),
        (event) => this.#subject.next(event),
      );
    }
  }

  /** How many entries are stored (some may be past their ttl, kept for stale-on-error). */
  get size(): number {
    return this.#store?.size ?? 0;
  }

  /**
   * Cold: on subscribe, serves a fresh entry (hit), or joins the in-flight fetch for the key (coalesced), or starts
   * `fetch()` (miss). `fetch` must return a cold Observable that aborts its backend call when unsubscribed.
   */
  read(key: string, fetch: () => Observable<Secret>, options: CacheReadOptions = {}): Observable<Secret> {
    return defer(() => {
      if (this.#closing !== undefined) return throwError(() => new ClosedError('the secret cache is closed'));
      let reason = this.#store === undefined ? 'disabled' : options.fresh === true ? 'fresh' : 'absent';
      const entry = this.#store !== undefined && options.fresh !== true ? this.#store.get(key) : undefined;
      if (entry !== undefined) {
        const state = entryState(entry, Date.now());
        if (state === 'fresh' || state === 'refresh') {
          this.#emit('hit', key);
          if (state === 'refresh') this.#refreshAhead(key, fetch, entry);
          return of(entry.secret);
        }
        reason = 'expired';
        if (state === 'expired') this.#emit('expire', key, 'ttl');
        else this.#drop(key, 'expire', 'stale-window');
      }
      let flight = this.#flights.get(key);
      if (flight === undefined) {
        this.#emit('miss', key, reason);
        flight = this.#start(key, fetch);
      } else {
        this.#emit('coalesced', key);
      }
      return flight.shared.pipe(catchError((error: unknown) => this.#fallback(key, error)));
    });
  }

  /** Stores `secret` as a fresh entry (a watch saw a new version); a fetch in flight for the key is not stored. */
  put(key: string, secret: Secret): void {
    if (this.#store === undefined || this.#closing !== undefined) return;
    this.#detach(key);
    this.#save(key, secret);
    this.#emit('set', key);
  }

  /** Drops the entry of `key`; a fetch in flight for it finishes for its readers but is not stored. */
  invalidate(key: string): void {
    const hadFlight = this.#detach(key);
    const hadEntry = this.#store?.delete(key) ?? false;
    if (hadEntry) this.#persistence?.schedule();
    if (hadEntry || hadFlight) this.#emit('invalidate', key);
  }

  /** Invalidates every key (stored or in flight) for which `predicate` is true: a write to a name drops all its keys. */
  invalidateWhere(predicate: (key: string) => boolean): void {
    const keys = new Set([...(this.#store?.keys() ?? []), ...this.#flights.keys()]);
    for (const key of keys) if (predicate(key)) this.invalidate(key);
  }

  /**
   * Reads the persisted file, if any, adding its live entries that are not already in memory (`load` events).
   * Never rejects: a tampered, foreign or corrupt file is ignored with a `persist-rejected` event.
   */
  async load(): Promise<void> {
    if (this.#persistence === undefined || this.#store === undefined) return;
    const persisted = await this.#persistence.load();
    const now = Date.now();
    for (const { key, secret, fetchedAt, expiresAt } of persisted) {
      if (this.#closing !== undefined || this.#store.has(key)) continue;
      const entry = createEntry(secret, fetchedAt, this.#options, expiresAt);
      if (entryState(entry, now) === 'dead') continue;
      this.#store.set(key, entry, { ttl: storageTtl(entry, now), start: now });
      this.#emit('load', key);
    }
  }

  /** Writes the persisted file now. Never rejects: a failure is a `persist-error` event. */
  flush(): Promise<void> {
    return this.#persistence?.flush() ?? Promise.resolve();
  }

  /** Aborts background refreshes, flushes, and completes `events`. Later reads fail with a ClosedError. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const refresh of [...this.#background.values()]) refresh.unsubscribe();
      await this.#persistence?.close();
      this.#subject.complete();
    })();
    return this.#closing;
  }

  #emit(type: CacheEventType, key: string, reason?: string): void {
    this.#subject.next(reason === undefined ? { type, key } : { type, key, reason });
  }

  #start(key: string, fetch: () => Observable<Secret>): Flight {
    return this.#flights.start(key, fetch, {
      next: (secret, flight) => {
        if (!flight.detached) this.#save(key, secret);
      },
      error: (error, flight) => {
        if (!flight.detached && isSecretNotFoundError(error)) this.#drop(key, 'invalidate', 'not-found');
      },
    });
  }

  #save(key: string, secret: Secret): void {
    if (this.#store === undefined || this.#closing !== undefined) return;
    const now = Date.now();
    const entry = createEntry(secret, now, this.#options);
    this.#store.set(key, entry, { ttl: storageTtl(entry, now), start: now });
    this.#persistence?.schedule();
  }

  #drop(key: string, type: CacheEventType, reason: string): void {
    if (this.#store?.delete(key)) {
      this.#emit(type, key, reason);
      this.#persistence?.schedule();
    }
  }

  /** Detaches the flight of `key` and aborts a background refresh of it (unless readers still wait on it). */
  #detach(key: string): boolean {
    this.#background.get(key)?.unsubscribe();
    return this.#flights.detach(key);
  }

  #fallback(key: string, error: unknown): Observable<Secret> {
    const entry = isSecretNotFoundError(error) ? undefined : this.#store?.peek(key);
    if (entry === undefined || Date.now() > entry.staleUntil) return throwError(() => error);
    this.#emit('stale', key, errorReason(error));
    return of(entry.secret.withStale(true));
  }

  /** One background refresh per key, held by the cache (not by the reader) until it settles or the cache closes. */
  #refreshAhead(key: string, fetch: () => Observable<Secret>, entry: CacheEntry): void {
    if (this.#background.has(key) || this.#flights.get(key) !== undefined) return;
    this.#emit('refresh', key);
    const flight = this.#start(key, fetch);
    const holder = new Subscription(() => {
      if (this.#background.get(key) === holder) this.#background.delete(key);
    });
    this.#background.set(key, holder);
    holder.add(
      flight.shared.subscribe({
        next: () => this.#emit('refreshed', key),
        error: (error: unknown) => {
          const now = Date.now();
          // back off: without this, every read of a failing key would call the backend again
          if (this.#store?.peek(key) === entry) entry.refreshAt = now + (entry.expiresAt - now) / 2;
          this.#emit('refresh-failed', key, errorReason(error));
          holder.unsubscribe();
        },
        complete: () => holder.unsubscribe(),
      }),
    );
  }

  *#snapshot(): Generator<PersistedEntry> {
    if (this.#store === undefined) return;
    const now = Date.now();
    // least recently used first, so that a load restores the same order
    for (const key of this.#store.rkeys()) {
      const entry = this.#store.peek(key);
      if (entry === undefined || entryState(entry, now) === 'dead') continue;
      yield { key, secret: entry.secret, fetchedAt: entry.fetchedAt, expiresAt: entry.expiresAt };
    }
  }
}
