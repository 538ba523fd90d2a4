import { finalize, type Observable, Subscription } from 'rxjs';

/** Something an in-flight call works for; a call whose owners have all ended is aborted. */
export interface CallOwner {
  readonly ended: boolean;
}

interface QueuedCall {
  readonly owners: readonly CallOwner[];
  readonly work: Observable<unknown>;
  readonly subscription: Subscription;
  readonly done: () => void;
}

/**
 * Runs the watch engine's provider calls with at most `limit` in flight (the provider's `maxConcurrency`).
 * A call is aborted (unsubscribed) as soon as every ref it works for has ended, and is never started if they
 * end while it waits.
 */
export class CallQueue {
  readonly #limit: number;
  readonly #waiting: QueuedCall[] = [];
  readonly #running = new Set<QueuedCall>();

  constructor(limit: number) {
    this.#limit = Math.max(1, Number.isFinite(limit) ? Math.floor(limit) : Number.MAX_SAFE_INTEGER);
  }

  /**
   * Queues `work` (which must handle its own errors) on behalf of `owners`. `done` runs once the call is over,
   * whether it settled, was aborted, or was never started (its owners ended while it waited, or the queue closed).
   */
  run(owners: readonly CallOwner[], work: Observable<unknown>, done: () => void = () => {}): void {
    this.#waiting.push({ owners, work, subscription: new Subscription(), done });
    this.#drain();
  }

  /** Aborts the calls whose owners have all ended (call after one ended). */
  release(): void {
    for (const call of [...this.#running]) {
      if (call.owners.every((owner) => owner.ended)) call.subscription.unsubscribe();
    }
  }

  /** Aborts everything, running or waiting. */
  close(): void {
    const waiting = this.#waiting.splice(0);
    for (const call of [...this.#running]) call.subscription.unsubscribe();
    for (const call of waiting) call.done();
  }

  #drain(): void {
    while (this.#running.size < this.#limit && this.#waiting.length > 0) {
      const call = this.#waiting.shift() as QueuedCall;
      if (call.owners.every((owner) => owner.ended)) {
        call.done();
        continue;
      }
      this.#running.add(call);
      // finalize also runs on unsubscribe, so an aborted call frees its slot too.
      call.subscription.add(call.work.pipe(finalize(() => this.#done(call))).subscribe());
    }
  }

  #done(call: QueuedCall): void {
    if (!this.#running.delete(call)) return;
    call.done();
    this.#drain();
  }
}
