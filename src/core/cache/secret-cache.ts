import { LRUCache } from 'lru-cache';
import { Observable, Subject, Subscription, type TeardownLogic } from 'rxjs';
import { ClosedError, isRxSecretsError, isSecretNotFoundError } from '../errors/index.js';
import type { Secret } from '../secret.js';
import { type CacheEntry, createEntry, entryState } from './cache-entry.js';
import type { PersistedEntry } from './cache-entry-codec.js';
import type { CacheEvent, CacheEventType } from './cache-event.js';
import { type CacheOptions, type ResolvedCacheOptions, resolveCacheOptions } from './cache-options.js';
import { CachePersistence } from './cache-persistence.js';
import { type CacheReader, ObserverReader, type StaleOf } from './cache-reader.js';
import { type FetchSource, type FlightSettlement, InFlightFetches } from './in-flight.js';

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
  /** What a settled flight does to the store; one object for all flights. */
  readonly #settlement: FlightSettlement = {
    next: (key, secret, flight) => {
      if (!flight.detached) this.#save(key, secret);
    },
    error: (key, error, flight) => {
      if (!flight.detached && isSecretNotFoundError(error)) this.#drop(key, 'invalidate', 'not-found');
    },
  };
  /** The last value of a key marked stale, if it may stand in after an error (a `stale` event); else undefined. */
  readonly #staleOf: StaleOf = (key, error) => {
    const entry = isSecretNotFoundError(error) ? undefined : this.#store?.peek(key);
    if (entry === undefined || Date.now() > entry.staleUntil) return undefined;
    this.#emit('stale', key, errorReason(error));
    return entry.secret.withStale(true);
  };
  #closing: Promise<void> | undefined;

  /** Throws a ValidationError on a bad option (including a persistence key that is not 32 bytes). */
  constructor(options: CacheOptions = {}) {
    this.#options = resolveCacheOptions(options);
    this.events = this.#subject.asObservable();
    if (!this.#options.enabled) return;
    // The LRU bound only: entries carry their own timeline, checked on each read, and an lru-cache ttl would track a
    // second one (two more numbers per entry, and a clock read per lookup).
    this.#store = new LRUCache<string, CacheEntry>({
      max: this.#options.max,
      disposeAfter: (_entry, key, reason) => {
        if (reason === 'evict') {
          this.#emit('evict', key, 'lru');
          this.#persistence?.schedule();
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
   * `fetch()` (miss). `fetch` must return a cold source (an Observable) that aborts its backend call when
   * unsubscribed.
   */
  read(key: string, fetch: () => FetchSource, options: CacheReadOptions = {}): Observable<Secret> {
    const source: FetchSource = { subscribe: (observer) => fetch().subscribe(observer) };
    return new Observable<Secret>((subscriber) => this.readInto(key, source, options, new ObserverReader(subscriber)));
  }

  /**
   * What one subscription to {@link SecretCache.read} does, for a reader: hands it the secret (or the error),
   * synchronously on a hit, or makes it wait on the key's fetch and returns it (its `unsubscribe` ends the wait). For
   * the hot path of the facade, which would otherwise wrap one Observable layer in another; `fetch` is subscribed to
   * only on a miss.
   */
  readInto(key: string, fetch: FetchSource, options: CacheReadOptions, reader: CacheReader): TeardownLogic {
    const fresh = options.fresh === true;
    if (this.#closing !== undefined) {
      reader.error(new ClosedError('the secret cache is closed'));
      return;
    }
    let reason = this.#store === undefined ? 'disabled' : fresh ? 'fresh' : 'absent';
    const entry = this.#store !== undefined && !fresh ? this.#store.get(key) : undefined;
    if (entry !== undefined) {
      const state = entryState(entry, Date.now());
      if (state === 'fresh' || state === 'refresh') {
        reader.next(this.#serve(key, fetch, entry, state));
        reader.complete();
        return;
      }
      if (state === 'expired') {
        reason = 'expired';
        this.#emit('expire', key, 'ttl');
      } else {
        // Past its stale window: dropped, and the read is a miss of an absent entry.
        this.#drop(key, 'expire', 'stale-window');
      }
    }
    let flight = this.#flights.get(key);
    if (flight === undefined) {
      this.#emit('miss', key, reason);
      flight = this.#flights.start(key, fetch, this.#settlement);
    } else {
      this.#emit('coalesced', key);
    }
    // Without a store there is no last value to fall back on.
    reader.waitOn(flight, key, this.#store === undefined ? undefined : this.#staleOf);
    return reader;
  }

  /**
   * The stored secret of `key` when a read may be served from it now, else undefined: the first step of
   * {@link SecretCache.readInto}, for a reader that needs no object of its own on a hit. A hit late in the entry's
   * life starts its background refresh; an entry its watch cannot confirm comes marked stale.
   */
  hit(key: string, fetch: FetchSource, options: CacheReadOptions): Secret | undefined {
    if (this.#store === undefined || this.#closing !== undefined || options.fresh === true) return undefined;
    const entry = this.#store.get(key);
    if (entry === undefined) return undefined;
    const state = entryState(entry, Date.now());
    return state === 'fresh' || state === 'refresh' ? this.#serve(key, fetch, entry, state) : undefined;
  }

  /** What a read served from `entry` gets (a hit), starting the background refresh when the entry is due for one. */
  #serve(key: string, fetch: FetchSource, entry: CacheEntry, state: 'fresh' | 'refresh'): Secret {
    this.#emit('hit', key);
    if (state === 'refresh') this.#refreshAhead(key, fetch, entry);
    if (!entry.unconfirmed) return entry.secret;
    this.#emit('stale', key, 'unconfirmed');
    return entry.secret.withStale(true);
  }

  /** Stores `secret` as a fresh entry (a watch saw a new version); a fetch in flight for the key is not stored. */
  put(key: string, secret: Secret): void {
    if (this.#store === undefined || this.#closing !== undefined) return;
    this.#detach(key);
    this.#save(key, secret);
    this.#emit('set', key);
  }

  /**
   * Marks the entry of `key` unconfirmed (its watch's checks fail: reads get it marked `stale`) or confirmed again.
   * A new value stored for the key starts confirmed.
   */
  setStale(key: string, stale: boolean): void {
    const entry = this.#store?.peek(key);
    if (entry !== undefined) entry.unconfirmed = stale;
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
    const now = Date.now();
    const stored = [...(this.#store?.keys() ?? [])].filter((key) => this.#live(key, now) !== undefined);
    const keys = new Set([...stored, ...this.#flights.keys()]);
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
      if (this.#closing !== undefined || this.#live(key, now) !== undefined) continue;
      const entry = createEntry(secret, fetchedAt, this.#options, expiresAt);
      if (entryState(entry, now) === 'dead') continue;
      this.#store.set(key, entry);
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

  /** The entry of `key` unless it is past its stale window (dropped on its next read). */
  #live(key: string, now: number): CacheEntry | undefined {
    const entry = this.#store?.peek(key);
    return entry === undefined || entryState(entry, now) === 'dead' ? undefined : entry;
  }

  #emit(type: CacheEventType, key: string, reason?: string): void {
    // Most clients never subscribe to events: skip building them.
    if (!this.#subject.observed) return;
    this.#subject.next(reason === undefined ? { type, key } : { type, key, reason });
  }

  #save(key: string, secret: Secret): void {
    if (this.#store === undefined || this.#closing !== undefined) return;
    const now = Date.now();
    const entry = createEntry(secret, now, this.#options);
    this.#store.set(key, entry);
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

  /** One background refresh per key, held by the cache (not by the reader) until it settles or the cache closes. */
  #refreshAhead(key: string, fetch: FetchSource, entry: CacheEntry): void {
    if (this.#background.has(key) || this.#flights.get(key) !== undefined) return;
    this.#emit('refresh', key);
    const flight = this.#flights.start(key, fetch, this.#settlement);
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
