import {
  bool,
  checkOptions,
  type Duration,
  duration,
  either,
  func,
  nested,
  num,
  oneOf,
  type ProviderOptionRules,
  RETRY_SPEC,
  type RetryOptions,
  type SecretRef,
  str,
} from '../../provider-kit/index.js';
import type { SessionAlgorithm } from './constants.js';
import type { Attributes } from './item.js';

/** Options of {@link secretService}. */
export interface SecretServiceProviderOptions {
  /** The ref scheme. Default `'secret-service'`. */
  readonly scheme?: string;
  /** A D-Bus address (`unix:path=…`). Default: the session bus named by DBUS_SESSION_BUS_ADDRESS. */
  readonly bus?: string;
  /**
   * The session algorithm. Default `dh-ietf1024-sha256-aes128-cbc-pkcs7` (secrets encrypted on the bus); `plain`
   * sends them in clear and is used only when asked for here, or when the service refuses DH and `allowPlain` is set.
   */
  readonly algorithm?: SessionAlgorithm;
  /** Fall back to a plain session when the service does not support the encrypted one. Default false. */
  readonly allowPlain?: boolean;
  /** Timeout of each D-Bus call. Default 10 s (the core's attempt timeout bounds a whole operation). */
  readonly callTimeout?: Duration;
  /**
   * Never prompt: an item in a locked collection fails at once with LockedError, and an operation the service wants
   * confirmed (a prompt) fails with AccessDeniedError. Default false: locked collections are unlocked through the
   * service's prompt (a password dialog), which fails with PromptDismissedError when dismissed or when no dialog can
   * be shown (headless).
   */
  readonly nonInteractive?: boolean;
  /** How long a user has to answer a prompt. Default 5 minutes (also bounded by the core's attempt timeout). */
  readonly promptTimeout?: Duration;
  /** The X11 window id prompts are transient for. Default none. */
  readonly windowId?: string;
  /**
   * The label of items `set` creates (keyring managers show it): text, or a function of the ref and attributes.
   * A `label` write option overrides it. Default: the ref's name, e.g. `default?service=myapp&user=alice`.
   */
  readonly label?: string | ((ref: SecretRef, attributes: Attributes) => string);
  /** Poll interval of watches that name none: the modified-value probe that catches SetSecret. Default `'30s'`. */
  readonly pollInterval?: Duration;
  /** Items per listing page. Default 100. */
  readonly pageSize?: number;
  /**
   * Remember search results and item properties between reads, kept exact by the service's item signals, so that
   * reading refs (or listing) again costs one `GetSecrets` call and no per-item call. `'auto'` (default): on for
   * gnome-keyring (recognised by its `org.gnome.keyring` bus name), off elsewhere. Set `true` only for a service that
   * signals every item change (ItemCreated / ItemChanged / ItemDeleted); libsecret's mock services, for one, do not.
   * Watch probes take their searches from it only on gnome-keyring, whatever this says.
   */
  readonly cacheItems?: boolean | 'auto';
  /**
   * Whether reads return each item's label, attributes (`tags`) and times. Default true. `false`: a Secret carries
   * its value, version, content type and `metadata.path` / `metadata.collection` only, and a read needs no property
   * call per item (`Properties.GetAll`, which costs gnome-keyring about three searches): a cold read of N refs costs
   * an alias read, a `SearchItems` per ref and the `GetSecrets`, 0.4–0.6× the time of a read with metadata. Listings
   * are not affected (they name items by their attributes).
   */
  readonly itemMetadata?: boolean;
  /** First delay before reconnecting after the bus was lost or a connection failed; doubles up to 5 s. Default 100 ms. */
  readonly reconnectDelay?: Duration;
  /** Narrows the client's retry policy for this provider's calls. */
  readonly retry?: RetryOptions;
}

/** Secret Service options of `set`, beside the core's `contentType`, `tags` (the item's attributes) and `ifNotExists`. */
export interface SecretServiceSetOptions {
  /** The label of the item (keyring managers show it). Default: the provider's `label`. */
  readonly label?: string;
}

declare module '../../provider-kit/index.js' {
  // The Secret Service's own `set` options (checked at run time only on its refs).
  interface ProviderSetOptions extends SecretServiceSetOptions {}
}

/** The run-time rules of the Secret Service's own operation options. */
export const SECRET_SERVICE_OPTION_RULES: ProviderOptionRules = {
  set: { rules: { label: str() }, aliases: { title: 'label', name: 'label' } },
};

/** Checks `secretService` options; throws a ValidationError naming the bad one. */
export function checkSecretServiceOptions(options: unknown): void {
  checkOptions('secretService', options, {
    rules: {
      scheme: str({ nonEmpty: true }),
      bus: str({ nonEmpty: true }),
      algorithm: oneOf(['plain', 'dh-ietf1024-sha256-aes128-cbc-pkcs7']),
      allowPlain: bool,
      callTimeout: duration,
      nonInteractive: bool,
      promptTimeout: duration,
      windowId: str(),
      label: either('a string or a function', str(), func),
      pollInterval: duration,
      pageSize: num({ integer: true, min: 1, max: 10_000 }),
      cacheItems: either("true, false or 'auto'", bool, oneOf(['auto'])),
      itemMetadata: bool,
      reconnectDelay: duration,
      retry: nested(RETRY_SPEC, 'retry'),
    },
    aliases: { address: 'bus', busAddress: 'bus', interval: 'pollInterval', timeout: 'callTimeout' },
  });
}
