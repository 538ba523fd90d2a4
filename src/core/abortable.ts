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
