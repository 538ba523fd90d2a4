import { Observable } from 'rxjs';

/**
 * A cold Observable of one async operation: each subscription starts `run` with a fresh AbortSignal, emits its
 * result once and completes; unsubscribing early aborts the signal.
 */
export function abortable<T>(run: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    run(controller.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => controller.abort();
  });
}
