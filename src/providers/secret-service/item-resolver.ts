import { isSecretNotFoundError, SecretNotFoundError } from '../../core/errors/index.js';
import type { SecretRef } from '../../core/ref.js';
import type { CallOptions } from './connection.js';
import type { ItemQuery } from './item-query.js';
import type { FoundItem } from './item-secret.js';
import type { KnownRefs } from './known-refs.js';
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
 * `secret-tool lookup` does.
 */
export class ItemResolver {
  readonly #client: SecretServiceClient;
  readonly #known: KnownRefs;
  readonly #scheme: string;
  readonly #options: CallOptions;
  readonly #aliases = new Map<string, Promise<string>>();

  constructor(client: SecretServiceClient, known: KnownRefs, scheme: string, signal: AbortSignal) {
    this.#client = client;
    this.#known = known;
    this.#scheme = scheme;
    this.#options = { signal };
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
        return collection.path;
      });
      this.#aliases.set(spec.alias, reading);
    }
    return reading;
  }

  /** The paths of every item matching the query (locked ones included), sorted. */
  async search(ref: SecretRef, query: ItemQuery): Promise<string[]> {
    const collection = await this.collectionPath(ref, query);
    if (collection === undefined) {
      const { unlocked, locked } = await this.#client.searchItems(query.attributes, this.#options);
      return sortPaths([...unlocked, ...locked].map((item) => item.path));
    }
    const items = await this.#client.collection(collection).searchItems(query.attributes, this.#options);
    return sortPaths(items.map((item) => item.path));
  }

  /** The item to read among `paths` (the most recently modified), with its properties; undefined when none is left. */
  async choose(paths: readonly string[]): Promise<FoundItem | undefined> {
    const found = await Promise.all(paths.map((path) => this.properties(path)));
    let chosen: FoundItem | undefined;
    for (const item of found) {
      if (item && (!chosen || item.properties.modified >= chosen.properties.modified)) chosen = item;
    }
    return chosen;
  }

  /** The properties of one item; undefined when it no longer exists. */
  async properties(path: string): Promise<FoundItem | undefined> {
    try {
      return { path, properties: await this.#client.item(path).properties(this.#options) };
    } catch (error) {
      if (isSecretNotFoundError(error)) return undefined;
      throw error;
    }
  }

  /** The chosen item for a ref; SecretNotFoundError when nothing matches. */
  async find(ref: SecretRef, query: ItemQuery): Promise<FoundItem> {
    const item = await this.choose(await this.search(ref, query));
    if (!item) throw this.notFound(ref);
    this.#known.remember(ref.name, query, item.path);
    return item;
  }

  /** The error of a ref that matches no item. */
  notFound(ref: SecretRef): SecretNotFoundError {
    return new SecretNotFoundError(`${ref.text} matches no Secret Service item`, {
      ref: ref.text,
      provider: this.#scheme,
    });
  }
}
