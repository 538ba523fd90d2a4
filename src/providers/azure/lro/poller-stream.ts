/**
 * Drives one of the SDK's own pollers (`beginDeleteSecret`, `beginRecoverDeletedSecret`) as a cold Observable of
 * its states.
 *
 * The stream polls itself rather than through `pollUntilDone()` + `onProgress`: Key Vault's poll operations never
 * fire progress callbacks (their `update()` ignores `fireProgress`), and a poll that fails leaves a core-lro 2
 * poller dead. So each step is `poller.poll({ abortSignal })`, one call of the client's pipeline (its retries,
 * timeouts and events); after a failure the poller is rebuilt from the last serialized state (`resumeFrom`), which
 * is how the SDK resumes. Every state is emitted; the stream completes when the operation is done; unsubscribing or
 * the caller's signal aborts the poll in flight and stops polling; the client's `close()` ends it with a ClosedError.
 * @module
 */

import { firstValueFrom, Observable } from 'rxjs';
import {
  abortableDelay,
  type CallContext,
  failOnAbort,
  type OperationOptions,
  type OperationState,
  type ProviderBinding,
  type SecretRef,
  UnsubscribedAbort,
} from '../../../provider-kit/index.js';
import { inCallScope } from '../wire/call-scope.js';

/** What the stream needs of an SDK poller (core-lro 2's `PollerLike`). */
export interface PollerHandle {
  poll(options?: { abortSignal?: AbortSignal }): Promise<void>;
  isDone(): boolean;
  getOperationState(): object;
  stopPolling(): void;
  toString(): string;
}

/** How to run one long operation. */
export interface PollerStreamOptions {
  /** Starts the operation, or resumes it from a serialized state; the SDK polls once before returning. */
  readonly begin: (resumeFrom: string | undefined, signal: AbortSignal) => Promise<PollerHandle>;
  /** The state to emit for the poller's current state and its serialized form. */
  readonly describe: (state: object, resumeFrom: string) => OperationState;
  /** Maps an SDK error to an rxsecrets error. */
  readonly mapError: (error: unknown) => unknown;
  /** Runs after completion, e.g. a purge; its state is emitted last. */
  readonly finish?: ((ctx: CallContext) => Promise<OperationState>) | undefined;
  /** A serialized state to resume from. */
  readonly resumeFrom?: string | undefined;
  readonly intervalMs: number;
  /** The pipeline each step runs through, and whose close ends the stream. */
  readonly binding: ProviderBinding;
  readonly ref: SecretRef;
  readonly operation: string;
  /** The caller's signal and retry overrides. */
  readonly call: OperationOptions;
}

/** A cold Observable of the operation's states; the last has `done: true`. */
export function pollerStream(options: PollerStreamOptions): Observable<OperationState> {
  return new Observable<OperationState>((subscriber) => {
    const controller = new AbortController();
    let poller: PollerHandle | undefined;
    let broken = true;
    let resumeFrom = options.resumeFrom;
    const step = (signal: AbortSignal) =>
      inCallScope(signal, async () => {
        try {
          if (poller === undefined || broken) {
            poller = await options.begin(resumeFrom, signal);
            broken = false;
          } else {
            await poller.poll({ abortSignal: signal });
          }
        } catch (error) {
          broken = true;
          throw options.mapError(error);
        }
      });
    const { binding, ref, operation } = options;
    const retry = options.call.retry === undefined ? {} : { retry: options.call.retry };
    const inPipeline = <T>(name: string, work: (ctx: CallContext) => Promise<T>) =>
      firstValueFrom(binding.call(name, work, { ref, ...retry }).pipe(failOnAbort(controller.signal)));
    const run = async () => {
      for (;;) {
        await inPipeline(operation, ({ signal }) => step(signal));
        const current = poller as PollerHandle;
        resumeFrom = serialize(current);
        const state = options.describe(current.getOperationState(), resumeFrom);
        const done = current.isDone();
        subscriber.next(done && options.finish ? { ...state, done: false } : state);
        if (done) break;
        await abortableDelay(options.intervalMs, controller.signal);
      }
      const finish = options.finish;
      if (finish) subscriber.next(await inPipeline('purge', finish));
      subscriber.complete();
    };
    // The client's close ends the operation with its ClosedError; the caller's signal with its reason.
    const stop = (signal: AbortSignal) => () => controller.abort(signal.reason);
    const closed = binding.closed;
    const callerSignal = options.call.signal;
    const onClosed = stop(closed);
    const onCaller = callerSignal && stop(callerSignal);
    closed.addEventListener('abort', onClosed, { once: true });
    if (onCaller) callerSignal.addEventListener('abort', onCaller, { once: true });
    if (closed.aborted) onClosed();
    else if (callerSignal?.aborted) onCaller?.();
    else {
      run().catch((error: unknown) => subscriber.error(controller.signal.aborted ? controller.signal.reason : error));
    }
    if (controller.signal.aborted) subscriber.error(controller.signal.reason);
    return () => {
      closed.removeEventListener('abort', onClosed);
      if (onCaller) callerSignal?.removeEventListener('abort', onCaller);
      controller.abort(new UnsubscribedAbort());
      poller?.stopPolling();
    };
  });
}

/** The poller's serialized state (`toString()`), without any `value` its result may carry. */
function serialize(poller: PollerHandle): string {
  const parsed = JSON.parse(poller.toString()) as { state?: { result?: Record<string, unknown> } };
  if (parsed.state?.result && 'value' in parsed.state.result) delete parsed.state.result.value;
  return JSON.stringify(parsed);
}
