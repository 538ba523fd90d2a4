import {
  AccessDeniedError,
  ConflictError,
  isLockedError,
  isSecretNotFoundError,
  type SecretInfo,
  type SecretRef,
  type SetOptions,
} from '../../provider-kit/index.js';
import { Interfaces, NO_OBJECT_PATH } from './constants.js';
import { collectionOf, parseItemQuery } from './item-query.js';
import { ItemResolver } from './item-resolver.js';
import { itemInfo } from './item-secret.js';
import { awaitPrompt, PromptTimeoutError } from './prompt.js';
import type { ProviderContext } from './provider-context.js';
import { SecretBytes } from './secret-value.js';
import type { SecretServiceClient } from './service.js';
import { unlockCollections } from './unlock.js';

/**
 * Stores a value as one item (`Collection.CreateItem` with replace): attributes are the ref's plus the `tags`
 * option; the label is the `label` option, else the provider's. A ref naming every collection (`secret-service:?…`)
 * writes to the `default` collection. A locked collection is unlocked first (interactive) or fails with LockedError.
 * With `ifNotExists`, an existing match is a ConflictError. A confirmation prompt of CreateItem left unanswered for
 * the prompt timeout (KeePassXC 2.7.4 on an overwrite) is dismissed and fails with AccessDeniedError.
 */
export async function writeItem(
  context: ProviderContext,
  ref: SecretRef,
  value: string | Uint8Array,
  options: SetOptions,
  signal: AbortSignal,
): Promise<SecretInfo> {
  const query = parseItemQuery(ref);
  const client = await context.clients.client();
  const resolver = new ItemResolver(client, context.known, context.scheme, signal);
  const target = query.collection.kind === 'all' ? { kind: 'alias' as const, alias: 'default' } : query.collection;
  const collectionPath = (await resolver.collectionPath(ref, { ...query, collection: target })) as string;
  if (options.ifNotExists === true && (await resolver.search(ref, query)).length > 0) {
    throw new ConflictError(`${ref.text} already exists`, { ref: ref.text, provider: context.scheme });
  }
  const attributes = { ...(options.tags ?? {}), ...query.attributes };
  const label = typeof options.label === 'string' ? options.label : context.labelFor(ref.name, query, attributes);
  const contentType = options.contentType ?? (typeof value === 'string' ? 'text/plain' : 'application/octet-stream');
  const create = () =>
    client
      .collection(collectionPath)
      .createItem({ label, attributes, secret: value, contentType, replace: true }, { signal });
  let item: Awaited<ReturnType<typeof create>>;
  try {
    item = await create().catch((error: unknown) => {
      if (!isLockedError(error)) throw error;
      return unlockCollections(client, [collectionPath], context.prompts, context.scheme, signal).then(create);
    });
  } catch (error) {
    if (!(error instanceof PromptTimeoutError)) throw error;
    // not transient: retrying would only show the dialog again
    throw new AccessDeniedError(
      `${ref.text}: the Secret Service asked for a confirmation that was not given (${error.message}). KeePassXC ` +
        '2.7.4 asks before a client overwrites an item another client created, even with access confirmation off ' +
        '(fixed in 2.7.5)',
      { cause: error, ref: ref.text, provider: context.scheme },
    );
  }
  context.listed.clear();
  context.known.remember(ref.name, query, item.path);
  const found = await resolver.properties(item.path);
  if (!found) throw resolver.notFound(ref); // deleted right after it was written
  const written = new SecretBytes(typeof value === 'string' ? Buffer.from(value, 'utf8') : value, contentType);
  const version = context.tokens.of(written);
  if (typeof value === 'string') written.wipe();
  return itemInfo(ref, found, version, contentType);
}

/**
 * Deletes every item the ref matches (as `secret-tool clear` does); none is a SecretNotFoundError. A locked
 * collection is unlocked first (interactive) or fails with LockedError; a deletion the service wants confirmed runs
 * its prompt (interactive) or fails with AccessDeniedError.
 */
export async function deleteItems(context: ProviderContext, ref: SecretRef, signal: AbortSignal): Promise<void> {
  const query = parseItemQuery(ref);
  const client = await context.clients.client();
  const resolver = new ItemResolver(client, context.known, context.scheme, signal);
  const paths = await resolver.search(ref, query);
  if (paths.length === 0) throw resolver.notFound(ref);
  context.listed.clear();
  for (const path of paths) {
    try {
      await deleteOne(context, client, path, signal);
    } catch (error) {
      if (isSecretNotFoundError(error)) continue; // deleted meanwhile
      if (!isLockedError(error)) throw error;
      await unlockCollections(client, [collectionOf(path)], context.prompts, context.scheme, signal);
      await deleteOne(context, client, path, signal);
    }
  }
}

async function deleteOne(
  context: ProviderContext,
  client: SecretServiceClient,
  path: string,
  signal: AbortSignal,
): Promise<void> {
  const [prompt] = await client.connection.call({ path, interface: Interfaces.item, member: 'Delete' }, { signal });
  if (prompt === NO_OBJECT_PATH) return;
  if (!context.prompts.interactive) {
    await client.connection
      .call({ path: prompt as string, interface: Interfaces.prompt, member: 'Dismiss' }, { timeout: 2000 })
      .catch(() => {});
    throw new AccessDeniedError(`deleting ${path} needs a confirmation prompt (non-interactive)`, {
      provider: context.scheme,
    });
  }
  await awaitPrompt(client.connection, prompt as string, {
    ...(context.prompts.promptTimeout === undefined ? {} : { timeout: context.prompts.promptTimeout }),
    ...(context.prompts.windowId === undefined ? {} : { windowId: context.prompts.windowId }),
    signal,
  });
}
