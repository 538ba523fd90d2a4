import type { Observable } from 'rxjs';
import type { CallOptions } from './connection.js';
import { Interfaces, NO_OBJECT_PATH } from './constants.js';
import { callOptionsFor, type PromptingOptions, promptOptionsFor, type SecretServiceContext } from './context.js';
import { variant } from './dbus-module.js';
import { type DeleteObjectOptions, deleteObject } from './delete-object.js';
import { type Attributes, Item } from './item.js';
import { changeLockState } from './locking.js';
import { awaitPrompt } from './prompt.js';
import { getProperty, setProperty, toNumber } from './properties.js';
import type { SecretInput } from './secret-value.js';
import { SECRET_STRUCT_SIGNATURE } from './session.js';
import { type CollectionEvent, type CollectionEventOptions, collectionEvents } from './signals.js';

/** What to store with {@link Collection.createItem}. */
export interface NewItem {
  /** The label shown in keyring managers. */
  label: string;
  /** The searchable attributes. */
  attributes: Attributes;
  /** The secret: bytes, or text stored as UTF-8. */
  secret: SecretInput;
  /** The MIME type stored with the secret. Default `text/plain`. */
  contentType?: string;
  /**
   * Replace an item with exactly the same attributes instead of adding a second one. Default false, as in the
   * specification and SecretStorage (`replace=False`): an existing item is never overwritten unless asked.
   */
  replace?: boolean;
}

/**
 * One Secret Service collection (`org.freedesktop.Secret.Collection`) by object path: a keyring such as `login`.
 * Use the real path (`/org/freedesktop/secrets/collection/login`), as {@link SecretServiceClient.readAlias}
 * returns it; signals are only emitted on the real path.
 */
export class Collection {
  readonly #context: SecretServiceContext;

  constructor(
    context: SecretServiceContext,
    /** The collection's object path. */
    readonly path: string,
  ) {
    this.#context = context;
  }

  /** The collection's label. */
  async label(options?: CallOptions): Promise<string> {
    return String(await this.#get('Label', options));
  }

  /** Changes the label. */
  async setLabel(label: string, options?: CallOptions): Promise<void> {
    await setProperty(this.#context.connection, this.path, Interfaces.collection, 'Label', 's', label, options);
  }

  /** Whether the collection is locked. */
  async isLocked(options?: CallOptions): Promise<boolean> {
    return Boolean(await this.#get('Locked', options));
  }

  /** Creation time, Unix seconds. */
  async created(options?: CallOptions): Promise<number> {
    return toNumber(await this.#get('Created', options));
  }

  /** Last modification time, Unix seconds. */
  async modified(options?: CallOptions): Promise<number> {
    return toNumber(await this.#get('Modified', options));
  }

  /** Every item of the collection (the `Items` property). */
  async items(options?: CallOptions): Promise<Item[]> {
    const paths = (await this.#get('Items', options)) as string[];
    return paths.map((path) => new Item(this.#context, path));
  }

  /** The items whose attributes include all of `attributes` (`Collection.SearchItems`). */
  async searchItems(attributes: Attributes, options?: CallOptions): Promise<Item[]> {
    const [paths] = await this.#context.connection.call(
      {
        path: this.path,
        interface: Interfaces.collection,
        member: 'SearchItems',
        signature: 'a{ss}',
        body: [{ ...attributes }],
      },
      options,
    );
    return (paths as string[]).map((path) => new Item(this.#context, path));
  }

  /**
   * Stores a secret (`Collection.CreateItem`) as a new item; with `replace: true` it replaces an item with exactly
   * the same attributes instead. A locked collection fails with LockedError.
   */
  async createItem(item: NewItem, options: PromptingOptions & { signal?: AbortSignal } = {}): Promise<Item> {
    const callOptions = callOptionsFor(options, options.signal);
    const properties = {
      'org.freedesktop.Secret.Item.Label': variant('s', item.label),
      'org.freedesktop.Secret.Item.Attributes': variant('a{ss}', { ...item.attributes }),
    };
    const [path, prompt] = await this.#context.withSession(callOptions, (session) =>
      this.#context.connection.call(
        {
          path: this.path,
          interface: Interfaces.collection,
          member: 'CreateItem',
          signature: `a{sv}${SECRET_STRUCT_SIGNATURE}b`,
          body: [properties, session.encode(item.secret, item.contentType), item.replace ?? false],
        },
        callOptions,
      ),
    );
    if (path !== NO_OBJECT_PATH) return new Item(this.#context, path as string);
    const created = await awaitPrompt(this.#context.connection, prompt as string, {
      ...promptOptionsFor(this.#context, options),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return new Item(this.#context, created as string);
  }

  /** Deletes the collection and all its items, running the prompt if the service asks for one. */
  delete(options: DeleteObjectOptions = {}): Promise<void> {
    return deleteObject(this.#context, this.path, 'collection', options);
  }

  /** Locks the collection; emits the paths locked. */
  lock(options?: PromptingOptions): Observable<string[]> {
    return changeLockState(this.#context, 'Lock', [this.path], options);
  }

  /** Unlocks the collection (gnome-keyring prompts for the password); emits the paths unlocked. */
  unlock(options?: PromptingOptions): Observable<string[]> {
    return changeLockState(this.#context, 'Unlock', [this.path], options);
  }

  /** Item and collection change events of this collection, from D-Bus signals; see {@link collectionEvents}. */
  events(options?: CollectionEventOptions): Observable<CollectionEvent> {
    return collectionEvents(this.#context.connection, this.path, options);
  }

  #get(name: string, options?: CallOptions): Promise<unknown> {
    return getProperty(this.#context.connection, this.path, Interfaces.collection, name, options);
  }
}
