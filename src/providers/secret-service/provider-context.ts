import type { ItemCaches } from './item-cache.js';
import type { ItemQuery } from './item-query.js';
import type { FoundItem, VersionTokens } from './item-secret.js';
import type { KnownRefs } from './known-refs.js';
import type { ReconnectingClient } from './reconnecting-client.js';
import type { PromptPolicy } from './unlock.js';

/** What the provider's operations share. */
export interface ProviderContext {
  readonly scheme: string;
  readonly clients: ReconnectingClient;
  readonly known: KnownRefs;
  readonly tokens: VersionTokens;
  readonly prompts: PromptPolicy;
  readonly listed: ListedItems;
  /** Search results and item properties remembered per connection, for reads. */
  readonly items: ItemCaches;
  /** Whether reads return item label, attributes and times (see `itemMetadata`). */
  readonly itemMetadata: boolean;
  /** Items per listing page. */
  readonly pageSize: number;
  /** The label of a new item. */
  labelFor(refName: string, query: ItemQuery, attributes: Readonly<Record<string, string>>): string;
}

const LISTED_TTL_MS = 5000;
const LISTED_MAX = 5000;

/**
 * Items a listing page just read, by ref name, so that `list(…, { withValues: true })` reads their values with one
 * `GetSecrets` per page instead of searching for each item again. An entry is used once and expires after 5 s.
 */
export class ListedItems {
  readonly #items = new Map<string, { item: FoundItem; at: number }>();

  /** Records the item a listed name stands for. */
  put(name: string, item: FoundItem): void {
    this.#items.delete(name);
    this.#items.set(name, { item, at: performance.now() });
    if (this.#items.size > LISTED_MAX) {
      const oldest = this.#items.keys().next().value;
      if (oldest !== undefined) this.#items.delete(oldest);
    }
  }

  /** The item recorded for a name, once, if recent. */
  take(name: string): FoundItem | undefined {
    const entry = this.#items.get(name);
    if (!entry) return undefined;
    this.#items.delete(name);
    return performance.now() - entry.at < LISTED_TTL_MS ? entry.item : undefined;
  }

  /** Forgets everything (a write or delete may have changed what a name stands for). */
  clear(): void {
    this.#items.clear();
  }
}
