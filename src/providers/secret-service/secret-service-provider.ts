import type { Observable } from 'rxjs';
import { share } from 'rxjs';
import {
  type CallContext,
  type ChangeHint,
  ClosedError,
  type DeleteOptions,
  InvalidSecretRefError,
  type ListOptions,
  makeRef,
  type Page,
  type ProbeResult,
  type ProviderCapabilities,
  type RetryOptions,
  type Secret,
  type SecretInfo,
  type SecretProvider,
  type SecretRef,
  type SetOptions,
  toMilliseconds,
  ValidationError,
} from '../../provider-kit/index.js';
import { changeFeed } from './change-feed.js';
import { PROVIDER_SCHEME } from './constants.js';
import { ItemCaches } from './item-cache.js';
import { type ItemQuery, parseItemQuery } from './item-query.js';
import { VersionTokens } from './item-secret.js';
import { KnownRefs } from './known-refs.js';
import { ListedItems, type ProviderContext } from './provider-context.js';
import { listPage } from './provider-listing.js';
import {
  checkSecretServiceOptions,
  SECRET_SERVICE_OPTION_RULES,
  type SecretServiceProviderOptions,
} from './provider-options.js';
import { anyMatch, probeMany, readMany } from './provider-reads.js';
import { deleteItems, writeItem } from './provider-writes.js';
import { ReconnectingClient } from './reconnecting-client.js';
import type { SecretServiceClient } from './service.js';

/** The Secret Service provider, with the D-Bus client behind it for the backend-specific API. */
export interface SecretServiceProvider extends SecretProvider {
  /**
   * The current {@link SecretServiceClient} (connecting first if needed): collections, items, aliases, locking,
   * prompts. It is replaced after a reconnection; do not keep it across outages.
   */
  client(): Promise<SecretServiceClient>;
}

class SecretServiceProviderImpl implements SecretServiceProvider {
  readonly scheme: string;
  readonly capabilities: ProviderCapabilities;
  readonly retry: RetryOptions | undefined;
  readonly optionRules = SECRET_SERVICE_OPTION_RULES;
  #closed = false;
  readonly #context: ProviderContext;
  readonly #changes: Observable<ChangeHint>;

