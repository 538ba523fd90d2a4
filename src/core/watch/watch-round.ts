import { isThrottledError } from '../errors/index.js';
import type { WatchedRef } from './watched-ref.js';

/** A transient failure of one ref in a round, settled when the round is over. */
interface RoundFailure {
  readonly entry: WatchedRef;
  readonly error: unknown;
}

/**
 * The provider calls of one scheduler tick (its probes and the value reads they lead to). Transient failures are
 * held until every call of the round is over, so that the round decides the backoff once: every call failed means
 * the backend is down (the provider backs off); some succeeded means only the failed refs are retried.
 */
export class WatchRound {
  /** Whether at least one call of the round succeeded. */
  succeeded = false;
  #pending = 0;
  readonly #failures: RoundFailure[] = [];
  readonly #onSettled: (round: WatchRound) => void;

  constructor(onSettled: (round: WatchRound) => void) {
    this.#onSettled = onSettled;
  }

  /** A call of the round starts. */
  started(): void {
    this.#pending += 1;
  }

  /** A call of the round is over (settled, aborted, or never started); the last one settles the round. */
  finished(): void {
    this.#pending -= 1;
    if (this.#pending === 0) this.#onSettled(this);
  }

  /** Records a transient failure of `entry`. */
  fail(entry: WatchedRef, error: unknown): void {
    this.#failures.push({ entry, error });
  }

  /** The transient failures of refs that are still watched. */
  get failures(): readonly RoundFailure[] {
    return this.#failures.filter((failure) => !failure.entry.ended);
  }

  /** The error that decides the delay: the throttling answer with the longest retry-after hint, else the first. */
  get decisiveError(): unknown {
    let decisive: unknown = this.#failures[0]?.error;
    let hint = -1;
    for (const { error } of this.#failures) {
      if (isThrottledError(error) && (error.retryAfterMs ?? 0) > hint) {
        hint = error.retryAfterMs ?? 0;
        decisive = error;
      }
    }
    return decisive;
  }
}
