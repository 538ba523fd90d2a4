import { map, type Observable, of, switchMap } from 'rxjs';
import { fromAbortable } from '../../provider-kit/index.js';
import { Interfaces, NO_OBJECT_PATH, SERVICE_PATH } from './constants.js';
import { callOptionsFor, type PromptingOptions, promptOptionsFor, type SecretServiceContext } from './context.js';
import { runPrompt } from './prompt.js';

/** Whether to lock or unlock. */
export type LockAction = 'Lock' | 'Unlock';

/**
 * Locks or unlocks collections or items (`Service.Lock` / `Service.Unlock`) as a cold Observable: emits the paths
 * that end up in the wanted state, then completes. When the service needs a prompt (gnome-keyring: Unlock of a
 * locked collection) the prompt runs inside the stream; a dismissed prompt errors with PromptDismissedError and
 * unsubscribing dismisses it, except an Unlock prompt on gnome-keyring, which would abort the daemon: that dialog
 * stays open for the user to answer (see {@link SecretServiceContext.canDismissUnlockPrompts}).
 */
export function changeLockState(
  context: SecretServiceContext,
  action: LockAction,
  paths: readonly string[],
  options: PromptingOptions = {},
): Observable<string[]> {
  return fromAbortable(async (signal) => {
    const callOptions = callOptionsFor(options, signal);
    const reply = await context.connection.call(
      { path: SERVICE_PATH, interface: Interfaces.service, member: action, signature: 'ao', body: [[...paths]] },
      callOptions,
    );
    const dismiss =
      reply[1] === NO_OBJECT_PATH || action === 'Lock' || (await context.canDismissUnlockPrompts(callOptions));
    return { done: reply[0] as string[], prompt: reply[1] as string, dismiss };
  }).pipe(
    switchMap(({ done, prompt, dismiss }) => {
      if (prompt === NO_OBJECT_PATH) return of(done);
      return runPrompt(context.connection, prompt, { ...promptOptionsFor(context, options), dismiss }).pipe(
        map(({ result }) => [...done, ...((result as string[] | undefined) ?? [])]),
      );
    }),
  );
}
