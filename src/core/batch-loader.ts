import { Observable, type Subscriber } from 'rxjs';
import { chunk } from './concurrency.js';
import type { SecretRef } from './ref.js';
import type { Secret } from './secret.js';

/** Loads a batch of refs in one backend call; the result is aligned with `refs`. */
export type LoadBatch = (refs: readonly SecretRef[]) => Observable<ReadonlyArray<Secret | Error>>;

interface Pending {
  readonly ref: SecretRef;
  readonly subscriber: Subscriber<Secret>;
  active: boolean;
}

/**
 * Gathers single loads requested in the same tick into batches of at most `maxBatch` refs, runs at most
 * `concurrency` batches at once, and hands each subscriber its own result. A batch whose subscribers have all
 * left is aborted (or never started).
 */
export class BatchLoader {
  readonly #loadBatch: LoadBatch;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #pending: Pending[] = [];
  #queue: Pending[][] = [];
  #running = 0;

  constructor(loadBatch: LoadBatch, maxBatch: number, concurrency: number) {
    this.#loadBatch = loadBatch;
    this.#maxBatch = Math.max(1, maxBatch);
    this.#concurrency = Math.max(1, concurrency);
  }

  /** A cold Observable of one ref's secret, loaded together with the other refs asked for in the same tick. */
  load(ref: SecretRef): Observable<Secret> {
    return new Observable<Secret>((subscriber) => {
      const entry: Pending = { ref, subscriber, active: true };
      this.#pending.push(entry);
      if (this.#pending.length === 1) queueMicrotask(() => this.#flush());
      return () => {
        entry.active = false;
      };
    });
  }

  #flush(): void {
    const pending = this.#pending.filter((entry) => entry.active);
    this.#pending = [];
    this.#queue.push(...chunk(pending, this.#maxBatch));
    this.#drain();
  }

  #drain(): void {
    while (this.#running < this.#concurrency && this.#queue.length > 0) {
      const batch = (this.#queue.shift() as Pending[]).filter((entry) => entry.active);
      if (batch.length === 0) continue;
      this.#running += 1;
      this.#run(batch);
    }
  }

  #run(batch: Pending[]): void {
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      this.#running -= 1;
      this.#drain();
    };
    const subscription = this.#loadBatch(batch.map((entry) => entry.ref)).subscribe({
      next: (results) => {
        batch.forEach((entry, index) => {
          if (!entry.active) return;
          const result = results[index];
          if (result === undefined) entry.subscriber.error(new Error(`no result for ${entry.ref.text}`));
          else if (result instanceof Error) entry.subscriber.error(result);
          else {
            entry.subscriber.next(result);
            entry.subscriber.complete();
          }
        });
        done();
      },
      error: (error: unknown) => {
        for (const entry of batch) if (entry.active) entry.subscriber.error(error);
        done();
      },
      complete: done,
    });
    // Abort the batch once every subscriber of it has left.
    for (const entry of batch) {
      entry.subscriber.add(() => {
        if (!settled && batch.every((other) => !other.active || other.subscriber.closed)) {
          subscription.unsubscribe();
          done();
        }
      });
    }
  }
}
