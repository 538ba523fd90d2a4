import { map, type Observable, of, switchMap } from 'rxjs';
import {
  type Duration,
  fromAbortable,
  isSecretNotFoundError,
  ProviderUnavailableError,
  SecretNotFoundError,
} from '../../provider-kit/index.js';
import { Collection } from './collection.js';
import { type CallOptions, type ConnectionOptions, SecretServiceConnection } from './connection.js';
import {
  BUS_DAEMON,
  Interfaces,
  NO_OBJECT_PATH,
  PROVIDER_SCHEME,
  SECRETS_BUS_NAME,
  SERVICE_PATH,
} from './constants.js';
import { callOptionsFor, type PromptingOptions, promptOptionsFor, type SecretServiceContext } from './context.js';
import { DBusErrorNames, dbusErrorName } from './dbus-errors.js';
import { variant } from './dbus-module.js';
import { type GetSecretsResult, getSecrets } from './get-secrets.js';
import { type Attributes, Item } from './item.js';
import { changeLockState } from './locking.js';
import { runPrompt } from './prompt.js';
import { getProperty } from './properties.js';
import { type OpenSessionOptions, SecretSession } from './session.js';

/** Options of {@link SecretServiceClient.connect}. */
export interface SecretServiceClientOptions extends ConnectionOptions {
  /** The session algorithm; default the encrypted `dh-ietf1024-sha256-aes128-cbc-pkcs7`. */
  algorithm?: OpenSessionOptions['algorithm'];
  /** Fall back to a plain session when the service lacks the encrypted one. Default false. */
  allowPlainFallback?: boolean;
  /** Default window id for prompts. */
  windowId?: string;
  /** Default time a user has to answer a prompt. Default 5 minutes. */
  promptTimeout?: Duration;
  /**
   * Whether Unlock prompts are dismissed when their stream is unsubscribed or times out. Default: yes, except on
   * gnome-keyring (detected by its `org.gnome.keyring` bus name), which aborts when an open Unlock prompt is
   * dismissed (gnome-keyring 42: assertion in gkd-secret-unlock.c); there the dialog is left for the user.
   */
  dismissUnlockPrompts?: boolean;
}

/** The result of {@link SecretServiceClient.searchItems}: matching items, split by lock state. */
export interface SearchResult {
  readonly unlocked: Item[];
  readonly locked: Item[];
}

/** The extra bus name gnome-keyring-daemon owns: how we recognise it. */
const GNOME_KEYRING_BUS_NAME = 'org.gnome.keyring';

/** The label libsecret gives a default collection it creates. */
const DEFAULT_COLLECTION_LABEL = 'Default keyring';

/**
 * A Secret Service client: one D-Bus connection and one lazily opened session, with the Service object's API
 * (SecretStorage's surface). Collections and items it returns share its connection and session.
 */
export class SecretServiceClient implements SecretServiceContext {
  readonly #options: SecretServiceClientOptions;
  #session: Promise<SecretSession> | undefined;
  #unlockDismissable: Promise<boolean> | undefined;

  private constructor(
    /** The D-Bus connection. */
    readonly connection: SecretServiceConnection,
    options: SecretServiceClientOptions,
  ) {
    this.#options = options;
  }

  /** Connects to the bus (ProviderUnavailableError when there is none). The session opens on first use. */
  static async connect(options: SecretServiceClientOptions = {}): Promise<SecretServiceClient> {
    return new SecretServiceClient(await SecretServiceConnection.open(options), options);
  }

  /** Prompt defaults of this client. */
  get promptDefaults(): { windowId?: string; timeout?: Duration } {
    const { windowId, promptTimeout } = this.#options;
    return {
      ...(windowId === undefined ? {} : { windowId }),
      ...(promptTimeout === undefined ? {} : { timeout: promptTimeout }),
    };
  }

