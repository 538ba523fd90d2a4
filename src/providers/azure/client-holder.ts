/**
 * Builds (once, on first use) the SecretClient a provider talks through: the SDK loaded lazily, the default
 * credential only when none was given, SDK retries off, the call-scope policy in the pipeline, and an HTTP agent of
 * its own, so that closing the provider closes its keep-alive sockets.
 * @module
 */

import type { Agent as HttpAgent } from 'node:http';
import type { SecretClient } from '@azure/keyvault-secrets';
import { ProviderUnavailableError, ValidationError } from '../../provider-kit/index.js';
import type { KeyVaultOptions } from './key-vault-options.js';
import { loadIdentity, loadKeyVaultSecrets } from './sdk.js';
import { CALL_SCOPE_POLICY_NAME, callScopePolicy } from './wire/call-scope.js';

/** The private path to a SecretClient's pipeline (the generated client's public `pipeline`). */
interface PipelineHolder {
  client?: {
    pipeline?: {
      addPolicy(policy: ReturnType<typeof callScopePolicy>): void;
      getOrderedPolicies(): ReadonlyArray<{ name: string }>;
    };
  };
}

/** Lazily creates and then keeps one SecretClient. */
export class ClientHolder {
  readonly #options: KeyVaultOptions;
  readonly #scheme: string;
  #client: Promise<SecretClient> | undefined;
  /** The connections of the client built here (none for a user's client, agent or HTTP client). */
  #agent: HttpAgent | undefined;

  constructor(options: KeyVaultOptions, scheme: string) {
    if (options.client === undefined && (typeof options.vaultUrl !== 'string' || options.vaultUrl === '')) {
      throw new ValidationError(`keyVault needs a vaultUrl (or a client), e.g. https://my-vault.vault.azure.net`);
    }
    if (options.vaultUrl !== undefined && !URL.canParse(options.vaultUrl)) {
      throw new ValidationError(`keyVault: vaultUrl is not a URL`);
    }
    this.#options = options;
    this.#scheme = scheme;
  }

  /** The vault URL (without trailing slash). */
  get vaultUrl(): string {
    return (this.#options.client?.vaultUrl ?? this.#options.vaultUrl ?? '').replace(/\/+$/, '');
  }

  /**
   * Closes the keep-alive sockets of the client built here (a given client, agent or HTTP client stays the
   * caller's). A later call builds a new client.
   */
  close(): void {
    this.#client = undefined;
    this.#agent?.destroy();
    this.#agent = undefined;
  }

  /** The client; the first call loads the SDK. A failed load is tried again on the next call. */
  get(): Promise<SecretClient> {
    this.#client ??= this.#create().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #create(): Promise<SecretClient> {
    const given = this.#options.client;
    if (given) return adopt(given, this.#scheme);
    const sdk = await loadKeyVaultSecrets(this.#scheme);
    const credential = this.#options.credential ?? new (await loadIdentity(this.#scheme)).DefaultAzureCredential();
    const clientOptions = this.#options.clientOptions ?? {};
    const agent = this.#ownAgent();
    return new sdk.SecretClient(this.#options.vaultUrl as string, credential, {
      ...clientOptions,
      ...(agent === undefined ? {} : { agent }),
      retryOptions: { ...clientOptions.retryOptions, maxRetries: clientOptions.retryOptions?.maxRetries ?? 0 },
      additionalPolicies: [
        ...(clientOptions.additionalPolicies ?? []),
        { policy: callScopePolicy(), position: 'perCall' },
      ],
    });
  }

  /**
   * A keep-alive agent for the client, with the TLS settings the SDK would have given its own (which it shares
   * process-wide and never closes); none when the caller chose the agent or the HTTP client.
   */
  #ownAgent(): HttpAgent | undefined {
    const clientOptions = this.#options.clientOptions ?? {};
    if (clientOptions.agent !== undefined || clientOptions.httpClient !== undefined) return undefined;
    const insecure = new URL(this.#options.vaultUrl as string).protocol === 'http:';
    // node:http and node:https are loaded here, with the SDK, not when the provider module is imported (they cost
    // tens of ms of a command line's start-up)
    const agent = insecure
      ? new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true })
      : new (process.getBuiltinModule('node:https').Agent)({ keepAlive: true, ...clientOptions.tlsOptions });
    this.#agent = agent;
    return agent;
  }
}

/** Adds the call-scope policy to a user's client (once). */
function adopt(client: SecretClient, scheme: string): SecretClient {
  const pipeline = (client as unknown as PipelineHolder).client?.pipeline;
  if (!pipeline || typeof pipeline.addPolicy !== 'function') {
    throw new ProviderUnavailableError(
      `the ${scheme} provider cannot add its call policy to this SecretClient (unknown SDK layout): pass clientOptions instead of client`,
      { provider: scheme, transient: false },
    );
  }
  if (!pipeline.getOrderedPolicies().some((policy) => policy.name === CALL_SCOPE_POLICY_NAME)) {
    pipeline.addPolicy(callScopePolicy());
  }
  return client;
}
