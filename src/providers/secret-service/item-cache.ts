import type { Subscription } from 'rxjs';
import type { CallOptions, SecretServiceConnection } from './connection.js';
import { BUS_DAEMON, Interfaces, SECRETS_BUS_NAME, SERVICE_PATH } from './constants.js';
import type { ItemProperties } from './item.js';
import { collectionOf } from './item-query.js';
import type { SignalRule } from './match-rule.js';

/** The extra bus name gnome-keyring-daemon owns: its Secret Service signals every item change. */
const GNOME_KEYRING_BUS_NAME = 'org.gnome.keyring';
const PEER_INTERFACE = 'org.freedesktop.DBus.Peer';
const ALIAS_PREFIX = '/org/freedesktop/secrets/aliases/';
const MAX_ITEMS = 10_000;
/** Enough for one search per watched ref of a large watch (each entry is a key and a few paths). */
const MAX_SEARCHES = 10_000;
/** The search scope of a service-wide search (every collection). */
export const ALL_COLLECTIONS = '*';

/** When the provider caches item metadata: `'auto'` means on gnome-keyring only. */
export type ItemCacheMode = boolean | 'auto';

interface CachedItem {
  readonly properties: ItemProperties;
  /** The version token of the value last read with these properties. */
  token: string | undefined;
}

/**
 * What the provider remembers about items between operations on one connection: search results (a collection and
 * attributes → item paths) and item properties (label, attributes, times), so reading the same refs again costs one
 * `GetSecrets` and nothing else.
 *
 * It is used only while it hears every change: it subscribes to the service's item, collection and property signals
 * on its own connection and serves nothing before the bus has acknowledged those match rules. A signal drops what it
 * may affect; a collection created or deleted drops everything; the service changing owner (a restart) drops
 * everything and pauses the cache until the new owner is known to be gnome-keyring again (`'auto'`); a lost or closed
 * connection turns it off for good (the next connection gets a new cache). A read that overlaps any signal is not
 * stored.
 *
 * gnome-keyring sends no signal for `Item.SetSecret`, which changes only the value and `Modified`: an item remembers
 * the version token of the value it was last read with, and {@link valueRead} tells readers to refresh its
 * properties when the value changed. Rewriting the very same value can leave `updatedAt` behind until the next
 * change; the choice among several matching items never relies on a cached `Modified` (see ItemResolver).
 */
export class ItemCache {
  readonly #searches = new Map<string, Map<string, readonly string[]>>();
  readonly #items = new Map<string, CachedItem>();
  readonly #connection: SecretServiceConnection;
  readonly #subscriptions: Subscription[] = [];
  #searchCount = 0;
  #generation = 0;
  #attempts = 0;
  #live = false;
  #off = false;
  /** Whether the service was checked to be gnome-keyring, whose signals report every change but SetSecret. */
  #verified = false;
  /** Property reads in flight, with the generation they started in. */
  readonly #fetching = new Map<string, { generation: number; properties: Promise<ItemProperties | undefined> }>();
  /** Resolves once the cache is live or off; never rejects. */
  readonly ready: Promise<void>;

  constructor(connection: SecretServiceConnection, mode: ItemCacheMode) {
    this.#connection = connection;
    if (mode === false) this.#turnOff();
    this.ready = mode === false ? Promise.resolve() : this.#start(connection, mode);
  }

  /** Whether reads may be served from (and stored in) the cache. */
  get live(): boolean {
    return this.#live && !this.#off;
  }

  /**
   * Whether the cache is exact enough for a watch probe to trust its searches: live, and the service was checked to
   * be gnome-keyring (not merely `cacheItems: true` on a service whose signals may be missing or late, as KeePassXC's
   * and KWallet's are). A lost connection or a service restart has already cleared or turned off the cache.
   */
  get exact(): boolean {
    return this.live && this.#verified;
  }

  /**
   * A mark of the signals handled so far, for {@link storeSearch}: results derived from calls made after the mark
   * are stored only if no signal arrived since.
   */
  mark(): number {
    return this.#generation;
  }