  /** The shared session, opened on first use (again after a failure). */
  session(options?: CallOptions): Promise<SecretSession> {
    if (!this.#session) {
      const { algorithm, allowPlainFallback } = this.#options;
      const opening = SecretSession.open(this.connection, {
        ...(algorithm === undefined ? {} : { algorithm }),
        ...(allowPlainFallback === undefined ? {} : { allowPlainFallback }),
        ...(options?.timeout === undefined ? {} : { timeout: options.timeout }),
      });
      this.#session = opening;
      opening.catch(() => {
        if (this.#session === opening) this.#session = undefined;
      });
    }
    return this.#session;
  }

  /** See {@link SecretServiceContext.canDismissUnlockPrompts} and {@link SecretServiceClientOptions.dismissUnlockPrompts}. */
  canDismissUnlockPrompts(options?: CallOptions): Promise<boolean> {
    if (this.#options.dismissUnlockPrompts !== undefined) return Promise.resolve(this.#options.dismissUnlockPrompts);
    if (!this.#unlockDismissable) {
      const detecting = this.#busCall('NameHasOwner', 's', [GNOME_KEYRING_BUS_NAME], options).then(
        ([owned]) => owned !== true,
      );
      this.#unlockDismissable = detecting;
      detecting.catch(() => {
        if (this.#unlockDismissable === detecting) this.#unlockDismissable = undefined;
      });
    }
    return this.#unlockDismissable;
  }

  /** See {@link SecretServiceContext.withSession}. */
  async withSession<T>(options: CallOptions | undefined, transfer: (session: SecretSession) => Promise<T>): Promise<T> {
    const session = await this.session(options);
    try {
      return await transfer(session);
    } catch (error) {
      if (dbusErrorName(error) !== DBusErrorNames.noSession) throw error;
      if (this.#session && (await this.#session.catch(() => undefined)) === session) this.#session = undefined;
      return transfer(await this.session(options));
    }
  }

  /**
   * Whether a Secret Service is on the bus or can be started by it (`NameHasOwner`, then
   * `ListActivatableNames`). Never throws for a missing service; a dead bus still rejects.
   */
  async isAvailable(options?: CallOptions): Promise<boolean> {
    const [owned] = await this.#busCall('NameHasOwner', 's', [SECRETS_BUS_NAME], options);
    if (owned === true) return true;
    const [activatable] = await this.#busCall('ListActivatableNames', '', [], options);
    return (activatable as string[]).includes(SECRETS_BUS_NAME);
  }

  /** Fails with ProviderUnavailableError unless {@link isAvailable}. */
  async assertAvailable(options?: CallOptions): Promise<void> {
    if (!(await this.isAvailable(options))) {
      throw new ProviderUnavailableError(`no Secret Service (${SECRETS_BUS_NAME}) on the D-Bus session bus`, {
        provider: PROVIDER_SCHEME,
      });
    }
  }

  /** Every collection (the `Collections` property). */
  async collections(options?: CallOptions): Promise<Collection[]> {
    const paths = (await getProperty(
      this.connection,
      SERVICE_PATH,
      Interfaces.service,
      'Collections',
      options,
    )) as string[];
    return paths.map((path) => new Collection(this, path));
  }

  /** The collection an alias (`default`, `session`, `login`) points to, or undefined (`Service.ReadAlias`). */
  async readAlias(alias: string, options?: CallOptions): Promise<Collection | undefined> {
    const [path] = await this.#serviceCall('ReadAlias', 's', [alias], options);
    return path === NO_OBJECT_PATH ? undefined : new Collection(this, path as string);
  }

  /**
   * Any collection to store in, as SecretStorage's `get_any_collection`: the `default` alias, else the `session`
   * alias (gnome-keyring's in-memory keyring), else the first collection. SecretNotFoundError when there is none.
   */
  async anyCollection(options?: CallOptions): Promise<Collection> {
    const found =
      (await this.readAlias('default', options)) ??
      (await this.readAlias('session', options)) ??
      (await this.collections(options))[0];
    if (found) return found;
    throw new SecretNotFoundError('the Secret Service has no collection', { provider: PROVIDER_SCHEME });
  }

  /** Points an alias at a collection, or removes it (`Service.SetAlias`). */
  async setAlias(alias: string, collection: Collection | undefined, options?: CallOptions): Promise<void> {
    await this.#serviceCall('SetAlias', 'so', [alias, collection?.path ?? NO_OBJECT_PATH], options);
  }

  /**
   * The `default` collection as a cold Observable; when there is none and `create` is true (the default), creates
   * it (label "Default keyring"), which prompts for a password.
   */
  defaultCollection(options: PromptingOptions & { create?: boolean } = {}): Observable<Collection | undefined> {
    return fromAbortable((signal) => this.readAlias('default', callOptionsFor(options, signal))).pipe(
      switchMap((existing) =>
        existing || options.create === false
          ? of(existing)
          : this.createCollection(DEFAULT_COLLECTION_LABEL, { ...options, alias: 'default' }),
      ),
    );
  }

  /**
   * Creates a collection (`Service.CreateCollection`) as a cold Observable; gnome-keyring prompts for its
   * password. Emits the new collection and completes; a dismissed prompt errors with PromptDismissedError.
   */
  createCollection(label: string, options: PromptingOptions & { alias?: string } = {}): Observable<Collection> {
    const properties = { 'org.freedesktop.Secret.Collection.Label': variant('s', label) };
    return fromAbortable((signal) =>
      this.#serviceCall(
        'CreateCollection',
        'a{sv}s',
        [properties, options.alias ?? ''],
        callOptionsFor(options, signal),
      ),
    ).pipe(
      switchMap(([path, prompt]) =>
        path !== NO_OBJECT_PATH
          ? of(path as string)
          : runPrompt(this.connection, prompt as string, promptOptionsFor(this, options)).pipe(
              map(({ result }) => result as string),
            ),
      ),
      map((path) => new Collection(this, path)),
    );
  }

  /** A collection by path (no call is made). */
  collection(path: string): Collection {
    return new Collection(this, path);
  }

  /** An item by path (no call is made; see {@link itemByPath} to check it exists). */
  item(path: string): Item {
    return new Item(this, path);
  }

  /** An item by path, after checking it exists: SecretNotFoundError names the path when it does not. */
  async itemByPath(path: string, options?: CallOptions): Promise<Item> {
    const item = new Item(this, path);
    try {
      await item.label(options);
    } catch (error) {
      if (!isSecretNotFoundError(error)) throw error;
      throw new SecretNotFoundError(`no Secret Service item at ${path}`, { cause: error, provider: PROVIDER_SCHEME });
    }
    return item;
  }

  /** Items of every collection whose attributes include `attributes` (`Service.SearchItems`). */
  async searchItems(attributes: Attributes, options?: CallOptions): Promise<SearchResult> {
    const [unlocked, locked] = await this.#serviceCall('SearchItems', 'a{ss}', [{ ...attributes }], options);
    return {
      unlocked: (unlocked as string[]).map((path) => new Item(this, path)),
      locked: (locked as string[]).map((path) => new Item(this, path)),
    };
  }

  /** Reads many secrets in one call (`Service.GetSecrets`), reporting omitted items as locked or missing. */
  getSecrets(items: readonly (Item | string)[], options?: CallOptions): Promise<GetSecretsResult> {
    return getSecrets(this, items.map(pathOf), options);
  }

  /** Unlocks collections or items (gnome-keyring prompts for a locked collection); emits the paths unlocked. */
  unlock(objects: readonly (Collection | Item | string)[], options?: PromptingOptions): Observable<string[]> {
    return changeLockState(this, 'Unlock', objects.map(pathOf), options);
  }

  /** Locks collections or items; emits the paths locked. */
  lock(objects: readonly (Collection | Item | string)[], options?: PromptingOptions): Observable<string[]> {
    return changeLockState(this, 'Lock', objects.map(pathOf), options);
  }

  /** Closes the session (best effort) and the connection. */
  async close(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session) {
      await session.then((open) => open.close({ timeout: 1000 })).catch(() => {});
    }
    this.connection.close();
  }

  /** `await using client = await SecretServiceClient.connect()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #serviceCall(member: string, signature: string, body: unknown[], options?: CallOptions): Promise<unknown[]> {
    return this.connection.call(
      { path: SERVICE_PATH, interface: Interfaces.service, member, signature, body },
      options,
    );
  }

  #busCall(member: string, signature: string, body: unknown[], options?: CallOptions): Promise<unknown[]> {
    return this.connection.call(
      { destination: BUS_DAEMON.name, path: BUS_DAEMON.path, interface: Interfaces.bus, member, signature, body },
      options,
    );
  }
}

function pathOf(object: Collection | Item | string): string {
  return typeof object === 'string' ? object : object.path;
}
