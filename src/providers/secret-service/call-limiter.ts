/**
 * Bounds the calls in flight on one connection: the bus daemon refuses a connection's 129th pending call
 * (LimitsExceeded), so callers beyond the limit wait in a FIFO queue instead.
 */
export class CallLimiter {
  readonly #max: number;
  readonly #queue: Array<{ wake(): void; fail(error: unknown): void }> = [];
  #inFlight = 0;

  constructor(maxInFlight: number) {
    this.#max = Math.max(1, maxInFlight);
  }

  /** Resolves when a slot is free; rejects with the signal's reason when aborted while waiting. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.#inFlight < this.#max) {
      this.#inFlight += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          this.#inFlight += 1;
          resolve();
        },
        fail: (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = (): void => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Frees a slot taken by {@link acquire} and hands it to the next waiter. */
  release(): void {
    this.#inFlight -= 1;
    this.#queue.shift()?.wake();
  }

  /** Rejects every waiter (the connection closed or was lost). */
  failWaiting(error: unknown): void {
    for (const waiter of this.#queue.splice(0)) waiter.fail(error);
  }
}
