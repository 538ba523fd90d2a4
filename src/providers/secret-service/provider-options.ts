import type { Duration } from '../../core/durations.js';
import type { SecretRef } from '../../core/ref.js';
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
   */
  readonly cacheItems?: boolean | 'auto';
  /** First delay before reconnecting after the bus was lost or a connection failed; doubles up to 5 s. Default 100 ms. */
  readonly reconnectDelay?: Duration;
}
