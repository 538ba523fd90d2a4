import { Observable, Subject } from 'rxjs';
import {
  ClosedError,
  type Duration,
  isProviderUnavailableError,
  ProviderUnavailableError,
  toMilliseconds,
} from '../../provider-kit/index.js';
import { SecretServiceClient, type SecretServiceClientOptions } from './service.js';

const MAX_RECONNECT_DELAY_MS = 5000;

/**
 * Holds one {@link SecretServiceClient} and replaces it when its connection is lost (bus restarted, socket closed):
 * the next call connects again, with exponential backoff between failed attempts. While the bus is unreachable calls
 * fail at once with a transient ProviderUnavailableError, so the core's retries (and the watch engine's backoff) pace
 * the recovery instead of calls piling up behind a hung connect.
 */
export class ReconnectingClient {
  readonly #options: SecretServiceClientOptions;
  readonly #scheme: string;
  readonly #minDelayMs: number;
  readonly #connected = new Subject<SecretServiceClient>();
  #current: Promise<SecretServiceClient> | undefined;
  #failures = 0;
  #retryAt = 0;
  #lastError: unknown;
  #closed = false;

  constructor(options: SecretServiceClientOptions, scheme: string, reconnectDelay: Duration = 100) {
    this.#options = options;
    this.#scheme = scheme;
    this.#minDelayMs = toMilliseconds(reconnectDelay, 'reconnectDelay');
  }

  /** Each client as it connects (not the current one: see {@link clients}). */
  get connected(): Observable<SecretServiceClient> {
    return this.#connected.asObservable();
  }

  /**
   * The current client, connecting first when there is none. Rejects with a transient ProviderUnavailableError
   * while a reconnection is backing off, a permanent one when there is no session bus at all (or no dbus-next), and
   * ClosedError after {@link close}.
   */
  client(): Promise<SecretServiceClient> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#current) return this.#current;
    const wait = this.#retryAt - Date.now();
    if (wait > 0) {
      return Promise.reject(
        new ProviderUnavailableError(`the Secret Service is unreachable; reconnecting in ${Math.ceil(wait)} ms`, {
          cause: this.#lastError,
          provider: this.#scheme,
        }),
      );
    }
    const connecting = this.#connect();
    this.#current = connecting;
    connecting.catch(() => {
      if (this.#current === connecting) this.#current = undefined;
    });
    return connecting;
  }

  /** Emits the current client, then every replacement after a reconnection (for signal subscriptions). */
  clients(): Observable<SecretServiceClient> {
    return new Observable<SecretServiceClient>((subscriber) => {
      const subscription = this.#connected.subscribe(subscriber);
      this.client().then(
        (client) => {
          if (!client.connection.isClosed) subscriber.next(client);
        },
        (error: unknown) => subscriber.error(error),
      );
      return subscription;
    });
  }

  /** Closes the current client; later calls fail with ClosedError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connected.complete();
    const current = this.#current;
    this.#current = undefined;
    await current?.then((client) => client.close()).catch(() => {});
  }

  async #connect(): Promise<SecretServiceClient> {
    let client: SecretServiceClient;
    try {
      client = await SecretServiceClient.connect(this.#options);
    } catch (error) {
      this.#failed(error);
      throw error;
    }
    if (this.#closed) {
      await client.close();
      throw this.#closedError();
    }
    this.#failures = 0;
    this.#retryAt = 0;
    const current = this.#current;
    client.connection.lost.subscribe((error) => {
      if (this.#current === current) this.#current = undefined;
      this.#failed(error);
      // the first reconnection is tried at once; only failed attempts back off
      this.#retryAt = 0;
    });
    queueMicrotask(() => {
      if (!this.#closed && !client.connection.isClosed) this.#connected.next(client);
    });
    return client;
  }

  #failed(error: unknown): void {
    this.#lastError = error;
    if (isProviderUnavailableError(error) && !error.transient) return; // no bus at all: no point in backing off
    this.#failures += 1;
    this.#retryAt = Date.now() + Math.min(this.#minDelayMs * 2 ** (this.#failures - 1), MAX_RECONNECT_DELAY_MS);
  }

  #closedError(): ClosedError {
    return new ClosedError('the Secret Service provider was closed', { provider: this.#scheme });
  }
}
