import { EventEmitter } from 'node:events';
import type { EmulatorContext } from './context.js';
import { type AwsFaultRule, AwsFaults } from './faults.js';
import type { RandomSource } from './random.js';
import { smReadOperations } from './secrets/read-operations.js';
import { SecretStore } from './secrets/secret-store.js';
import { smWriteOperations } from './secrets/write-operations.js';
import { type AwsEmulatorEvents, EmulatorHttpServer } from './server.js';
import { ParameterStore } from './ssm/parameter-store.js';
import { ssmReadOperations } from './ssm/read-operations.js';
import { ssmWriteOperations } from './ssm/write-operations.js';
import { AwsEmulatorStats } from './stats.js';

/** Options of `startAwsEmulator`. */
export interface AwsEmulatorOptions {
  /** TCP port; default 0 (a free port, see `endpoint`). */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Region used in ARNs and suggested to clients; default `us-east-1`. Clients may use any region. */
  region?: string;
  /** Account id used in ARNs; default `123456789012`. */
  accountId?: string;
  /** Fault rules active from the start (more can be added with `emulator.faults.add`). */
  faults?: readonly AwsFaultRule[];
  /** Random source for fault rates and ARN suffixes; `seededRandom(seed)` makes runs reproducible. */
  random?: RandomSource;
  /** Clock in epoch milliseconds, for dates and recovery windows; default `Date.now`. */
  now?: () => number;
  /** Largest request body accepted (bytes); default 1 MiB. Larger requests get HTTP 413. */
  maxBodyBytes?: number;
}

/** Direct access to the emulator's data, bypassing HTTP, stats and faults. */
export interface AwsEmulatorStore {
  /** Parameter Store data: `putParameter`, `getParameter`, `deleteParameter`, `labelParameterVersion`, … */
  readonly parameters: ParameterStore;
  /** Secrets Manager data: `createSecret`, `putSecretValue`, `getSecretValue`, `deleteSecret`, `rotateSecret`, … */
  readonly secrets: SecretStore;
}

/** Settings for an AWS SDK v3 client that talks to the emulator. */
export interface AwsEmulatorClientConfig {
  /** The emulator's URL. */
  endpoint: string;
  /** The emulator's region. */
  region: string;
  /** Static dummy credentials (the emulator accepts any signature). */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A running emulator of AWS Systems Manager Parameter Store and AWS Secrets Manager. */
export interface AwsEmulator {
  /** Base URL for SDK clients, e.g. `http://127.0.0.1:49152`. */
  readonly endpoint: string;
  /** The region of `options.region`. */
  readonly region: string;
  /** The account id used in ARNs. */
  readonly accountId: string;
  /** The fault schedule: `faults.add({ kind: 'throttle', operation: 'GetParameter', count: 3 })`, `faults.clear()`. */
  readonly faults: AwsFaults;
  /** Call counters: `stats.calls['ssm.GetParameter']`, `stats.total`, `stats.clientAborted`, `stats.reset()`. */
  readonly stats: AwsEmulatorStats;
  /** `call`, `hang` and `clientAbort` events, to wait on with `events.once` instead of sleeping. */
  readonly events: EventEmitter<AwsEmulatorEvents>;
  /** Data access that does not count as calls, to simulate other processes changing parameters and secrets. */
  readonly store: AwsEmulatorStore;
  /** Settings for `new SSMClient(...)` / `new SecretsManagerClient(...)`. */
  clientConfig(): AwsEmulatorClientConfig;
  /**
   * Rotates a secret as a rotation function would: a new version labelled AWSPENDING, promoted to AWSCURRENT
   * (the previous current becomes AWSPREVIOUS). Not counted in `stats`. Returns the new VersionId.
   */
  rotateSecret(secretId: string, newValue: string | Uint8Array): string;
  /** Forgets all parameters and secrets, removes all fault rules and zeroes the stats. */
  reset(): void;
  /** Closes all connections, hung ones included, and stops listening. Safe to call twice. */
  stop(): Promise<void>;
  /** `await using emulator = await startAwsEmulator()` stops it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a local HTTP server speaking the AWS JSON 1.1 protocol of Parameter Store (`AmazonSSM.*`) and
 * Secrets Manager (`secretsmanager.*`), so that the real `@aws-sdk/client-ssm` and `@aws-sdk/client-secrets-manager`
 * clients work against it unchanged. State lives in memory; nothing is logged.
 *
 * @example
 * const emulator = await startAwsEmulator();
 * const ssm = new SSMClient(emulator.clientConfig());
 * await ssm.send(new PutParameterCommand({ Name: '/app/db', Value: 'x', Type: 'SecureString' }));
 * emulator.faults.add({ kind: 'throttle', operation: 'GetParameter', count: 2 });
 * // … the SDK retries twice, then succeeds; emulator.stats.calls['ssm.GetParameter'] === 3
 * await emulator.stop();
 */
export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const random = options.random ?? Math.random;
  const context: EmulatorContext = {
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    now: options.now ?? Date.now,
    random,
  };
  const parameters = new ParameterStore(context);
  const secrets = new SecretStore(context);
  const faults = new AwsFaults(random);
  for (const rule of options.faults ?? []) faults.add(rule);
  const stats = new AwsEmulatorStats();
  const events = new EventEmitter<AwsEmulatorEvents>();
  const server = new EmulatorHttpServer({
    operations: {
      ssm: { ...ssmReadOperations(parameters), ...ssmWriteOperations(parameters) },
      secretsmanager: { ...smReadOperations(secrets), ...smWriteOperations(secrets) },
    },
    faults,
    stats,
    events,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
  });
  const host = options.host ?? '127.0.0.1';
  const address = await server.listen(options.port ?? 0, host);
  const endpoint = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= server.close();
    return stopped;
  };

  return {
    endpoint,
    region: context.region,
    accountId: context.accountId,
    faults,
    stats,
    events,
    store: { parameters, secrets },
    clientConfig: () => ({
      endpoint,
      region: context.region,
      credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'emulator-secret-key' },
    }),
    rotateSecret: (secretId, newValue) => secrets.rotateSecret(secretId, newValue).VersionId,
    reset() {
      parameters.clear();
      secrets.clear();
      faults.clear();
      stats.reset();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
