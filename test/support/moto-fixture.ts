// Shared setup of the moto interop tests: one moto server per test file, the real SDK clients pointed at it for
// seeding and checking, and an rxsecrets facade whose providers reach moto through a counting proxy.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import test from 'ava';
import { createSecrets, type Secrets } from '../../src/index.js';
import {
  type ParameterStoreOptions,
  parameterStore,
  type SecretsManagerOptions,
  secretsManager,
} from '../../src/providers/aws/index.js';
import { type CountingProxy, startCountingProxy } from './counting-proxy.js';
import { findMotoServer, type MotoServer, startMotoServer } from './moto-server.js';

/** What the tests of one file share; filled in by `test.before`. */
export interface MotoWorld {
  moto: MotoServer;
  proxy: CountingProxy;
  /** The facade under test (no cache, fast retries and backoff). */
  secrets: Secrets;
  /** Plain SDK clients talking to moto directly (not counted by the proxy). */
  ssm: SSMClient;
  sm: SecretsManagerClient;
  /** Another facade on the same proxy, with provider options of its own; closed after the file. */
  facade(options?: { ssm?: ParameterStoreOptions; sm?: SecretsManagerOptions }): Secrets;
}

/**
 * Registers the tests of one interop file: `register` runs with the world the tests will use (filled in before the
 * first test) when moto_server is installed; otherwise the file registers a single skipped test that says why.
 */
export function withMoto(register: (world: MotoWorld) => void): void {
  const binary = findMotoServer();
  if (binary === undefined) {
    test.skip('moto_server not installed: AWS interop against moto skipped', () => {});
    return;
  }
  const world = {} as MotoWorld;
  const facades: Secrets[] = [];
  test.before(async () => {
    world.moto = await startMotoServer({ binary });
    world.proxy = await startCountingProxy(world.moto.endpoint);
    const direct = world.moto.clientConfig();
    const { region, credentials } = direct;
    world.ssm = new SSMClient(direct);
    world.sm = new SecretsManagerClient(direct);
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
    await world.moto?.stop();
  });
  register(world);
}
