import { Interfaces, NO_OBJECT_PATH } from './constants.js';
import { callOptionsFor, type PromptingOptions, promptOptionsFor, type SecretServiceContext } from './context.js';
import { awaitPrompt } from './prompt.js';

/** Options of deleting a collection or an item. */
export type DeleteObjectOptions = PromptingOptions & { signal?: AbortSignal };

/**
 * Calls `Delete` on a collection or an item, then runs the prompt if the service returns one (gnome-keyring returns
 * none; other services may ask the user to confirm).
 */
export async function deleteObject(
  context: SecretServiceContext,
  path: string,
  kind: 'collection' | 'item',
  options: DeleteObjectOptions,
): Promise<void> {
  const [prompt] = await context.connection.call(
    { path, interface: Interfaces[kind], member: 'Delete' },
    callOptionsFor(options, options.signal),
  );
  if (prompt !== NO_OBJECT_PATH) {
    await awaitPrompt(context.connection, prompt as string, {
      ...promptOptionsFor(context, options),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
}
