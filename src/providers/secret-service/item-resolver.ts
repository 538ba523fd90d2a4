import { isSecretNotFoundError, SecretNotFoundError, type SecretRef } from '../../provider-kit/index.js';
import type { CallOptions } from './connection.js';
import { Interfaces } from './constants.js';
import type { ItemProperties } from './item.js';
import { ALL_COLLECTIONS, attributesKey, type ItemCache } from './item-cache.js';
import type { ItemQuery } from './item-query.js';
import type { FoundItem } from './item-secret.js';
import type { KnownRefs } from './known-refs.js';
import { getProperty, toNumber } from './properties.js';
import type { SecretServiceClient } from './service.js';

const byPath = new Intl.Collator('en', { numeric: true });

/** Sorts item paths by collection, then by item id as a number (`…/login/2` before `…/login/10`). */
export function sortPaths(paths: Iterable<string>): string[] {
  return [...paths].sort(byPath.compare);
}

/**
 * Finds the items refs name, for one provider operation: aliases are read once per operation (however many refs
 * name them), searches and property reads run concurrently (the connection bounds the calls in flight).
 *
 * When several items match a ref, the most recently modified one is chosen (ties: the highest item id), as
 * `secret-tool lookup` does; their `Modified` times are always read afresh (one `Get` each), since `SetSecret`
 * changes them without a signal. Given an {@link ItemCache}, searches and properties are served from it when it is
 * live (reads, and watch probes when the cache is exact); without one (writes, deletes) every call goes to the
 * service.
 */
export class ItemResolver {
  readonly #client: SecretServiceClient;
  readonly #known: KnownRefs;
  readonly #scheme: string;
  readonly #options: CallOptions;
  readonly #cache: ItemCache | undefined;
  readonly #aliases = new Map<string, Promise<string>>();
  #synced: Promise<void> | undefined;

  constructor(client: SecretServiceClient, known: KnownRefs, scheme: string, signal: AbortSignal, cache?: ItemCache) {
    this.#client = client;
    this.#known = known;
    this.#scheme = scheme;
    this.#options = { signal };
    this.#cache = cache;
  }

