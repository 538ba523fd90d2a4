import { type BackoffPolicy, backoffDelay } from './backoff.js';

/**
 * When one provider's watches may call it: a poll grid shared by every watched ref, and the provider's backoff.
 *
 * The grid: a ref polled every `I` ms is due at `anchor + k·I`, the anchor being the provider's first watch. Every
 * ref with the same interval is therefore due at the same instants, whenever it joined, failed or recovered: after
 * each check it goes back to its next grid point, so the provider's refs stay in one batched probe per interval.
 *
 * The backoff belongs to the provider, not to refs: when every call of a round fails, no call is made before
 * `retryAt`; the first success clears it.
 */
export class ProviderPace {
  /** Consecutive rounds in which every call failed. */
  failures = 0;
  /** No call before this time (epoch ms); 0 when the provider is healthy. */
  retryAt = 0;
  #anchor: number | undefined;
  readonly #policy: BackoffPolicy;

  constructor(policy: BackoffPolicy) {
    this.#policy = policy;
  }

  /** The longest backoff of a provider's watches when none is polled. */
  get maxMs(): number {
    return this.#policy.maxMs;
  }

  /** Fixes the grid's origin at the first watch (later calls keep it). */
  start(now: number): void {
    this.#anchor ??= now;
  }

  /** The first grid point of `intervalMs` strictly after `from`; Infinity for an infinite interval. */
  nextPoll(intervalMs: number, from: number): number {
    if (!Number.isFinite(intervalMs)) return Number.POSITIVE_INFINITY;
    const anchor = this.#anchor ?? from;
    return anchor + (Math.floor((from - anchor) / intervalMs) + 1) * intervalMs;
  }

  /** A call succeeded: the backend answers, so the backoff ends at once. */
  succeeded(): void {
    this.failures = 0;
    this.retryAt = 0;
  }

  /**
   * Every call of a round failed: the provider backs off, up to `capMs` (its polled interval). Returns the time of
   * the next round.
   */
  roundFailed(now: number, error: unknown, capMs: number): number {
    this.failures += 1;
    this.retryAt = now + backoffDelay(this.failures, this.#policy, error, capMs);
    return this.retryAt;
  }

  /** When to retry refs that failed `failures` times in a round that otherwise succeeded (no provider backoff). */
  retryRefs(now: number, failures: number, error: unknown, capMs: number): number {
    return now + backoffDelay(failures, this.#policy, error, capMs);
  }
}
