import { createSecretKey, type KeyObject } from 'node:crypto';
import type dbus from 'dbus-next';
import { ClosedError, ProviderError, SecretDecodeError, ValidationError } from '../../provider-kit/index.js';
import type { CallOptions, SecretServiceConnection } from './connection.js';
import {
  DH_ALGORITHM,
  Interfaces,
  PLAIN_ALGORITHM,
  PROVIDER_SCHEME,
  SERVICE_PATH,
  type SessionAlgorithm,
} from './constants.js';
import { DBusErrorNames, dbusErrorName } from './dbus-errors.js';
import { variant } from './dbus-module.js';
import { SecretBytes, type SecretInput, secretInputBytes } from './secret-value.js';
import { createDhKeyExchange, decryptSecret, encryptSecret } from './session-crypto.js';

/** The Secret Service's secret struct `(oayays)`: session path, parameters (the IV), value, content type. */
export type SecretStruct = [session: string, parameters: Buffer, value: Buffer, contentType: string];

/** The D-Bus signature of {@link SecretStruct}. */
export const SECRET_STRUCT_SIGNATURE = '(oayays)';

/** The content type stored when the caller gives none. */
export const DEFAULT_CONTENT_TYPE = 'text/plain';

/** Options of {@link SecretSession.open}. */
export interface OpenSessionOptions extends CallOptions {
  /** The algorithm to ask for. Default `dh-ietf1024-sha256-aes128-cbc-pkcs7`. */
  algorithm?: SessionAlgorithm;
  /**
   * Whether to fall back to a `plain` session (secrets in clear on the bus) when the service refuses the encrypted
   * algorithm (NotSupported, or InvalidArgs from KWallet without its QCA plugins). Default false: a ProviderError
   * saying what is missing is raised instead.
   */
  allowPlainFallback?: boolean;
}

/**
 * An open Secret Service session: the key that secrets are transferred under. With the DH algorithm the AES key
 * exists only in this object, as a KeyObject (key material in OpenSSL memory: reading 500 secrets with a Buffer key
 * costs ~10 ms more in Node's key type checks); the derived bytes are overwritten at once, {@link close} drops the
 * KeyObject, and the DH private key is dropped right after the exchange.
 */
export class SecretSession {
  readonly #connection: SecretServiceConnection;
  #key: KeyObject | undefined;
  #closed = false;

  private constructor(
    connection: SecretServiceConnection,
    /** The session's object path, sent in every secret struct. */
    readonly path: string,
    /** The negotiated algorithm. */
    readonly algorithm: SessionAlgorithm,
    key: Buffer | undefined,
  ) {
    this.#connection = connection;
    this.#key = key && createSecretKey(key);
    key?.fill(0);
  }

  /** Opens a session (`Service.OpenSession`); see {@link OpenSessionOptions} for the plain fallback. */
  static async open(connection: SecretServiceConnection, options: OpenSessionOptions = {}): Promise<SecretSession> {
    const { algorithm = DH_ALGORITHM, allowPlainFallback = false, ...callOptions } = options;
    if (algorithm !== DH_ALGORITHM && algorithm !== PLAIN_ALGORITHM) {
      throw new ValidationError(`unsupported Secret Service session algorithm: ${String(algorithm)}`, {
        provider: PROVIDER_SCHEME,
      });
    }
    if (algorithm === PLAIN_ALGORITHM) return SecretSession.#openPlain(connection, callOptions);
    try {
      return await SecretSession.#openDh(connection, callOptions);
    } catch (error) {
      const name = dbusErrorName(error);
      // NotSupported: the service lacks the algorithm; InvalidArgs: KWallet without its QCA plugins
      if (name !== DBusErrorNames.notSupported && name !== DBusErrorNames.invalidArgs) throw error;
      if (allowPlainFallback) return SecretSession.#openPlain(connection, callOptions);
      throw new ProviderError(
        `Service.OpenSession: the Secret Service refused the encrypted session (${DH_ALGORITHM}, ${name}). ` +
          'KWallet needs the QCA crypto plugins for it (Debian/Ubuntu: libqca-qt5-2-plugins; Fedora: qca-qt5-ossl); ' +
          'or allow secrets in clear on the bus with allowPlain / algorithm: plain',
        { cause: error, provider: PROVIDER_SCHEME },
      );
    }
  }

  static async #openDh(connection: SecretServiceConnection, options: CallOptions): Promise<SecretSession> {
    const exchange = createDhKeyExchange();
    const [output, path] = await connection.call(
      {
        path: SERVICE_PATH,
        interface: Interfaces.service,
        member: 'OpenSession',
        signature: 'sv',
        body: [DH_ALGORITHM, variant('ay', exchange.publicKey)],
      },
      options,
    );
    const servicePublicKey = (output as dbus.Variant).value as unknown;
    if (!Buffer.isBuffer(servicePublicKey) || servicePublicKey.length === 0) {
      throw new ProviderError('Service.OpenSession: the service sent no DH public key', { provider: PROVIDER_SCHEME });
    }
    return new SecretSession(connection, path as string, DH_ALGORITHM, exchange.deriveKey(servicePublicKey));
  }

  static async #openPlain(connection: SecretServiceConnection, options: CallOptions): Promise<SecretSession> {
    const [, path] = await connection.call(
      {
        path: SERVICE_PATH,
        interface: Interfaces.service,
        member: 'OpenSession',
        signature: 'sv',
        body: [PLAIN_ALGORITHM, variant('s', '')],
      },
      options,
    );
    return new SecretSession(connection, path as string, PLAIN_ALGORITHM, undefined);
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Builds the secret struct for `value` (encrypted under a fresh IV in a DH session). */
  encode(value: SecretInput, contentType: string = DEFAULT_CONTENT_TYPE): SecretStruct {
    this.#assertOpen();
    const bytes = secretInputBytes(value);
    if (this.#key === undefined) {
      return [this.path, Buffer.alloc(0), Buffer.from(bytes), contentType];
    }
    const { iv, ciphertext } = encryptSecret(this.#key, bytes);
    return [this.path, iv, ciphertext, contentType];
  }

  /** Reads a secret struct received from the service (decrypting it in a DH session). */
  decode(struct: unknown): SecretBytes {
    this.#assertOpen();
    const [, parameters, value, contentType] = struct as SecretStruct;
    if (this.#key === undefined) return new SecretBytes(Buffer.from(value), contentType);
    try {
      return new SecretBytes(decryptSecret(this.#key, parameters, value), contentType);
    } catch (error) {
      // OpenSSL's message ("bad decrypt") never quotes the data; keep it as the cause
      throw new SecretDecodeError('cannot decrypt the secret sent by the Secret Service (wrong session key?)', {
        cause: error,
        provider: PROVIDER_SCHEME,
      });
    }
  }

  /** Closes the session on the service (`Session.Close`) and drops the key. Safe to call twice. */
  async close(options?: CallOptions): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#key = undefined;
    if (this.#connection.isClosed) return;
    await this.#connection.call({ path: this.path, interface: Interfaces.session, member: 'Close' }, options);
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('the Secret Service session was closed', { provider: PROVIDER_SCHEME });
  }
}
