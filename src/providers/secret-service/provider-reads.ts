import { isInvalidSecretRefError, isLockedError, isSecretNotFoundError, LockedError } from '../../core/errors/index.js';
import type { ProbeResult } from '../../core/provider.js';
import type { SecretRef } from '../../core/ref.js';
import type { Secret } from '../../core/secret.js';
import { type GetSecretsResult, getSecrets } from './get-secrets.js';
import { collectionOf, parseItemQuery } from './item-query.js';
import { ItemResolver } from './item-resolver.js';
import { type FoundItem, itemSecret } from './item-secret.js';
import type { ProviderContext } from './provider-context.js';
import type { SecretBytes } from './secret-value.js';
import type { SecretServiceClient } from './service.js';
import { TransientLockedError, unlockCollections } from './unlock.js';

/**
 * Reads many refs with one `Service.GetSecrets` call: each ref is resolved to its item (a search, and the item's
 * properties, both served from the connection's {@link ItemCache} while it is live), then every value is fetched at
 * once. Several matching items cost a fresh `Modified` read each; an item whose value changed since its cached
 * properties were read (a SetSecret sends no signal) has them read again. Items in locked collections are unlocked
 * through one prompt (interactive) or reported as LockedError per ref (non-interactive); a ref that matches nothing
 * is a SecretNotFoundError in its slot.
 */
export async function readMany(
  context: ProviderContext,
  refs: readonly SecretRef[],
  signal: AbortSignal,
): Promise<Array<Secret | Error>> {
  const client = await context.clients.client();
  const cache = await context.items.for(client.connection);
  const resolver = new ItemResolver(client, context.known, context.scheme, signal, cache);
  const found = await Promise.all(
    refs.map((ref) =>
      perRef(async () => {
        const query = parseItemQuery(ref);
        const listed = context.listed.take(ref.name);
        if (!listed) return resolver.find(ref, query);
        context.known.remember(ref.name, query, listed.path);
        return listed;
      }),
    ),
  );
  const items = found.filter((entry): entry is FoundItem => !(entry instanceof Error));
  const batch = await readUnlocking(
    context,
    client,
    items.map((item) => item.path),
    signal,
  );
  try {
    const tokens = new Map<string, string>();
    const stale: string[] = [];
    for (const [path, bytes] of batch.secrets) {
      const token = context.tokens.of(bytes);
      tokens.set(path, token);
      if (cache.valueRead(path, token)) stale.push(path);
    }
    const refreshed = new Map<string, FoundItem | undefined>();
    await Promise.all(stale.map(async (path) => refreshed.set(path, await resolver.properties(path))));
    return refs.map((ref, index) => {
      let item = found[index] as FoundItem | Error;
      if (item instanceof Error) return item;
      const bytes = batch.secrets.get(item.path);
      const token = tokens.get(item.path);
      if (bytes && token !== undefined) {
        item = refreshed.get(item.path) ?? item;
        return itemSecret(ref, item, bytes, token);
      }
      if (batch.locked.includes(item.path)) return lockedError(context, ref, item.path);
      return resolver.notFound(ref);
    });
  } finally {
    for (const bytes of batch.secrets.values()) bytes.wipe();
  }
}

/**
 * Version tokens of many refs: a search per ref (and property reads only when several items match), then one
 * `GetSecrets` for all, hashed with the provider's key and wiped. A ref whose collection is locked gets a transient
 * LockedError (the watch keeps its value and checks again); no prompt is ever shown by a probe.
 */
export async function probeMany(
  context: ProviderContext,
  refs: readonly SecretRef[],
  signal: AbortSignal,
): Promise<ProbeResult[]> {
  const client = await context.clients.client();
  const resolver = new ItemResolver(client, context.known, context.scheme, signal);
  const chosen = await Promise.all(
    refs.map((ref) =>
      perRef(async () => {
        const query = parseItemQuery(ref);
        const paths = await resolver.search(ref, query);
        const path = paths.length === 1 ? paths[0] : (await resolver.choose(paths))?.path;
        if (path === undefined) throw resolver.notFound(ref);
        context.known.remember(ref.name, query, path);
        return path;
      }),
    ),
  );
  const batch = await getSecrets(
    client,
    chosen.filter((path): path is string => typeof path === 'string'),
    { signal },
  );
  try {
    return refs.map((ref, index): ProbeResult => {
      const path = chosen[index] as string | Error;
      if (path instanceof Error) return { error: path };
      const bytes = batch.secrets.get(path);
      if (bytes) return { version: context.tokens.of(bytes) };
      if (batch.locked.includes(path)) {
        return {
          error: new TransientLockedError(`${ref.text}: the collection ${collectionOf(path)} is locked`, {
            ref: ref.text,
            provider: context.scheme,
          }),
        };
      }
      return { error: resolver.notFound(ref) };
    });
  } finally {
    for (const bytes of batch.secrets.values()) bytes.wipe();
  }
}

/** Whether any item (locked or not) matches the ref: one search (or the cached one), no value read. */
export async function anyMatch(context: ProviderContext, ref: SecretRef, signal: AbortSignal): Promise<boolean> {
  const client = await context.clients.client();
  const cache = await context.items.for(client.connection);
  const resolver = new ItemResolver(client, context.known, context.scheme, signal, cache);
  try {
    return (await resolver.search(ref, parseItemQuery(ref))).length > 0;
  } catch (error) {
    if (isSecretNotFoundError(error)) return false; // no such alias or collection
    throw error;
  }
}

/** GetSecrets; locked items are unlocked (one prompt for all their collections) and read again when interactive. */
async function readUnlocking(
  context: ProviderContext,
  client: SecretServiceClient,
  paths: readonly string[],
  signal: AbortSignal,
): Promise<GetSecretsResult> {
  const first = await getSecrets(client, paths, { signal });
  if (first.locked.length === 0 || !context.prompts.interactive) return first;
  await unlockCollections(client, first.locked.map(collectionOf), context.prompts, context.scheme, signal);
  const second = await getSecrets(client, first.locked, { signal });
  const secrets = new Map<string, SecretBytes>([...first.secrets, ...second.secrets]);
  return { secrets, locked: second.locked, missing: [...first.missing, ...second.missing] };
}

function lockedError(context: ProviderContext, ref: SecretRef, path: string): LockedError {
  const why = context.prompts.interactive ? 'stayed locked after the unlock prompt' : 'is locked (non-interactive)';
  return new LockedError(`${ref.text}: the collection ${collectionOf(path)} ${why}`, {
    ref: ref.text,
    provider: context.scheme,
  });
}

/** Runs one ref's part of a batch: errors about that ref alone become its result, anything else fails the batch. */
async function perRef<T>(run: () => Promise<T>): Promise<T | Error> {
  try {
    return await run();
  } catch (error) {
    if (isSecretNotFoundError(error) || isInvalidSecretRefError(error) || isLockedError(error)) return error as Error;
    throw error;
  }
}
