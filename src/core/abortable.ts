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

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts, even when the work behind
 * the promise ignores the signal (a D-Bus call on a dead connection never settles by itself).
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** An AbortController that also aborts when any of `parents` aborts. Call `dispose()` to unhook it. */
export function linkedAbortController(...parents: AbortSignal[]): AbortController & { dispose(): void } {
  const controller = new AbortController() as AbortController & { dispose(): void };
  const hooks: Array<() => void> = [];
  for (const parent of parents) {
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    hooks.push(() => parent.removeEventListener('abort', onAbort));
  }
  controller.dispose = () => {
    for (const unhook of hooks) unhook();
  };
  return controller;
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
