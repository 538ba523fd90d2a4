import { type Duration, toMilliseconds } from '../durations.js';
import { ValidationError } from '../errors/index.js';

/** Where and how the cache is persisted to disk, encrypted. */
export interface PersistOptions {
  /** The file. It is written atomically (temp file + rename) with mode 0600; its directory is created if missing. */
  path: string;
  /** The AES-256-GCM key: 32 bytes, or text of 64 hex characters or of 32 bytes in base64. */
  key: Uint8Array | string;
  /** How long writes are debounced after a change. Default `'1s'`. */
  flushDelay?: Duration;
}

/** Options of the the secret cache. */
export interface CacheOptions {
  /** Default true; false keeps nothing, but concurrent reads of one key still share one backend call. */
  enabled?: boolean;
  /** Most entries kept; the least recently used is evicted beyond it. Default 1000. */
  max?: number;
  /** How long a fetched value is served without asking the backend again. Default `'15m'`. */
  ttl?: Duration;
  /** Each entry's ttl is scaled by a random factor in [1 - jitter, 1], so entries do not expire in lockstep. Default 0.1. */
  jitter?: number;
  /**
   * The fraction of an entry's ttl after which a read still returns the entry at once but also starts one
   * background refresh. Default 0.75; 1 turns refresh-ahead off.
   */
  refreshAhead?: number;
  /** How long past expiry a value may still be served (marked stale) when fetching a new one fails. Default `'1h'`. */
  staleIfError?: Duration;
  /** Encrypted disk persistence; off when absent or when the cache is disabled. */
  persist?: PersistOptions;
  /** The random source of the jitter, in [0, 1), for deterministic tests. Default `Math.random`. */
  random?: () => number;
}

/** {@link CacheOptions} with defaults applied and durations in milliseconds. */
export interface ResolvedCacheOptions {
  readonly enabled: boolean;
  readonly max: number;
  readonly ttlMs: number;
  readonly jitter: number;
  readonly refreshAhead: number;
  readonly staleIfErrorMs: number;
  readonly persist: PersistOptions | undefined;
  readonly random: () => number;
}

/** Applies defaults and validates; throws a {@link ValidationError} naming the bad option. */
export function resolveCacheOptions(options: CacheOptions = {}): ResolvedCacheOptions {
  const max = options.max ?? 1000;
  if (!Number.isInteger(max) || max < 1) throw new ValidationError(`cache.max must be a positive integer, got ${max}`);
  const jitter = options.jitter ?? 0.1;
  if (!(jitter >= 0 && jitter < 1)) throw new ValidationError(`cache.jitter must be in [0, 1), got ${jitter}`);
  const refreshAhead = options.refreshAhead ?? 0.75;
  if (!(refreshAhead > 0 && refreshAhead <= 1)) {
    throw new ValidationError(`cache.refreshAhead must be in (0, 1], got ${refreshAhead}`);
  }
  return {
    enabled: options.enabled ?? true,
    max,
    ttlMs: toMilliseconds(options.ttl ?? '15m', 'cache.ttl'),
    jitter,
    refreshAhead,
    staleIfErrorMs: toMilliseconds(options.staleIfError ?? '1h', 'cache.staleIfError'),
    persist: options.persist,
    random: options.random ?? Math.random,
  };
}
