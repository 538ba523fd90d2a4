import {
  isInvalidSecretRefError,
  isLockedError,
  isSecretNotFoundError,
  LockedError,
  type ProbeResult,
  type Secret,
  type SecretRef,
} from '../../provider-kit/index.js';
import { findItems, perRef, type RefQuery } from './batch-resolver.js';
import { type GetSecretsResult, getSecrets, getSecretsInChunks } from './get-secrets.js';
import { collectionOf, type ItemQuery, parseItemQuery } from './item-query.js';
import { ItemResolver } from './item-resolver.js';
import { type FoundItem, itemSecret, UNREAD_PROPERTIES } from './item-secret.js';
import { notFoundOrLocked } from './locked-away.js';
import type { ProviderContext } from './provider-context.js';
import type { SecretBytes } from './secret-value.js';
import type { SecretServiceClient } from './service.js';
import { TransientLockedError, unlockCollections } from './unlock.js';

/**
 * Reads many refs: the refs are resolved to their items (see {@link findItems}: refs sharing attributes cost one
 * search in all, else a search each; then each item's properties), with searches and properties served from the
 * connection's {@link ItemCache} while it is live; then every value is fetched at once (`Service.GetSecrets` calls of
 * up to 100 items, all sent together, each chunk turned into Secrets as it arrives). Several matching items cost a
 * fresh `Modified` read each; an item whose value changed since its cached properties were read (a SetSecret sends
 * no signal) has them read again. With `itemMetadata: false` each ref is searched alone (or served by the cache) and
 * no property is read. Items in locked collections are unlocked through one prompt (interactive) or reported as
 * LockedError per ref (non-interactive); a ref that matches nothing is a SecretNotFoundError in its slot.
 */
export async function readMany(
  context: ProviderContext,
  refs: readonly SecretRef[],
  signal: AbortSignal,
): Promise<Array<Secret | Error>> {
  const client = await context.clients.client();
  const cache = await context.items.for(client.connection);
  const resolver = new ItemResolver(client, context.known, context.scheme, signal, cache);
  const found = await resolveRefs(context, resolver, refs);
  const waiting = new Map<string, number[]>(); // item path → the refs it answers
  for (const [index, entry] of found.entries()) {
    if (entry instanceof Error) continue;
    const indexes = waiting.get(entry.path);
    if (indexes) indexes.push(index);
    else waiting.set(entry.path, [index]);
  }
  const results = found.map((entry): Secret | Error | undefined => (entry instanceof Error ? entry : undefined));
  const answer = (path: string, item: FoundItem | undefined, bytes: SecretBytes, token: string): void => {
    for (const index of waiting.get(path) ?? []) {
      results[index] = itemSecret(refs[index] as SecretRef, item ?? (found[index] as FoundItem), bytes, token);
    }
  };
  const stale: Array<{ path: string; bytes: SecretBytes; token: string }> = [];
  // each chunk of values becomes Secrets on arrival, while the service still works on the other chunks
  const build = (secrets: ReadonlyMap<string, SecretBytes>): void => {
    for (const [path, bytes] of secrets) {
      const token = context.tokens.of(bytes);
      if (context.itemMetadata && cache.valueRead(path, token)) stale.push({ path, bytes, token });
      else answer(path, undefined, bytes, token);
    }
  };
  const batch = await readUnlocking(context, client, [...waiting.keys()], signal, build);
  try {
    await Promise.all(
      stale.map(async ({ path, bytes, token }) => answer(path, await resolver.properties(path), bytes, token)),
    );
    const settled = results.map((result, index) => {
      if (result) return result;
      const ref = refs[index] as SecretRef;
      const { path } = found[index] as FoundItem;
      return batch.locked.includes(path) ? lockedError(context, ref, path) : resolver.notFound(ref);
    });
    const checked = new Map<string, Promise<boolean>>();
    return await Promise.all(
      settled.map((result, index) =>
        isSecretNotFoundError(result)
          ? lockedAway(context, client, resolver, refs[index], result, signal, checked)
          : result,
      ),
    );
  } finally {
    for (const bytes of batch.secrets.values()) bytes.wipe();
  }
}

/**
 * Version tokens of many refs: each ref's item (a search per ref, and fresh `Modified` reads only when several items
 * match), then one `GetSecrets` for all, hashed with the provider's key and wiped. A ref whose collection is locked
 * gets a transient LockedError (the watch keeps its value and checks again); no prompt is ever shown by a probe.
 *
 * When the connection's item cache is exact (live on gnome-keyring, see {@link ItemCache.exact}), the searches come
 * from it: a poll of many watched refs then costs an alias read (or a ping) and the `GetSecrets`. That is safe
 * because the value is always read: a SetSecret, the one change gnome-keyring does not signal, changes the value and
 * never which items match; every other change drops the searches it affects. On another service (KeePassXC, KWallet:
 * signals may be missed, late or absent) every probe searches again.
 */
