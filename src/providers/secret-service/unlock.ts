import type { Observable } from 'rxjs';
import { LockedError } from '../../provider-kit/index.js';
import type { SecretServiceClient } from './service.js';

/** How the provider deals with locked collections and prompts. */
export interface PromptPolicy {
  /** Whether prompts may be shown (false: locked collections fail with LockedError). */
  readonly interactive: boolean;
  /** The prompt timeout and window id. */
  readonly promptTimeout?: number;
  readonly windowId?: string;
}

/**
 * A LockedError that does not end a watch: a poll found the item's collection locked (a screen lock, a user's
 * `Lock`), so the watch keeps its last value and checks again later instead of failing for good.
 */
export class TransientLockedError extends LockedError {
  override readonly transient = true;
}

/**
 * Unlocks the collections holding locked items: through the service's prompt when interactive (a dismissed or
 * impossible dialog fails with PromptDismissedError), else fails at once with LockedError naming the collection.
 */
export async function unlockCollections(
  client: SecretServiceClient,
  collections: readonly string[],
  policy: PromptPolicy,
  scheme: string,
  signal: AbortSignal,
): Promise<void> {
  const paths = [...new Set(collections)];
  if (paths.length === 0) return;
  if (!policy.interactive) {
    throw new LockedError(`the collection ${paths.join(', ')} is locked (non-interactive: no unlock prompt)`, {
      provider: scheme,
    });
  }
  await untilDone(
    client.unlock(paths, {
      ...(policy.promptTimeout === undefined ? {} : { promptTimeout: policy.promptTimeout }),
      ...(policy.windowId === undefined ? {} : { windowId: policy.windowId }),
    }),
    signal,
  );
}

/** The last value of `source`; aborting `signal` unsubscribes (which dismisses a prompt where that is safe). */
export function untilDone<T>(source: Observable<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.throwIfAborted();
    let last: { value: T } | undefined;
    const onAbort = (): void => {
      subscription.unsubscribe();
      reject(signal.reason);
    };
    const subscription = source.subscribe({
      next: (value) => {
        last = { value };
      },
      error: (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
      complete: () => {
        signal.removeEventListener('abort', onAbort);
        if (last) resolve(last.value);
        else reject(new Error('the operation completed without a result'));
      },
    });
    if (!subscription.closed) signal.addEventListener('abort', onAbort, { once: true });
  });
}
