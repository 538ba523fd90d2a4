import type { Observable } from 'rxjs';
import { LockedError } from '../../provider-kit/index.js';
import type { CallOptions } from './connection.js';
import { Interfaces, PROVIDER_SCHEME } from './constants.js';
import type { PromptingOptions, SecretServiceContext } from './context.js';
import { type DeleteObjectOptions, deleteObject } from './delete-object.js';
import { changeLockState } from './locking.js';
import { getAllProperties, getProperty, setProperty, toNumber } from './properties.js';
import type { SecretBytes, SecretInput } from './secret-value.js';
import { SECRET_STRUCT_SIGNATURE } from './session.js';

/** Item attributes: the searchable, unencrypted string pairs stored with a secret. */
export type Attributes = Readonly<Record<string, string>>;

/** Everything about an item except its secret, read in one `GetAll` call. */
export interface ItemProperties {
  readonly label: string;
  readonly attributes: Attributes;
  readonly locked: boolean;
  /** Creation time, Unix seconds. */
  readonly created: number;
  /** Last modification time, Unix seconds. */
  readonly modified: number;
}

/**
 * One Secret Service item (`org.freedesktop.Secret.Item`) by object path. Creating an Item sends nothing; each
 * method is one call. A path that does not exist (any more) fails with SecretNotFoundError, a locked item's secret
 * with LockedError.
 */
export class Item {
  readonly #context: SecretServiceContext;

  constructor(
    context: SecretServiceContext,
    /** The item's object path. */
    readonly path: string,
  ) {
    this.#context = context;
  }

  /** Label, attributes, lock state and times in one call. */
  async properties(options?: CallOptions): Promise<ItemProperties> {
    const all = await getAllProperties(this.#context.connection, this.path, Interfaces.item, options);
    return {
      label: String(all.Label ?? ''),
      attributes: { ...((all.Attributes as Record<string, string> | undefined) ?? {}) },
      locked: Boolean(all.Locked),
      created: toNumber(all.Created),
      modified: toNumber(all.Modified),
    };
  }

  /** The item's label. */
  async label(options?: CallOptions): Promise<string> {
    return String(await this.#get('Label', options));
  }

  /** Changes the label (gnome-keyring emits ItemChanged). */
  async setLabel(label: string, options?: CallOptions): Promise<void> {
    await setProperty(this.#context.connection, this.path, Interfaces.item, 'Label', 's', label, options);
  }

  /** The item's attributes. */
  async attributes(options?: CallOptions): Promise<Attributes> {
    return { ...((await this.#get('Attributes', options)) as Record<string, string>) };
  }

  /** Replaces the attributes (gnome-keyring emits ItemChanged). */
  async setAttributes(attributes: Attributes, options?: CallOptions): Promise<void> {
    await setProperty(
      this.#context.connection,
      this.path,
      Interfaces.item,
      'Attributes',
      'a{ss}',
      { ...attributes },
      options,
    );
  }

  /** Whether the item is locked (its secret cannot be read). */
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

  /**
   * The secret and its content type (`Item.GetSecret` in the client's session). A locked item is a LockedError, also
   * where the service answers an empty secret for it (KWallet).
   */
  async secret(options?: CallOptions): Promise<SecretBytes> {
    const secret = await this.#context.withSession(options, async (session) => {
      const [struct] = await this.#context.connection.call(
        { path: this.path, interface: Interfaces.item, member: 'GetSecret', signature: 'o', body: [session.path] },
        options,
      );
      return session.decode(struct);
    });
    if (secret.value.length === 0 && (await this.isLocked(options))) {
      throw new LockedError(`Item.GetSecret on ${this.path}: the item is locked`, { provider: PROVIDER_SCHEME });
    }
    return secret;
  }

  /** The content type stored with the secret (reads the secret: the spec has no separate property). */
  async contentType(options?: CallOptions): Promise<string> {
    const secret = await this.secret(options);
    secret.wipe();
    return secret.contentType;
  }

  /** Replaces the secret (`Item.SetSecret`). gnome-keyring emits no signal for this. */
  async setSecret(value: SecretInput, contentType?: string, options?: CallOptions): Promise<void> {
    await this.#context.withSession(options, (session) =>
      this.#context.connection.call(
        {
          path: this.path,
          interface: Interfaces.item,
          member: 'SetSecret',
          signature: SECRET_STRUCT_SIGNATURE,
          body: [session.encode(value, contentType)],
        },
        options,
      ),
    );
  }

  /** Deletes the item, running the prompt if the service asks for one (aborting `signal` dismisses it). */
  delete(options: DeleteObjectOptions = {}): Promise<void> {
    return deleteObject(this.#context, this.path, 'item', options);
  }

  /** Locks the item; emits the paths locked. */
  lock(options?: PromptingOptions): Observable<string[]> {
    return changeLockState(this.#context, 'Lock', [this.path], options);
  }

  /** Unlocks the item (may prompt); emits the paths unlocked. */
  unlock(options?: PromptingOptions): Observable<string[]> {
    return changeLockState(this.#context, 'Unlock', [this.path], options);
  }

  #get(name: string, options?: CallOptions): Promise<unknown> {
    return getProperty(this.#context.connection, this.path, Interfaces.item, name, options);
  }
}
