import { type CallContext, ClosedError } from '../../../provider-kit/index.js';
import type { AwsProviderOptions } from './aws-options.js';
import { resolveCredentials } from './credentials.js';
import { loadOptionalModule } from './load-module.js';
import { type AwsCallLabel, isCredentialExpiry, mapAwsError } from './map-error.js';

/** The part of an AWS SDK v3 client the handle needs. */
export interface SdkClient {
  destroy(): void;
}

/** How to build one service's client from its loaded SDK module. */
export interface ClientSpec<Module, Client extends SdkClient, Config> {
  /** The provider's scheme, for errors. */
  readonly scheme: string;
  /** The SDK package, imported on first use. */
  readonly packageName: string;
  /** Creates a client from the module and the resolved settings. */
  create(sdk: Module, config: Record<string, unknown>): Client;
  /** The provider's options. */
  readonly options: AwsProviderOptions<Config, Client>;
}

/** The SDK's per-call options: every `send` gets the call's AbortSignal. */
export interface SendOptions {
  readonly abortSignal: AbortSignal;
}

interface Ready<Module, Client> {
  readonly sdk: Module;
  readonly client: Client;
}

/**
 * Owns one SDK client: loads the SDK and builds the client on first use (so importing the provider loads no SDK),
 * runs calls with the caller's AbortSignal, maps errors into the rxsecrets hierarchy, and after an expired-token
 * error replaces the client (new credentials, assuming the role again) and retries once.
 */
export class ClientHandle<Module, Client extends SdkClient, Config> {
  readonly #spec: ClientSpec<Module, Client, Config>;
  #ready: Promise<Ready<Module, Client>> | undefined;
  #settled: Ready<Module, Client> | undefined;
  #closed = false;

  constructor(spec: ClientSpec<Module, Client, Config>) {
    this.#spec = spec;
  }

  /** The loaded SDK module and the current client; after {@link ClientHandle.close}, a ClosedError (no new client). */
  ready(): Promise<Ready<Module, Client>> {
    if (this.#closed) return Promise.reject(new ClosedError(`the ${this.#spec.scheme} provider was closed`));
    return this.#ready ?? this.#track(this.#create());
  }

  /**
   * Makes `pending` the current client: once settled it is also kept as a plain value, so calls skip a promise hop.
   * A failed creation (missing package, bad credentials setup) is not kept: the next call tries again.
   */
  #track(pending: Promise<Ready<Module, Client>>): Promise<Ready<Module, Client>> {
    this.#ready = pending;
    this.#settled = undefined;
    pending.then(
      (ready) => {
        if (this.#ready === pending) this.#settled = ready;
      },
      () => {
        if (this.#ready === pending) this.#ready = undefined;
      },
    );
    return pending;
  }

  /**
   * Runs `call` with the client, the SDK module and the send options carrying `ctx.signal`. Errors are mapped with
   * `label`; an abort rethrows the signal's reason. An expired-token error refreshes credentials once.
   */
  async run<T>(
    ctx: CallContext,
    label: AwsCallLabel,
    call: (client: Client, sdk: Module, send: SendOptions) => Promise<T>,
  ): Promise<T> {
    let refreshed = false;
    for (;;) {
      const ready =
        this.#settled ??
        (await this.ready().catch((error: unknown) => {
          throw mapAwsError(error, label);
        }));
      try {
        return await call(ready.client, ready.sdk, { abortSignal: ctx.signal });
      } catch (error) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        if (!refreshed && isCredentialExpiry(error) && this.#canRefresh()) {
          refreshed = true;
          this.#refresh(ready);
          continue;
        }
        throw mapAwsError(error, label);
      }
    }
  }

  /** Destroys the client (closing its sockets). */
  async close(): Promise<void> {
    this.#closed = true;
    const ready = this.#ready;
    this.#ready = undefined;
    this.#settled = undefined;
    if (ready && !this.#spec.options.client) (await ready.catch(() => undefined))?.client.destroy();
  }

  #canRefresh(): boolean {
    const { client, credentials, assumeRole } = this.#spec.options;
    return !this.#closed && client === undefined && (assumeRole !== undefined || typeof credentials === 'function');
  }

  /** Replaces the client that failed (once, even when many calls failed with it at the same time). */
  #refresh(failed: Ready<Module, Client>): void {
    const current = this.#ready ?? Promise.resolve(failed);
    this.#track(
      current.then((ready) => {
        if (ready !== failed) return ready;
        // Calls still in flight on the old client finish on it; its sockets are released a little later.
        setTimeout(() => failed.client.destroy(), 60_000).unref();
        return this.#create();
      }),
    );
  }

  async #create(): Promise<Ready<Module, Client>> {
    const { scheme, packageName, options } = this.#spec;
    const sdk = await loadOptionalModule<Module>(packageName, scheme);
    if (options.client) return { sdk, client: options.client };
    const region = options.region ?? (options.clientConfig as { region?: unknown } | undefined)?.region;
    const credentials = await resolveCredentials(
      scheme,
      options.credentials,
      options.assumeRole,
      typeof region === 'string' ? region : undefined,
    );
    const config: Record<string, unknown> = {
      maxAttempts: 1,
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
      ...options.clientConfig,
    };
    return { sdk, client: this.#spec.create(sdk, config) };
  }
}
