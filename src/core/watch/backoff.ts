import { isThrottledError } from '../errors/index.js';

/** How a provider's watches back off after transient failures. */
export interface BackoffPolicy {
  /** Delay before the first retry, in milliseconds. */
  readonly minMs: number;
  /** Longest delay, in milliseconds, where no cap is given (watches that are not polled), and longest retry-after. */
  readonly maxMs: number;
  /** Random source in [0, 1), for jitter. */
  readonly random: () => number;
}

/** The jitter: each delay is stretched by up to this share of itself, never shortened. */
export const BACKOFF_JITTER = 0.2;

/**
 * The delay before retry number `failures` (1 for the first): `minMs · 2^(failures-1)` capped at `capMs` (the
 * polled interval; `maxMs` when none), then stretched by a random share of up to {@link BACKOFF_JITTER} so that many
 * clients failing together do not retry in lockstep. The jitter only lengthens: at the cap, retries come at most once
 * per interval, so a backend that is down sees no more calls than a healthy one. A throttled backend's retry-after
 * hint is a floor, within `maxMs`.
 */
export function backoffDelay(
  failures: number,
  policy: BackoffPolicy,
  error?: unknown,
  capMs: number = policy.maxMs,
): number {
  const exponent = Math.min(Math.max(0, failures - 1), 52);
  const ceiling = Math.min(capMs, policy.minMs * 2 ** exponent);
  const jittered = Math.round(ceiling * (1 + BACKOFF_JITTER * policy.random()));
  const hinted = isThrottledError(error) ? Math.min(error.retryAfterMs ?? 0, policy.maxMs) : 0;
  return Math.max(jittered, hinted);
}
