// Shared setup of the AWS interop tests: one server per backend and test file — moto (an AWS implementation
// independent of this repo) or our own emulator — the real SDK clients pointed at it for seeding and checking, and
// an rxsecrets facade whose providers reach it through a counting proxy. The same scenarios run against both
// backends, so the emulator is held to what an independent implementation does.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import test, { type ExecutionContext } from 'ava';
import { startAwsEmulator } from '../../src/emulators/aws/index.js';
import { createSecrets, type Secrets } from '../../src/index.js';
import {
  type AwsConnectionOptions,
  type ParameterStoreSettings,
  parameterStore,
  type SecretsManagerSettings,
  secretsManager,
} from '../../src/providers/aws/index.js';
import { type CountingProxy, startCountingProxy } from './counting-proxy.js';
import { findMotoServer, MOTO_MISSING, type MotoCommand, startMotoServer } from './moto-server.js';
import { requiresEverySuite } from './test-dependencies.js';

/** Which implementation of the AWS APIs a test runs against. */
export type AwsBackend = 'moto' | 'emulator';

/** What every backend offers the fixture. */
interface BackendServer {
  readonly endpoint: string;
  clientConfig(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

/** The body of one interop test. */
export type InteropTest = (t: ExecutionContext) => Promise<void> | void;

/** What the tests of one backend share; filled in by `test.before`. */
export interface AwsInteropWorld {
  /** The backend these tests run against: branch on it only where moto departs from AWS's documented behaviour. */
  readonly backend: AwsBackend;
  /** The backend's own endpoint (not counted by the proxy). */
  endpoint: string;
  /** The region and static credentials the backend's clients use. */
  clientConfig: ReturnType<BackendServer['clientConfig']>;
  /** The proxy the providers call the backend through. */
  proxy: CountingProxy;
  /** The facade under test (no cache, fast retries and backoff). */
  secrets: Secrets;
  /** Plain SDK clients talking to the backend directly (not counted by the proxy). */
  ssm: SSMClient;
  sm: SecretsManagerClient;
  /** Another facade on the same proxy, with provider options of its own; closed after the file. */
  facade(options?: {
    ssm?: ParameterStoreSettings & AwsConnectionOptions<object>;
    sm?: SecretsManagerSettings & AwsConnectionOptions<object>;
  }): Secrets;
  /** Registers a concurrent test titled `<backend>: <title>`. */
  test(title: string, implementation: InteropTest): void;
  /** Registers a serial test titled `<backend>: <title>` (for tests that reset or read the proxy's counts). */
  serial(title: string, implementation: InteropTest): void;
}

async function startBackend(backend: AwsBackend, moto: MotoCommand | undefined): Promise<BackendServer> {
  if (backend === 'emulator') return startAwsEmulator();
  return startMotoServer(moto === undefined ? {} : { command: moto });
}

/**
 * Registers the tests of one backend: `register` runs with the world the tests will use (filled in before the first
 * test). For moto, when moto is not installed, a single test says why instead: skipped on a contributor's machine,
 * failed under `CI=true` (CI must run every suite). The emulator always runs. Call it once per backend in the same
 * file to hold both to one contract.
 */
export function withAwsBackend(backend: AwsBackend, register: (world: AwsInteropWorld) => void): void {
  const moto = backend === 'moto' ? findMotoServer() : undefined;
  if (backend === 'moto' && moto === undefined) {
    if (requiresEverySuite())
      test('moto: AWS interop against moto', (t) => t.fail(`${MOTO_MISSING} (required under CI=true)`));
    else test.skip(`moto: AWS interop against moto skipped: ${MOTO_MISSING}`, () => {});
    return;
  }
  let server: BackendServer | undefined;
  const facades: Secrets[] = [];
  const world = {
    backend,
    test: (title: string, implementation: InteropTest) => test(`${backend}: ${title}`, implementation),
    serial: (title: string, implementation: InteropTest) => test.serial(`${backend}: ${title}`, implementation),
  } as AwsInteropWorld;
  test.before(async () => {
    server = await startBackend(backend, moto);
    world.endpoint = server.endpoint;
    world.clientConfig = server.clientConfig();
    world.proxy = await startCountingProxy(server.endpoint);
    const { region, credentials } = world.clientConfig;
    world.ssm = new SSMClient(world.clientConfig);
    world.sm = new SecretsManagerClient(world.clientConfig);
    world.facade = (options = {}) => {
      const secrets = createSecrets({
        cache: false,
        retry: { minDelay: 5, maxDelay: 20, jitter: false },
        watch: { maxBackoff: 50 },
        providers: [
          parameterStore({ endpoint: world.proxy.endpoint, region, credentials, ...options.ssm }),
          secretsManager({ endpoint: world.proxy.endpoint, region, credentials, ...options.sm }),
        ],
      });
      facades.push(secrets);
      return secrets;
    };
    world.secrets = world.facade();
  });
  test.after.always(async () => {
    await Promise.all(facades.map((secrets) => secrets.close()));
    world.ssm?.destroy();
    world.sm?.destroy();
    await world.proxy?.stop();
    await server?.stop();
  });
  register(world);
}