  /**
   * Stores a search result derived from other calls (a shared search and its items' properties), unless a signal
   * arrived since `mark` (taken before those calls) or the cache is not live.
   */
  storeSearch(scope: string, key: string, paths: readonly string[], mark: number): void {
    if (this.live && mark === this.#generation) this.#storeSearch(scope, key, paths);
  }

  /**
   * Waits until every signal the service sent before now has been handled: one round trip (`Peer.Ping`), whose reply
   * the bus delivers after them. Run once per operation before serving from the cache (any other reply from the
   * service, such as an alias read, does as well), so a change another client made before this operation began is
   * never served stale.
   */
  async sync(options?: CallOptions): Promise<void> {
    if (!this.live) return;
    await this.#connection.call({ path: SERVICE_PATH, interface: PEER_INTERFACE, member: 'Ping' }, options);
  }

  /** The item paths a search in `scope` (a collection path or {@link ALL_COLLECTIONS}) found, or `fetch`es them. */
  async search(scope: string, key: string, fetch: () => Promise<string[]>): Promise<string[]> {
    const hit = this.live ? this.#searches.get(scope)?.get(key) : undefined;
    if (hit) return [...hit];
    const generation = this.#generation;
    const live = this.live;
    const paths = await fetch();
    if (live && this.live && generation === this.#generation) this.#storeSearch(scope, key, paths);
    return paths;
  }

  /** Whether a search result is cached (and the cache live). */
  hasSearch(scope: string, key: string): boolean {
    return this.live && this.#searches.get(scope)?.has(key) === true;
  }

  /** The cached properties of an item, if the cache is live and holds them (no call). */
  peek(path: string): ItemProperties | undefined {
    return this.live ? this.#items.get(path)?.properties : undefined;
  }

  /** The properties of an item, or `fetch`es them (undefined: no such item, not stored). */
  async properties(
    path: string,
    fetch: () => Promise<ItemProperties | undefined>,
  ): Promise<ItemProperties | undefined> {
    const hit = this.live ? this.#items.get(path) : undefined;
    if (hit) return hit.properties;
    if (!this.live) return fetch();
    // concurrent reads of one item (the batches of one large getMany) share one call, unless a signal arrived since
    // it was sent: its answer may then predate the change
    const generation = this.#generation;
    const inFlight = this.#fetching.get(path);
    // (a joiner whose call failed, say aborted with the operation that sent it, reads for itself)
    if (inFlight?.generation === generation) return inFlight.properties.catch(() => fetch());
    const fetching = fetch().then((properties) => {
      if (properties && this.live && generation === this.#generation) {
        this.#items.delete(path);
        this.#items.set(path, { properties, token: undefined });
        if (this.#items.size > MAX_ITEMS) this.#items.delete(this.#items.keys().next().value as string);
      }
      return properties;
    });
    const entry = { generation, properties: fetching };
    this.#fetching.set(path, entry);
    try {
      return await fetching;
    } finally {
      if (this.#fetching.get(path) === entry) this.#fetching.delete(path);
    }
  }

  /**
   * Records the version token of an item's value just read. True when the cached properties were read with another
   * value (a SetSecret, which sends no signal, changed `Modified`): they are dropped and should be read again.
   */
  valueRead(path: string, token: string): boolean {
    const entry = this.#items.get(path);
    if (!entry) return false;
    if (entry.token === undefined || entry.token === token) {
      entry.token = token;
      return false;
    }
    this.#items.delete(path);
    return true;
  }

  async #start(connection: SecretServiceConnection, mode: true | 'auto'): Promise<void> {
    try {
      const rules: SignalRule[] = [
        { sender: SECRETS_BUS_NAME, interface: Interfaces.collection },
        { sender: SECRETS_BUS_NAME, path: SERVICE_PATH, interface: Interfaces.service },
        { sender: SECRETS_BUS_NAME, interface: Interfaces.properties, member: 'PropertiesChanged' },
        {
          sender: BUS_DAEMON.name,
          path: BUS_DAEMON.path,
          interface: Interfaces.bus,
          member: 'NameOwnerChanged',
          arg0: SECRETS_BUS_NAME,
        },
      ];
      for (const rule of rules) {
        this.#subscriptions.push(
          connection.signals(rule).subscribe({
            next: (message) =>
              this.#onSignal(message.interface ?? '', message.member ?? '', message.path, message.body, mode),
            error: () => this.#turnOff(),
            complete: () => this.#turnOff(),
          }),
        );
      }
      await connection.matchesReady();
      await this.#enable(mode);
    } catch {
      this.#turnOff();
    }
  }

  /** Goes live when the service is one that signals every item change (checked again whenever it changes owner). */
  async #enable(mode: true | 'auto'): Promise<void> {
    const attempt = ++this.#attempts;
    this.#live = false;
    const gnomeKeyring = await isGnomeKeyring(this.#connection);
    if (attempt !== this.#attempts || this.#off) return;
    this.#verified = gnomeKeyring;
    if (mode === true || gnomeKeyring) this.#live = true;
  }

  #onSignal(iface: string, member: string, objectPath: string | undefined, body: unknown[], mode: true | 'auto'): void {
    this.#generation += 1;
    const path = objectPath ?? '';
    if (iface === Interfaces.bus) {
      // the service stopped, restarted or was replaced: item paths may now name other items
      this.#clear();
      this.#live = false;
      this.#verified = false;
      this.#attempts += 1;
      if (body[2]) this.#enable(mode).catch(() => {});
    } else if (iface === Interfaces.collection) {
      const item = typeof body[0] === 'string' ? body[0] : undefined;
      if (item === undefined || path.startsWith(ALIAS_PREFIX)) {
        this.#clear();
        return;
      }
      this.#items.delete(item);
      this.#dropSearches(collectionOf(item));
      this.#dropSearches(path);
    } else if (iface === Interfaces.properties && body[0] === Interfaces.item) {
      this.#items.delete(path);
      this.#dropSearches(collectionOf(path));
    } else if (iface === Interfaces.properties) {
      this.#clearSearches(); // a collection locked or unlocked, the service's collections changed
    } else if (iface === Interfaces.service && member === 'CollectionChanged') {
      if (typeof body[0] === 'string') this.#dropSearches(body[0]);
    } else {
      this.#clear(); // a collection created or deleted (no ItemDeleted per item)
    }
  }

  #storeSearch(scope: string, key: string, paths: readonly string[]): void {
    let byKey = this.#searches.get(scope);
    if (!byKey) {
      byKey = new Map();
      this.#searches.set(scope, byKey);
    }
    if (!byKey.has(key)) this.#searchCount += 1;
    byKey.set(key, [...paths]);
    if (this.#searchCount > MAX_SEARCHES) this.#clearSearches();
  }

  #dropSearches(scope: string): void {
    this.#searchCount -= this.#searches.get(scope)?.size ?? 0;
    this.#searches.delete(scope);
    this.#searchCount -= this.#searches.get(ALL_COLLECTIONS)?.size ?? 0;
    this.#searches.delete(ALL_COLLECTIONS);
  }

  #clearSearches(): void {
    this.#searches.clear();
    this.#searchCount = 0;
  }