  /** The object path of the collection a query names; undefined for every collection. */
  async collectionPath(ref: SecretRef, query: ItemQuery): Promise<string | undefined> {
    const spec = query.collection;
    if (spec.kind === 'all') return undefined;
    if (spec.kind === 'path') return spec.path;
    let reading = this.#aliases.get(spec.alias);
    if (!reading) {
      reading = this.#client.readAlias(spec.alias, this.#options).then((collection) => {
        if (!collection) {
          throw new SecretNotFoundError(`no Secret Service collection is aliased '${spec.alias}'`, {
            ref: ref.text,
            provider: this.#scheme,
          });
        }
        this.#known.rememberAlias(spec.alias, collection.path);
        this.#synced ??= Promise.resolve(); // a reply from the service, after every signal it sent before
        return collection.path;
      });
      this.#aliases.set(spec.alias, reading);
    }
    return reading;
  }

  /** The paths of every item matching the query (locked ones included), sorted. */
  async search(ref: SecretRef, query: ItemQuery): Promise<string[]> {
    // an alias read syncs with the service's signals as a ping would (see #sync)
    const syncing = this.#cache && query.collection.kind !== 'alias' ? this.#sync() : undefined;
    const [collection] = await Promise.all([this.collectionPath(ref, query), syncing]);
    return this.searchIn(collection, query.attributes);
  }

  /**
   * The paths of every item (locked ones included) of one collection, or of every collection (`undefined`), whose
   * attributes include `attributes`, sorted.
   */
  async searchIn(collection: string | undefined, attributes: Readonly<Record<string, string>>): Promise<string[]> {
    const fetch = async (): Promise<string[]> => {
      if (collection === undefined) {
        const { unlocked, locked } = await this.#client.searchItems(attributes, this.#options);
        return sortPaths([...unlocked, ...locked].map((item) => item.path));
      }
      const items = await this.#client.collection(collection).searchItems(attributes, this.#options);
      return sortPaths(items.map((item) => item.path));
    };
    if (!this.#cache) return fetch();
    await this.#sync();
    return this.#cache.search(collection ?? ALL_COLLECTIONS, attributesKey(attributes), fetch);
  }

  /** A mark of the cache's signals so far, for {@link rememberSearch}; undefined without a cache. */
  cacheMark(): number | undefined {
    return this.#cache?.mark();
  }

  /**
   * Stores what a search of `attributes` in `collection` (or every collection) would have found, derived from other
   * calls made after `mark`; dropped if a signal arrived since (see {@link ItemCache.storeSearch}).
   */
  rememberSearch(
    collection: string | undefined,
    attributes: Readonly<Record<string, string>>,
    paths: readonly string[],
    mark: number | undefined,
  ): void {
    if (mark === undefined) return;
    this.#cache?.storeSearch(collection ?? ALL_COLLECTIONS, attributesKey(attributes), paths, mark);
  }

  /** The paths of every collection (the service's `Collections` property; the reply syncs as a ping would). */
  async collections(): Promise<string[]> {
    const collections = await this.#client.collections(this.#options);
    this.#synced ??= Promise.resolve();
    return collections.map((collection) => collection.path);
  }

  /** Every item of one collection (its `Items` property), sorted. */
  async collectionItems(collection: string): Promise<string[]> {
    const fetch = async () =>
      sortPaths((await this.#client.collection(collection).items(this.#options)).map((i) => i.path));
    if (!this.#cache) return fetch();
    await this.#sync();
    return this.#cache.search(collection, 'items', fetch);
  }

  /**
   * The item to read among `paths` (the most recently modified), with its properties; undefined when none is left.
   * One item: its properties. Several: a fresh `Modified` of each, then the properties of the chosen one only.
   */
  async choose(paths: readonly string[]): Promise<FoundItem | undefined> {
    if (paths.length <= 1) return paths[0] === undefined ? undefined : this.properties(paths[0]);
    for (const { path, modified } of await this.#ranked(paths)) {
      const item = await this.properties(path);
      if (item) return { path, properties: { ...item.properties, modified } };
    }
    return undefined;
  }

  /** The path to read among `paths` (the most recently modified), without its properties; undefined: none left. */
  async newest(paths: readonly string[]): Promise<string | undefined> {
    if (paths.length <= 1) return paths[0];
    return (await this.#ranked(paths))[0]?.path;
  }

  /** Existing items among `paths`, the most recently modified first (ties: the highest item id): a fresh Get each. */
  async #ranked(paths: readonly string[]): Promise<Array<{ path: string; modified: number }>> {
    const times = await Promise.all(paths.map((path) => this.#modified(path)));
    return paths
      .map((path, index) => ({ path, index, modified: times[index] }))
      .filter((entry): entry is { path: string; index: number; modified: number } => entry.modified !== undefined)
      .sort((a, b) => b.modified - a.modified || b.index - a.index);
  }

  /** The properties of one item; undefined when it no longer exists. */
  async properties(path: string): Promise<FoundItem | undefined> {
    const fetch = async (): Promise<ItemProperties | undefined> => {
      try {
        return await this.#client.item(path).properties(this.#options);
      } catch (error) {
        if (isSecretNotFoundError(error)) return undefined;
        throw error;
      }
    };
    if (this.#cache) await this.#sync();
    const properties = await (this.#cache ? this.#cache.properties(path, fetch) : fetch());
    return properties && { path, properties };
  }

  /** Whether a search of `attributes` in `collection` (or every collection) is cached (it costs no call). */
  hasSearch(collection: string | undefined, attributes: Readonly<Record<string, string>>): boolean {
    return this.#cache?.hasSearch(collection ?? ALL_COLLECTIONS, attributesKey(attributes)) ?? false;
  }

  /** Whether the properties of an item are cached (reading them costs no call). */
  hasProperties(path: string): boolean {
    return this.#cache?.peek(path) !== undefined;
  }

  /** The properties of many items, aligned with `paths` (undefined: no such item); one sync for all. */
  async propertiesOf(paths: readonly string[]): Promise<Array<FoundItem | undefined>> {
    const cache = this.#cache;
    if (cache) await this.#sync();
    return Promise.all(
      paths.map((path) => {
        const hit = cache?.peek(path);
        return hit ? { path, properties: hit } : this.properties(path);
      }),
    );
  }

  /** The chosen item for a ref; SecretNotFoundError when nothing matches. */
  async find(ref: SecretRef, query: ItemQuery): Promise<FoundItem> {
    const item = await this.choose(await this.search(ref, query));
    if (!item) throw this.notFound(ref);
    this.#known.remember(ref.name, query, item.path);
    return item;
  }

  /** Once per operation, unless an alias read already did the same: see {@link ItemCache.sync}. */
  #sync(): Promise<void> {
    this.#synced ??= (this.#cache as ItemCache).sync(this.#options);
    return this.#synced;
  }

  async #modified(path: string): Promise<number | undefined> {
    try {
      return toNumber(await getProperty(this.#client.connection, path, Interfaces.item, 'Modified', this.#options));
    } catch (error) {
      if (isSecretNotFoundError(error)) return undefined;
      throw error;
    }
  }

  /** The error of a ref that matches no item. */
  notFound(ref: SecretRef): SecretNotFoundError {
    return new SecretNotFoundError(`${ref.text} matches no Secret Service item`, {
      ref: ref.text,
      provider: this.#scheme,
    });
  }
}
