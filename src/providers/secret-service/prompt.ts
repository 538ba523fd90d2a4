import { Observable } from 'rxjs';
import { type Duration, PromptDismissedError, TimeoutError, toMilliseconds } from '../../provider-kit/index.js';
import type { SecretServiceConnection } from './connection.js';
import { Interfaces, NO_OBJECT_PATH, PROVIDER_SCHEME, SECRETS_BUS_NAME } from './constants.js';

/** A completed, accepted prompt. `result` is the unwrapped variant (`ao` for Unlock, `o` for CreateCollection). */
export interface PromptResult {
  readonly dismissed: false;
  readonly result: unknown;
}

/** Options of {@link runPrompt}. */
export interface PromptOptions {
  /** The platform window id the dialog should be transient for (X11 window id as text); default `''`. */
  windowId?: string;
  /**
   * How long to wait for the user before dismissing the prompt and failing with TimeoutError. Default 5 minutes.
   * gnome-keyring shows one prompt at a time, so a prompt is never left open.
   */
  timeout?: Duration;
  /**
   * Whether to call `Prompt.Dismiss()` when the subscriber leaves or the timeout fires. Default true. Turn it off
   * where dismissing is unsafe: gnome-keyring 42 aborts (assertion in gkd-secret-unlock.c) when an *Unlock* prompt
   * is dismissed while its dialog is open. The dialog then stays until the user answers it.
   */
  dismiss?: boolean;
}

const DISMISS_TIMEOUT_MS = 2000;

/** A prompt nobody answered within its timeout (it was dismissed); see {@link PromptOptions.timeout}. */
export class PromptTimeoutError extends TimeoutError {}

/**
 * A Secret Service prompt as a cold Observable. Subscribing adds a match for `Prompt.Completed` on `promptPath`
 * (gnome-keyring sends it unicast, other services broadcast it), then calls `Prompt(windowId)`; the accepted
 * result is emitted once and the stream completes. A dismissed prompt errors with PromptDismissedError.
 * Unsubscribing before completion, or the timeout, calls `Prompt.Dismiss()` so no dialog is left behind (unless
 * `dismiss: false`).
 * The path `/` means no prompt is needed: it emits `{ dismissed: false, result: undefined }` at once.
 */
export function runPrompt(
  connection: SecretServiceConnection,
  promptPath: string,
  options: PromptOptions = {},
): Observable<PromptResult> {
  return new Observable<PromptResult>((subscriber) => {
    if (promptPath === NO_OBJECT_PATH) {
      subscriber.next({ dismissed: false, result: undefined });
      subscriber.complete();
      return undefined;
    }
    const timeoutMs = toMilliseconds(options.timeout ?? 300_000, 'prompt timeout');
    const promptCall = new AbortController();
    let completed = false;
    const completedSignals = connection
      .signals({ sender: SECRETS_BUS_NAME, path: promptPath, interface: Interfaces.prompt, member: 'Completed' })
      .subscribe({
        next: (message) => {
          completed = true;
          const [dismissed, result] = message.body as [boolean, { value: unknown } | undefined];
          if (dismissed) {
            subscriber.error(
              new PromptDismissedError('the Secret Service prompt was dismissed', { provider: PROVIDER_SCHEME }),
            );
            return;
          }
          subscriber.next({ dismissed: false, result: result?.value });
          subscriber.complete();
        },
        error: (error: unknown) => subscriber.error(error),
      });
    connection
      .call(
        {
          path: promptPath,
          interface: Interfaces.prompt,
          member: 'Prompt',
          signature: 's',
          body: [options.windowId ?? ''],
        },
        { signal: promptCall.signal },
      )
      .catch((error: unknown) => {
        if (!promptCall.signal.aborted) subscriber.error(error);
      });
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          subscriber.error(
            new PromptTimeoutError(`the Secret Service prompt was not answered within ${timeoutMs} ms`, {
              provider: PROVIDER_SCHEME,
            }),
          );
        }, timeoutMs)
      : undefined;
    return () => {
      clearTimeout(timer);
      completedSignals.unsubscribe();
      promptCall.abort();
      if (!completed && options.dismiss !== false && !connection.isClosed) {
        connection
          .call({ path: promptPath, interface: Interfaces.prompt, member: 'Dismiss' }, { timeout: DISMISS_TIMEOUT_MS })
          .catch(() => {
            // the prompt may already be gone; nothing else to clean up
          });
      }
    };
  });
}

/**
 * Runs a prompt to completion as a Promise (for operations whose prompt is rare, like Delete): resolves with the
 * prompt's result, rejects with PromptDismissedError or TimeoutError; aborting `signal` dismisses the prompt.
 */
export function awaitPrompt(
  connection: SecretServiceConnection,
  promptPath: string,
  options: PromptOptions & { signal?: AbortSignal } = {},
): Promise<unknown> {
  const { signal, ...promptOptions } = options;
  return new Promise<unknown>((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = (): void => {
      subscription.unsubscribe();
      reject(signal?.reason);
    };
    const subscription = runPrompt(connection, promptPath, promptOptions).subscribe({
      next: (result) => resolve(result.result),
      error: (error: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
      complete: () => signal?.removeEventListener('abort', onAbort),
    });
    if (!subscription.closed) signal?.addEventListener('abort', onAbort, { once: true });
  });
}
