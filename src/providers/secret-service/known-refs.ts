import type { Attributes } from './item.js';
import { attributesMatch, type CollectionSpec, collectionOf, type ItemQuery } from './item-query.js';

const MAX_KNOWN = 10_000;

/**
 * The refs this provider has read, so a change signal about one item can be turned into the ref names it affects:
 * names whose item was that path, and names whose query the item's attributes now match (a new item, changed
 * attributes). Bounded: the oldest names are forgotten first (a forgotten watched ref is still caught by the poll).
 */
export class KnownRefs {
  readonly #queries = new Map<string, ItemQuery>();
  readonly #byPath = new Map<string, Set<string>>();
  readonly #aliases = new Map<string, string>();

  /** Whether no ref is known yet. */
  get isEmpty(): boolean {
    return this.#queries.size === 0;
  }

  /** Records a ref name, its query and (when found) the item it resolved to. */
  remember(name: string, query: ItemQuery, itemPath?: string): void {
    this.#queries.delete(name);
    this.#queries.set(name, query);
    if (this.#queries.size > MAX_KNOWN) {
      const oldest = this.#queries.keys().next().value;
      if (oldest !== undefined) this.#queries.delete(oldest);
    }
    if (itemPath !== undefined) {
      const names = this.#byPath.get(itemPath) ?? new Set<string>();
      names.add(name);
      this.#byPath.set(itemPath, names);
    }
  }

  /** Records where an alias pointed when it was last resolved. */
  rememberAlias(alias: string, collectionPath: string): void {
    this.#aliases.set(alias, collectionPath);
  }

  /** The known ref names a change of the item at `itemPath` (with these attributes, if still readable) affects. */
  namesFor(itemPath: string, attributes: Attributes | undefined): string[] {
    const names = new Set(this.#byPath.get(itemPath) ?? []);
    if (attributes !== undefined) {
      const collection = collectionOf(itemPath);
      for (const [name, query] of this.#queries) {
        if (this.#inCollection(query.collection, collection) && attributesMatch(attributes, query.attributes)) {
          names.add(name);
        }
      }
    }
    return [...names].filter((name) => this.#queries.has(name));
  }

  /** Forgets which items names resolved to (the service restarted: paths may now name other items). */
  forgetPaths(): void {
    this.#byPath.clear();
    this.#aliases.clear();
  }

  #inCollection(spec: CollectionSpec, collectionPath: string): boolean {
    if (spec.kind === 'all') return true;
    if (spec.kind === 'path') return spec.path === collectionPath;
    // an alias never resolved yet may point anywhere: better a needless read than a missed change
    const resolved = this.#aliases.get(spec.alias);
    return resolved === undefined || resolved === collectionPath;
  }
}
