import { isSecretNotFoundError, LockedError, type SecretRef } from '../../provider-kit/index.js';
import type { ItemQuery } from './item-query.js';
import type { ItemResolver } from './item-resolver.js';
import type { SecretServiceClient } from './service.js';

/**
 * The error of a ref that matched no item: a LockedError when the item may only be hidden by a lock, else
 * `notFound`. KeePassXC withdraws every item of a locked database (its collection then lists none), so "no match" in
 * a locked collection that lists no items says nothing; gnome-keyring and KWallet keep listing locked items, so their
 * "no match" stays a SecretNotFoundError. Costs one property read per collection (`Locked`; `Items` too when locked),
 * once per `checked` map, only on a miss.
 */
export async function notFoundOrLocked(
  client: SecretServiceClient,
  resolver: ItemResolver,
  ref: SecretRef,
  query: ItemQuery,
  notFound: Error,
  signal: AbortSignal,
  scheme: string,
  checked: Map<string, Promise<boolean>> = new Map(),
): Promise<Error> {
  let collections: string[];
  try {
    const one = await resolver.collectionPath(ref, query);
    collections = one === undefined ? await resolver.collections() : [one];
  } catch (error) {
    if (isSecretNotFoundError(error)) return notFound;
    throw error;
  }
  const lockedAway = (path: string): Promise<boolean> => {
    let checking = checked.get(path);
    if (!checking) {
      const collection = client.collection(path);
      checking = collection
        .isLocked({ signal })
        .then(async (locked) => locked && (await collection.items({ signal })).length === 0)
        .catch((error: unknown) => {
          if (isSecretNotFoundError(error)) return false;
          throw error;
        });
      checked.set(path, checking);
    }
    return checking;
  };
  const emptied = await Promise.all(collections.map(lockedAway));
  const locked = collections.filter((_, index) => emptied[index]);
  if (locked.length === 0) return notFound;
  return new LockedError(`${ref.text}: the collection ${locked.join(', ')} is locked (its items are hidden)`, {
    ref: ref.text,
    provider: scheme,
  });
}
