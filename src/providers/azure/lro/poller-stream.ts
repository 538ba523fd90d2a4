/**
 * Drives one of the SDK's own pollers (`beginDeleteSecret`, `beginRecoverDeletedSecret`) as a cold Observable of
 * its states.
 *
 * The stream polls itself rather than through `pollUntilDone()` + `onProgress`: Key Vault's poll operations never
 * fire progress callbacks (their `update()` ignores `fireProgress`), and a poll that fails leaves a core-lro 2
 * poller dead. So each step is `poller.poll({ abortSignal })`, run with the provider's retry policy; after a
 * failure the poller is rebuilt from the last serialized state (`resumeFrom`), which is how the SDK resumes.
 * Every state is emitted; the stream completes when the operation is done; unsubscribing aborts the poll in
 * flight and stops polling.
 * @module
 */
import { Observable } from 'rxjs';
import { abortableDelay, UnsubscribedAbort } from '../../../core/abortable.js';
import type { OperationState } from '../../../core/provider.js';
import { type CallLabel, type ResolvedRetryOptions, withRetry } from '../../../core/retry.js';
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
  readonly finish?: ((signal: AbortSignal) => Promise<OperationState>) | undefined;
  /** A serialized state to resume from. */
  readonly resumeFrom?: string | undefined;
  readonly intervalMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly label: CallLabel;
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
    const run = async () => {
      for (;;) {
        await withRetry(({ signal }) => step(signal), controller.signal, options.retry, options.label);
        const current = poller as PollerHandle;
        resumeFrom = serialize(current);
        const state = options.describe(current.getOperationState(), resumeFrom);
        const done = current.isDone();
        subscriber.next(done && options.finish ? { ...state, done: false } : state);
        if (done) break;
        await abortableDelay(options.intervalMs, controller.signal);
      }
      const finish = options.finish;
      if (finish) {
        subscriber.next(
          await withRetry(({ signal }) => finish(signal), controller.signal, options.retry, options.label),
        );
      }
      subscriber.complete();
    };
    run().catch((error: unknown) => {
      if (!controller.signal.aborted) subscriber.error(error);
    });
    return () => {
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
