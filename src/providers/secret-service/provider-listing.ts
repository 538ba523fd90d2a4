import {
  isSecretNotFoundError,
  type ListOptions,
  makeRef,
  type Page,
  type SecretInfo,
  type SecretRef,
} from '../../provider-kit/index.js';
import { collectionOf, formatItemQuery, parseItemQuery } from './item-query.js';
import { ItemResolver, sortPaths } from './item-resolver.js';
import { itemInfo } from './item-secret.js';
import type { ProviderContext } from './provider-context.js';
import { userAttributes } from './user-attributes.js';

/**
 * One page of the items a prefix names: `secret-service:` (every collection), `secret-service:default` (one
 * collection), optionally filtered by attributes (`secret-service:default?service=myapp`). Items are ordered by
 * collection and item id; the cursor is the last item path returned, so the search is run again per page and items
 * written between pages are neither skipped nor repeated. Each item is named by its canonical ref (its collection as
 * the prefix named it, then the attributes a user set: see {@link userAttributes}), which `get` reads back; two items with identical attributes share a
 * name (and `get` reads the more recent). Values are not read (`withValues` reads them in one `GetSecrets` per page).
 * Searches and item properties come from the connection's ItemCache while it is live, so listing again costs the
 * `Collections` read of an all-collections prefix (or an alias read) and nothing else.
 */
export async function listPage(
  context: ProviderContext,
  prefix: SecretRef,
  options: ListOptions,
  cursor: string | undefined,
  signal: AbortSignal,
): Promise<Page<SecretInfo>> {
  const query = parseItemQuery(prefix, true);
  const client = await context.clients.client();
  const cache = await context.items.for(client.connection);
  const resolver = new ItemResolver(client, context.known, context.scheme, signal, cache);
  let collections: string[];
  try {
    const one = await resolver.collectionPath(prefix, query);
    collections = one === undefined ? await resolver.collections() : [one];
  } catch (error) {
    if (isSecretNotFoundError(error)) return { items: [], next: undefined }; // no such alias: nothing to list
    throw error;
  }
  const filtered = Object.keys(query.attributes).length > 0;
  const perCollection = await Promise.all(
    collections.map(async (path) => {
      try {
        return filtered ? await resolver.searchIn(path, query.attributes) : await resolver.collectionItems(path);
      } catch (error) {
        if (isSecretNotFoundError(error)) return []; // deleted since it was listed
        throw error;
      }
    }),
  );
  const all = sortPaths(perCollection.flat());
  const start = cursor === undefined ? 0 : all.findIndex((path) => compareAfter(path, cursor));
  const size = Math.max(1, Math.min(options.pageSize ?? context.pageSize, 1000));
  const pagePaths = start < 0 ? [] : all.slice(start, start + size);
  const more = start >= 0 && start + size < all.length;
  const found = await resolver.propertiesOf(pagePaths);
  const items: SecretInfo[] = [];
  for (const item of found) {
    if (!item) continue; // deleted since the search
    const spec =
      query.collection.kind === 'all' ? { kind: 'path' as const, path: collectionOf(item.path) } : query.collection;
    const name = formatItemQuery(spec, userAttributes(item.path, item.properties.label, item.properties.attributes));
    context.listed.put(name, item);
    items.push(itemInfo(makeRef(prefix.scheme, name), item));
  }
  return { items, next: more ? pagePaths.at(-1) : undefined };
}

function compareAfter(path: string, cursor: string): boolean {
  return sortPaths([path, cursor])[0] === cursor && path !== cursor;
}
