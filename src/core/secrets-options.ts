import type { CacheEvent } from './cache/cache-event.js';
import type { CacheOptions } from './cache/cache-options.js';
import type { Duration } from './durations.js';
import type { RxSecretsError } from './errors/index.js';
import type { Fleet, FleetEvent } from './fleet/fleet.js';
import type { OperationOptions } from './operation-options.js';
import type { SecretProvider } from './provider.js';
import type { SecretRef } from './ref.js';
import type { RetryOptions } from './retry.js';
import type { Secret } from './secret.js';
import type { Transform } from './transforms.js';
import type { WatchEvent } from './watch/watch-event.js';
import type { WatchOptions } from './watch/watch-options.js';

/** Options of {@link createSecrets}. */
export interface SecretsOptions {
  /** The backends, one per scheme. */
  readonly providers: readonly SecretProvider[];
  /** Cache settings, or `false` to read through every time (concurrent reads are still coalesced). */
  readonly cache?: CacheOptions | false;
  /** Retry, per-attempt timeout and deadline of every backend call. */
  readonly retry?: RetryOptions;
  /** Defaults of watches. */
  readonly watch?: {
    /** Poll interval when neither the watch nor the provider names one. Default `'30s'`. */
    readonly interval?: Duration;
    /**
     * First backoff after a round of watch checks in which every call to a provider failed; it doubles per failed
     * round (with up to 20 % jitter), up to the watches' poll interval. Default `'1s'`.
     */
    readonly minBackoff?: Duration;
    /**
     * Longest backoff of watches that are not polled (change-feed providers, `interval: Infinity`), and longest
     * retry-after hint honoured. Polled watches back off up to their interval, so that a backend that is down never
     * sees more calls than a healthy one. Default `'5m'`.
     */
    readonly maxBackoff?: Duration;
  };
  /**
   * Coordinates the watches of a fleet of instances through a shared store (`redisFleet` from `rxsecrets/redis`):
   * for each provider that declares an `identity`, one instance probes the backend for the whole fleet and the
   * others follow its version table. Values are never stored there; each instance still reads them itself. The
   * client owns the fleet: `close()` releases its leases and closes it.
   */
  readonly fleet?: Fleet;
}

/** Options of a single read (and of `getMany`), with the per-call `signal` and `retry`. */
export interface GetOptions extends OperationOptions {
  /** Skip the cache for this read (the result is still stored). */
  readonly fresh?: boolean;
  /** How to decode the value; a `#key.path` in the ref implies `'json'`. Default `'none'`. */
  readonly transform?: Transform;
}

/** Options of a watch. */
export interface WatchSecretOptions extends WatchOptions {
  /** Ends this subscription (it fails with the signal's reason); the shared watch goes on for other subscribers. */
  readonly signal?: AbortSignal;
  /** How to decode each value; a `#key.path` in the ref implies `'json'`. */
  readonly transform?: Transform;
}

/** One result of `getMany`: the secret, or the error for that ref alone. */
export type SecretResult =
  | { readonly ref: SecretRef; readonly ok: true; readonly secret: Secret }
  | { readonly ref: SecretRef; readonly ok: false; readonly error: RxSecretsError | Error };

/** A retry of a backend call, as reported on `events`. */
export interface RetryEvent {
  readonly type: 'retry';
  readonly provider: string;
  readonly operation: string;
  readonly ref: string | undefined;
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/** Everything `secrets.events` reports: cache activity, watch activity, fleet activity and retries. Never a value. */
export type SecretsEvent = CacheEvent | WatchEvent | FleetEvent | RetryEvent;
