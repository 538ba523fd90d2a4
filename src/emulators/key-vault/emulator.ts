/**
 * `startKeyVaultEmulator`: a local https server speaking the Key Vault secrets data-plane protocol well enough
 * that the real `@azure/keyvault-secrets` `SecretClient` cannot tell it from Azure.
 * @module
 */
import { createEmulatorTls } from './certificates.js';
import { type StaticTokenCredential, staticTokenCredential } from './credential.js';
import { FaultInjector, type KeyVaultFaults } from './faults.js';
import { type KeyVaultEmulatorOptions, resolveOptions } from './options.js';
import type { SecretVersionProperties } from './secret-records.js';
import { SecretStore } from './secret-store.js';
import { KeyVaultServer } from './server.js';
import { type KeyVaultEmulatorStats, StatsRecorder } from './stats.js';
import { assertSecretName, MAX_VALUE_BYTES } from './validation.js';

/** Options for a `SecretClient` talking to the emulator, ready to pass as its third argument. */
export interface KeyVaultEmulatorClientOptions {
  /** Trusts the emulator's CA for this client only. */
  tlsOptions: { ca: string };
  /** The challenge names `https://vault.azure.net`, which does not match `127.0.0.1`. */
  disableChallengeResourceVerification: true;
  /** Short retry delays (5xx and network retries), so tests with injected faults stay fast. */
  retryOptions: { retryDelayInMs: number; maxRetryDelayInMs: number };
}

/** Options for `beginDeleteSecret` / `beginRecoverDeletedSecret`: poll quickly instead of every 2 s. */
export interface KeyVaultEmulatorPollerOptions {
  intervalInMs: number;
}

/** The identity of a version written through {@link KeyVaultEmulatorStore.setSecret}. */
export interface WrittenSecretVersion {
  /** Absolute id, `<vaultUrl>/secrets/<name>/<version>`. */
  id: string;
  name: string;
  version: string;
}

/**
 * Direct access to the emulator's vault, bypassing HTTP: nothing is counted in `stats` and no fault applies.
 * Use it to arrange state or to simulate another process rotating a secret.
 */
export interface KeyVaultEmulatorStore {
  /** Writes a new version of `name` (created if absent), as `PUT /secrets/{name}` would. */
  setSecret(name: string, value: string, properties?: SecretVersionProperties): WrittenSecretVersion;
}

/** A running emulator. Stop it with `stop()` (e.g. in `test.after.always`). */
export interface KeyVaultEmulator {
  /** `https://127.0.0.1:PORT` (on the configured host): the vault URL to give `SecretClient`. */
  readonly vaultUrl: string;
  /** PEM of the CA that signed the server certificate; trust it via `clientOptions()` or `NODE_EXTRA_CA_CERTS`. */
  readonly ca: string;
  /** A `TokenCredential`-compatible credential; the emulator accepts any bearer token. */
  readonly credential: StaticTokenCredential;
  /** `SecretClient` options: the CA, challenge resource verification off, short retry delays. */
  clientOptions(): KeyVaultEmulatorClientOptions;
  /** Poller options with a short interval (10 ms) for `beginDeleteSecret` / `beginRecoverDeletedSecret`. */
  pollerOptions(): KeyVaultEmulatorPollerOptions;
  /** Backdoor writes that bypass HTTP, stats and faults. */
  readonly store: KeyVaultEmulatorStore;
  /** Fault injection (throttling, 5xx, latency, hung requests). */
  readonly faults: KeyVaultFaults;
  /** Request counters. */
  readonly stats: KeyVaultEmulatorStats;
  /**
   * Resolves when the server has no request in flight: every answer sent, or abandoned by its client (a hung
   * request the client aborted counts in `stats.clientAborted` by then).
   */
  idle(): Promise<void>;
  /** Forgets every secret (active and deleted), clears faults and zeroes stats; the server keeps running. */
  reset(): void;
  /** Closes the server and every connection at once, hung requests included. Safe to call twice. */
  stop(): Promise<void>;
  /** `await using kv = await startKeyVaultEmulator()` stops it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a Key Vault emulator on `127.0.0.1` with a fresh self-signed CA.
 *
 * @example
 * ```ts
 * const kv = await startKeyVaultEmulator();
 * const client = new SecretClient(kv.vaultUrl, kv.credential, kv.clientOptions());
 * await client.setSecret('db-password', 's3cret');
 * await (await client.beginDeleteSecret('db-password', kv.pollerOptions())).pollUntilDone();
 * await kv.stop();
 * ```
 */
export async function startKeyVaultEmulator(options: KeyVaultEmulatorOptions = {}): Promise<KeyVaultEmulator> {
  const settings = resolveOptions(options);
  const tls = createEmulatorTls([settings.host]);
  const store = new SecretStore(settings);
  const faults = new FaultInjector();
  const stats = new StatsRecorder();
  const server = new KeyVaultServer(tls, {
    store,
    faults,
    stats,
    challenge: { tenantId: settings.tenantId, resource: settings.challengeResource },
    paging: { defaultPageSize: settings.pageSize, trailingEmptyPage: settings.trailingEmptyPage },
    log: settings.log,
  });
  const address = await server.listen(settings.port, settings.host);
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const vaultUrl = `https://${host}:${address.port}`;
  const credential = staticTokenCredential();

  return {
    vaultUrl,
    ca: tls.caPem,
    credential,
    clientOptions: () => ({
      tlsOptions: { ca: tls.caPem },
      disableChallengeResourceVerification: true,
      retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 100 },
    }),
    pollerOptions: () => ({ intervalInMs: 10 }),
    store: {
      setSecret(name, value, properties = {}) {
        assertSecretName(name);
        if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
          throw new RangeError(`Secret value exceeds the maximum size of ${MAX_VALUE_BYTES} bytes.`);
        }
        const written = store.set(name, value, properties);
        const { record } = store.find(name);
        return {
          id: `${vaultUrl}/secrets/${record.name}/${written.version}`,
          name: record.name,
          version: written.version,
        };
      },
    },
    faults,
    stats,
    reset() {
      store.clear();
      faults.clear();
      stats.reset();
    },
    idle: () => server.idle(),
    stop: () => server.stop(),
    [Symbol.asyncDispose]: () => server.stop(),
  };
}
