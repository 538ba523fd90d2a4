import { Observable } from 'rxjs';
import { Deadlines, UnsubscribedAbort } from './abortable.js';
import type { CallContext, SecretProvider } from './provider.js';
import type { SecretRef } from './ref.js';
import { type ResolvedRetryOptions, RetriedCall, type RetryListener } from './retry.js';

/**
 * Runs one logical provider operation as a cold Observable: retries, per-attempt timeout, overall deadline, and an
 * AbortSignal (per attempt) that fires when the subscriber leaves or the client closes.
 */
export type ProviderCall = <T>(
  operation: string,
  run: (ctx: CallContext) => Promise<T>,
  ref?: SecretRef,
) => Observable<T>;

/** Builds the {@link ProviderCall} of one provider. `closed` aborts every call in flight when the client closes. */
export function createProviderCall(
  provider: SecretProvider,
  retry: ResolvedRetryOptions,
  closed: AbortSignal,
  onRetry?: (operation: string, ref: SecretRef | undefined, info: Parameters<RetryListener>[0]) => void,
): ProviderCall {
  // Calls in flight, cancelled together on close: cheaper than linking every call's signal to `closed`.
  const active = new Set<RetriedCall<unknown>>();
  const deadlines = new Deadlines();
  closed.addEventListener(
    'abort',
    () => {
      for (const call of active) call.cancel(closed.reason);
      active.clear();
      deadlines.clear();
    },
    { once: true },
  );
  return <T>(operation: string, run: (ctx: CallContext) => Promise<T>, ref?: SecretRef) =>
    new Observable<T>((subscriber) => {
      if (closed.aborted) {
        subscriber.error(closed.reason);
        return;
      }
      let settled = false;
      const call: RetriedCall<T> = new RetriedCall(
        run,
        retry,
        { provider: provider.scheme, operation, ref: ref?.text },
        (value) => {
          settled = true;
          active.delete(call);
          subscriber.next(value);
          subscriber.complete();
        },
        (error) => {
          settled = true;
          active.delete(call);
          subscriber.error(error);
        },
        deadlines,
        onRetry ? (info) => onRetry(operation, ref, info) : undefined,
      );
      active.add(call);
      return () => {
        if (settled) return;
        active.delete(call);
        call.cancel(new UnsubscribedAbort());
      };
    });
}