  #clear(): void {
    this.#clearSearches();
    this.#items.clear();
  }

  #turnOff(): void {
    this.#off = true;
    this.#live = false;
    this.#generation += 1;
    this.#clear();
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
  }
}

/** The canonical search key of a set of attributes (order-independent). */
export function attributesKey(attributes: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One {@link ItemCache} per client (connection), created on first use. */
export class ItemCaches {
  readonly #mode: ItemCacheMode;
  readonly #caches = new WeakMap<SecretServiceConnection, ItemCache>();

  constructor(mode: ItemCacheMode) {
    this.#mode = mode;
  }

  /** The cache of a connection, once it is live (or known to be off). */
  async for(connection: SecretServiceConnection): Promise<ItemCache> {
    let cache = this.#caches.get(connection);
    if (!cache) {
      cache = new ItemCache(connection, this.#mode);
      this.#caches.set(connection, cache);
    }
    await cache.ready;
    return cache;
  }
}

/**
 * Whether the Secret Service on the bus is gnome-keyring: the owner of `org.freedesktop.secrets` (activated first by
 * a ping, when the bus starts it on demand) is also the owner of `org.gnome.keyring`. Another service (KeePassXC…)
 * may provide the secrets while gnome-keyring runs for something else. Any failure means no.
 */
async function isGnomeKeyring(connection: SecretServiceConnection): Promise<boolean> {
  try {
    await connection.call({ path: SERVICE_PATH, interface: PEER_INTERFACE, member: 'Ping' });
    const [secrets, gnome] = await Promise.all([
      ownerOf(connection, SECRETS_BUS_NAME),
      ownerOf(connection, GNOME_KEYRING_BUS_NAME),
    ]);
    return secrets !== undefined && secrets === gnome;
  } catch {
    return false;
  }
}

async function ownerOf(connection: SecretServiceConnection, name: string): Promise<string | undefined> {
  try {
    const [owner] = await connection.call({
      destination: BUS_DAEMON.name,
      path: BUS_DAEMON.path,
      interface: Interfaces.bus,
      member: 'GetNameOwner',
      signature: 's',
      body: [name],
    });
    return typeof owner === 'string' ? owner : undefined;
  } catch {
    return undefined; // NameHasNoOwner
  }
}
