import { identity, type MonoTypeOperatorFunction, Observable } from 'rxjs';

/**
 * Ends the stream with the signal's reason when `signal` aborts (at once if it already has), unsubscribing from
 * the source so that its work in flight is aborted too — as `fetch` rejects with `signal.reason`. Without a signal
 * the stream is left as it is.
 */
export function failOnAbort<T>(signal: AbortSignal | undefined): MonoTypeOperatorFunction<T> {
  if (signal === undefined) return identity;
  return (source) =>
    new Observable<T>((subscriber) => {
      if (signal.aborted) {
        subscriber.error(signal.reason);
        return;
      }
      const onAbort = () => subscriber.error(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const inner = source.subscribe(subscriber);
      return () => {
        signal.removeEventListener('abort', onAbort);
        inner.unsubscribe();
      };
    });
}
