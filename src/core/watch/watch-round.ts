import { isThrottledError } from '../errors/index.js';
import type { WatchedRef } from './watched-ref.js';

/** A transient failure of one ref in a round, settled when the round is over. */
interface RoundFailure {
  readonly entry: WatchedRef;
  readonly error: unknown;
}

/** A call held back by a gated round. */
interface HeldCall {
  readonly send: () => void;
  readonly refuse: (error: unknown) => void;
}

/**
 * The provider calls of one scheduler tick (its probes and the value reads they lead to). Transient failures are
 * held until every call of the round is over, so that the round decides the backoff once: every call failed means
 * the backend is down (the provider backs off); some succeeded means only the failed refs are retried.
 *
 * A round started while the provider backs off is gated: its first call goes alone, as a canary; the others are sent
 * once it is answered, or fail with its error without being sent. A backend that is down thus gets one call per
 * round, however many batches its watches need.
 */
export class WatchRound {
  /** Whether at least one call of the round was answered (a success, or a permanent error). */
  succeeded = false;
  #pending = 0;
  readonly #failures: RoundFailure[] = [];
  readonly #onSettled: (round: WatchRound) => void;
  readonly #gated: boolean;
  #canarySent = false;
  /** Undefined until the canary is answered; then `{ error }` (undefined error: the backend answered). */
  #verdict: { readonly error: unknown } | undefined;
  readonly #held: HeldCall[] = [];

  constructor(onSettled: (round: WatchRound) => void, gated: boolean) {
    this.#onSettled = onSettled;
    this.#gated = gated;
  }

  /** Sends a call now, or holds it while a gated round waits for its canary, or refuses it after a failed one. */
  admit(send: () => void, refuse: (error: unknown) => void): void {
    if (!this.#gated || (this.#verdict !== undefined && this.#verdict.error === undefined)) {
      send();
    } else if (this.#verdict !== undefined) {
      refuse(this.#verdict.error);
    } else if (!this.#canarySent) {
      this.#canarySent = true;
      send();
    } else {
      this.#held.push({ send, refuse });
    }
  }

  /**
   * A call of the round was answered (`error` undefined: the backend is up) or ended without an answer (aborted:
   * also undefined). The first one decides for the calls held back.
   */
  answered(error: unknown): void {
    if (!this.#gated || this.#verdict !== undefined) return;
    this.#verdict = { error };
    for (const call of this.#held.splice(0)) {
      if (error === undefined) call.send();
      else call.refuse(error);
    }
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