export async function probeMany(
  context: ProviderContext,
  refs: readonly SecretRef[],
  signal: AbortSignal,
): Promise<ProbeResult[]> {
  const client = await context.clients.client();
  const cache = await context.items.for(client.connection);
  const resolver = new ItemResolver(client, context.known, context.scheme, signal, cache.exact ? cache : undefined);
  const chosen = await Promise.all(
    refs.map((ref) =>
      perRef(async () => {
        const query = parseItemQuery(ref);
        const paths = await resolver.search(ref, query);
        const path = await resolver.newest(paths);
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
    const checked = new Map<string, Promise<boolean>>();
    const hidden = await Promise.all(
      chosen.map((path, index) =>
        isSecretNotFoundError(path) ? lockedAway(context, client, resolver, refs[index], path, signal, checked) : path,
      ),
    );
    return refs.map((ref, index): ProbeResult => {
      const path = hidden[index] as string | Error;
      if (isLockedError(path)) {
        return { error: new TransientLockedError(path.message, { ref: ref.text, provider: context.scheme }) };
      }
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

/**
 * The item of each ref: the one a listing page just read for it, or found by {@link findItems} (one shared search for
 * refs with common attributes, else a search per ref).
 */
async function resolveRefs(
  context: ProviderContext,
  resolver: ItemResolver,
  refs: readonly SecretRef[],
): Promise<Array<FoundItem | Error>> {
  const found: Array<FoundItem | Error | undefined> = new Array(refs.length);
  const searched: RefQuery[] = [];
  const slots: number[] = [];
  for (const [index, ref] of refs.entries()) {
    let query: ItemQuery;
    try {
      query = parseItemQuery(ref);
    } catch (error) {
      if (!isInvalidSecretRefError(error)) throw error;
      found[index] = error;
      continue;
    }
    const listed = context.listed.take(ref.name);
    if (listed) {
      context.known.remember(ref.name, query, listed.path);
      found[index] = context.itemMetadata ? listed : { path: listed.path, properties: UNREAD_PROPERTIES };
    } else {
      searched.push({ ref, query });
      slots.push(index);
    }
  }
  const resolved = context.itemMetadata
    ? await findItems(resolver, context.known, searched)
    : await Promise.all(searched.map((entry) => perRef(() => locate(context, resolver, entry))));
  for (const [position, index] of slots.entries()) found[index] = resolved[position];
  return found as Array<FoundItem | Error>;
}

/**
 * The item of one ref without its properties (`itemMetadata: false`): its search (or the cached one), and a fresh
 * `Modified` of each match when several match.
 */
async function locate(context: ProviderContext, resolver: ItemResolver, { ref, query }: RefQuery): Promise<FoundItem> {
  const path = await resolver.newest(await resolver.search(ref, query));
  if (path === undefined) throw resolver.notFound(ref);
  context.known.remember(ref.name, query, path);
  return { path, properties: UNREAD_PROPERTIES };
}

/** Items per `GetSecrets` call of a read; the chunks of one read are sent at once. */
const GET_SECRETS_CHUNK = 100;

/**
 * GetSecrets (in chunks); locked items are unlocked (one prompt for all their collections) and read again when
 * interactive.
 */
async function readUnlocking(
  context: ProviderContext,
  client: SecretServiceClient,
  paths: readonly string[],
  signal: AbortSignal,
  onChunk: (secrets: ReadonlyMap<string, SecretBytes>) => void,
): Promise<GetSecretsResult> {
  const first = await getSecretsInChunks(client, paths, GET_SECRETS_CHUNK, { signal }, onChunk);
  if (first.locked.length === 0 || !context.prompts.interactive) return first;
  let second: GetSecretsResult;
  try {
    await unlockCollections(client, first.locked.map(collectionOf), context.prompts, context.scheme, signal);
    second = await getSecretsInChunks(client, first.locked, GET_SECRETS_CHUNK, { signal }, onChunk);
  } catch (error) {
    for (const bytes of first.secrets.values()) bytes.wipe();
    throw error;
  }
  const secrets = new Map<string, SecretBytes>([...first.secrets, ...second.secrets]);
  return { secrets, locked: second.locked, missing: [...first.missing, ...second.missing] };
}

/** A miss, or a LockedError where a lock may hide the item (see {@link notFoundOrLocked}). */
function lockedAway(
  context: ProviderContext,
  client: SecretServiceClient,
  resolver: ItemResolver,
  ref: SecretRef | undefined,
  notFound: Error,
  signal: AbortSignal,
  checked: Map<string, Promise<boolean>>,
): Promise<Error> {
  if (ref === undefined) return Promise.resolve(notFound);
  return notFoundOrLocked(client, resolver, ref, parseItemQuery(ref), notFound, signal, context.scheme, checked);
}

function lockedError(context: ProviderContext, ref: SecretRef, path: string): LockedError {
  const why = context.prompts.interactive ? 'stayed locked after the unlock prompt' : 'is locked (non-interactive)';
  return new LockedError(`${ref.text}: the collection ${collectionOf(path)} ${why}`, {
    ref: ref.text,
    provider: context.scheme,
  });
}