  constructor(options: SecretServiceProviderOptions) {
    checkSecretServiceOptions(options);
    this.scheme = options.scheme ?? PROVIDER_SCHEME;
    this.retry = options.retry;
    this.capabilities = {
      // GetSecrets of ≤ 100 items sent at once (and, for refs sharing attributes, one SearchItems) per batch; a cold
      // batch of 1000 takes ~1–3 s on gnome-keyring, within the core's attempt timeout. Large enough that a getMany
      // of 1000 refs sharing attributes is one batch: in two, each one's shared search would find twice its refs
      maxBatchGet: 1000,
      // a probe served by the item cache costs an alias read and one GetSecrets whatever its size
      maxBatchProbe: 500,
      maxConcurrency: 4,
      changeDetection: 'push+poll',
      defaultPollInterval: options.pollInterval ?? '30s',
    };
    const pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new ValidationError('secretService: pageSize must be ≥ 1');
    const promptTimeout =
      options.promptTimeout === undefined ? undefined : toMilliseconds(options.promptTimeout, 'promptTimeout');
    const clients = new ReconnectingClient(
      {
        ...(options.bus === undefined ? {} : { address: options.bus }),
        ...(options.callTimeout === undefined ? {} : { callTimeout: options.callTimeout }),
        ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm }),
        allowPlainFallback: options.allowPlain === true,
        ...(options.windowId === undefined ? {} : { windowId: options.windowId }),
        ...(promptTimeout === undefined ? {} : { promptTimeout }),
      },
      this.scheme,
      options.reconnectDelay,
    );
    const known = new KnownRefs();
    const label = options.label;
    this.#context = {
      scheme: this.scheme,
      clients,
      known,
      tokens: new VersionTokens(),
      prompts: {
        interactive: options.nonInteractive !== true,
        ...(promptTimeout === undefined ? {} : { promptTimeout }),
        ...(options.windowId === undefined ? {} : { windowId: options.windowId }),
      },
      listed: new ListedItems(),
      items: new ItemCaches(options.cacheItems ?? 'auto'),
      itemMetadata: options.itemMetadata !== false,
      pageSize,
      labelFor: (name: string, _query: ItemQuery, attributes) =>
        typeof label === 'function' ? label(this.#refOf(name), attributes) : (label ?? name),
    };
    const resubscribeDelayMs = toMilliseconds(options.reconnectDelay ?? 100, 'reconnectDelay');
    this.#changes = changeFeed(clients, known, { resubscribeDelayMs }).pipe(share());
  }

  client(): Promise<SecretServiceClient> {
    if (this.#closed) return Promise.reject(new ClosedError(`the ${this.scheme} provider was closed`));
    return this.#context.clients.client();
  }

  validateRef(ref: SecretRef): void {
    if (ref.version !== undefined) {
      throw new InvalidSecretRefError(`the Secret Service keeps no versions: drop '@${ref.version}' from ${ref.text}`, {
        ref: ref.text,
        provider: this.scheme,
      });
    }
    parseItemQuery(ref);
  }

  async get(ref: SecretRef, ctx: CallContext): Promise<Secret> {
    const [result] = await readMany(this.#context, [ref], ctx.signal);
    if (result instanceof Error || result === undefined) throw result;
    return result;
  }

  getMany(refs: readonly SecretRef[], ctx: CallContext): Promise<Array<Secret | Error>> {
    return readMany(this.#context, refs, ctx.signal);
  }

  listPage(
    prefix: SecretRef,
    options: ListOptions,
    cursor: string | undefined,
    ctx: CallContext,
  ): Promise<Page<SecretInfo>> {
    return listPage(this.#context, prefix, options, cursor, ctx.signal);
  }

  set(ref: SecretRef, value: string | Uint8Array, options: SetOptions, ctx: CallContext): Promise<SecretInfo> {
    return writeItem(this.#context, ref, value, options, ctx.signal);
  }

  delete(ref: SecretRef, _options: DeleteOptions, ctx: CallContext): Promise<void> {
    return deleteItems(this.#context, ref, ctx.signal);
  }

  exists(ref: SecretRef, ctx: CallContext): Promise<boolean> {
    return anyMatch(this.#context, ref, ctx.signal);
  }

  probe(refs: readonly SecretRef[], ctx: CallContext): Promise<readonly ProbeResult[]> {
    return probeMany(this.#context, refs, ctx.signal);
  }

  changes(): Observable<ChangeHint> {
    return this.#changes;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#context.clients.close();
    this.#context.tokens.wipe();
    this.#context.listed.clear();
  }

  #refOf(name: string): SecretRef {
    return makeRef(this.scheme, name);
  }
}

/**
 * The Secret Service provider (scheme `secret-service:`): GNOME Keyring, KeePassXC, KWallet over D-Bus. dbus-next is
 * loaded on the first call, not when this is called.
 *
 * Refs select items by attributes in a collection: `secret-service:default?service=myapp&user=alice` (see
 * {@link parseItemQuery} for the syntax). `get` reads the matching item (the most recently modified when several
 * match); `getMany` (up to 1000 refs a batch) and listings with values read every value at once (`GetSecrets` calls of
 * up to 100 items, sent together), and
 * `getMany` finds the items of refs sharing attributes with one `SearchItems` for all of them (then each item's
 * properties); `set` creates or replaces the item with exactly those attributes; `delete` removes every match.
 *
 * Reads remember what they searched and the item properties they read (per connection, on gnome-keyring by default:
 * see `cacheItems`), kept exact by the item signals; reading the same refs again then costs an alias read and the
 * `GetSecrets`. Writes and deletes always ask the service; watch probes use the searches only on gnome-keyring.
 *
 * Watching: item signals (ItemCreated / ItemChanged / ItemDeleted, on real collection paths) are pushed and read at
 * once, with no probe. gnome-keyring sends no signal for `Item.SetSecret`, so watches also poll (`pollInterval`,
 * default 30 s): one `GetSecrets` per 500 watched refs, compared by a keyed digest of each value, with each ref's
 * search served by the item cache on gnome-keyring (a poll of 1000 refs: 4 calls) and sent again on other services. After the bus or the service restarts, the feed subscribes again and every watched ref is checked.
 *
 * @example
 * const secrets = createSecrets({ providers: [secretService()] });
 * const token = await firstValueFrom(secrets.get('secret-service:default?service=myapp&user=alice'));
 */
export function secretService(options: SecretServiceProviderOptions = {}): SecretServiceProvider {
  return new SecretServiceProviderImpl(options);
}
