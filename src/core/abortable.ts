import { Observable } from 'rxjs';

/** The reason given to an AbortSignal when its subscriber unsubscribed. */
export class UnsubscribedAbort extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('the subscriber unsubscribed');
  }
}

/**
 * A cold Observable of one async call: subscribing starts `run` with a fresh AbortSignal, which aborts when the
 * subscriber unsubscribes before the call settles.
 */
export function fromAbortable<T>(run: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    run(controller.signal).then(
      (value) => {
        settled = true;
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        subscriber.error(error);
      },
    );
    return () => {
      if (!settled && !controller.signal.aborted) controller.abort(new UnsubscribedAbort());
    };
  });
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Something that {@link Deadlines} expires once its time is up. */
export interface Expiring {
  /** Called once, at (or just after) the deadline it was added with, unless it was deleted before. */
  expire(): void;
}

/**
 * Deadlines of many pending things on one Node timer, armed for the earliest of them. Arming and clearing a timer per
 * backend call costs more than the rest of a fast call (Node builds and tears down a timer list, and reschedules its
 * libuv timer, whenever no other timer of that length is pending); here a call only adds itself to a map and deletes
 * itself. The timer keeps the process alive only while something is waiting, as a timer per call would; when nothing
 * is, it stays armed but unreferenced until it fires or {@link Deadlines.clear} stops it.
 */
export class Deadlines {
  readonly #waiting = new Map<Expiring, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  /** The `setTimeout` the timer was armed with: a test's fake clock may have replaced it since. */
  #armedWith: typeof setTimeout | undefined;

  /** Expires `item` after `delayMs` (a finite number). */
  add(item: Expiring, delayMs: number): void {
    const at = Date.now() + delayMs;
    this.#waiting.set(item, at);
    if (this.#timer === undefined || this.#armedWith !== globalThis.setTimeout || at < this.#timerAt) {
      this.#arm(at);
    } else if (this.#waiting.size === 1) {
      this.#timer.ref();
    }
  }

  /** Forgets `item` (it settled in time). */
  delete(item: Expiring): void {
    if (this.#waiting.delete(item) && this.#waiting.size === 0) this.#timer?.unref();
  }

  /** Forgets everything and stops the timer (its owner closed). */
  clear(): void {
    this.#waiting.clear();
    if (this.#timer !== undefined && this.#armedWith === globalThis.setTimeout) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #arm(at: number): void {
    if (this.#timer !== undefined && this.#armedWith === globalThis.setTimeout) clearTimeout(this.#timer);
    this.#armedWith = globalThis.setTimeout;
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(0, at - Date.now()));
  }

  #sweep(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const expired: Expiring[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [item, at] of this.#waiting) {
      if (at <= now) expired.push(item);
      else if (at < next) next = at;
    }
    for (const item of expired) this.#waiting.delete(item);
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
    for (const item of expired) item.expire();
  }
}
