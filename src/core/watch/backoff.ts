import { isThrottledError } from '../errors/index.js';

/** How a watched ref backs off after transient failures. */
export interface BackoffPolicy {
  /** Delay before the first retry, in milliseconds. */
  readonly minMs: number;
  /** Longest delay, in milliseconds. */
  readonly maxMs: number;
  /** Random source in [0, 1), for jitter. */
  readonly random: () => number;
}

/**
 * The delay before retry number `failures` (1 for the first): `minMs · 2^(failures-1)` capped at `maxMs`, with
 * "equal jitter" (half of it fixed, half random) so that many refs failing together do not retry in lockstep,
 * yet never retry at once. A throttled backend's retry-after hint is honoured, still within `maxMs`.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, error?: unknown): number {
  const exponent = Math.min(Math.max(0, failures - 1), 52);
  const ceiling = Math.min(policy.maxMs, policy.minMs * 2 ** exponent);
  const jittered = Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
  const hinted = isThrottledError(error) ? (error.retryAfterMs ?? 0) : 0;
  return Math.min(policy.maxMs, Math.max(jittered, hinted));
}
