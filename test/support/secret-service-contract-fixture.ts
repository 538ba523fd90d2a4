/**
 * Shared setup of the Secret Service contract: one real daemon (gnome-keyring, KeePassXC or KWallet) per test file on
 * a private bus, facades over the provider pointed at it, and tests titled `<service>: <title>`. The same scenarios
 * (test/secret-service/contracts) run against every implementation, as test/interop/contracts does for AWS.
 */
import test, { type ExecutionContext } from 'ava';
import type { Secrets } from '../../src/index.js';
import type { SecretServiceProviderOptions } from '../../src/providers/secret-service/index.js';
import { type SecretServiceKind, startTestSecretService, type TestSecretService } from './secret-service-peers.js';
import { secretsOn } from './secret-service-provider-fixture.js';

/** The body of one contract test. */
export type ContractTest = (t: ExecutionContext) => Promise<void> | void;

/** What the tests of one implementation share; filled in by `test.before`. */
export interface SecretServiceWorld {
  /** The implementation: branch on it only where a service's documented behaviour differs. */
  readonly kind: SecretServiceKind;
  /** The running service. */
  readonly service: TestSecretService;
  /** A facade over a provider on the service's bus (no cache), closed when the test ends. */
  secrets(t: ExecutionContext, options?: Omit<SecretServiceProviderOptions, 'bus'> & { retries?: number }): Secrets;
  /** Registers a test titled `<kind>: <title>`, concurrent except on KeePassXC. */
  test(title: string, implementation: ContractTest): void;
  /** Registers a serial test (for tests that lock the shared collection). */
  serial(title: string, implementation: ContractTest): void;
}

/** Registers the tests of one implementation; `register` runs with the world they will use. */
export function withSecretService(kind: SecretServiceKind, register: (world: SecretServiceWorld) => void): void {
  let service: TestSecretService | undefined;
  const world: SecretServiceWorld = {
    kind,
    get service(): TestSecretService {
      if (!service) throw new Error(`${kind} is not started`);
      return service;
    },
    secrets: (t, options = {}) => secretsOn(t, world.service, options),
    // KeePassXC 2.7.4 crashes (SIGSEGV) now and then under concurrent writes from several clients, and lost pushed
    // changes while other tests wrote: its scenarios run one at a time
    test: (title, implementation) =>
      (kind === 'keepassxc' ? test.serial : test)(`${kind}: ${title}`, (t) => onceMoreIfItDied(t, implementation)),
    serial: (title, implementation) => test.serial(`${kind}: ${title}`, (t) => onceMoreIfItDied(t, implementation)),
  };
  /**
   * KeePassXC 2.7.4 also crashes (SIGSEGV) now and then while one scenario runs alone, more often on a loaded
   * machine (its own bug: every later scenario of the file then finds no service). A scenario that failed while
   * the daemon died runs once more on a fresh one, and the test says so in its log. A failure with the daemon alive,
   * or a second crash, fails the test; no other implementation is retried.
   */
  async function onceMoreIfItDied(t: ExecutionContext, implementation: ContractTest): Promise<void> {
    const first = await t.try(implementation);
    const death = service?.died?.();
    if (first.passed || death === undefined) {
      first.commit();
      return;
    }
    first.discard();
    t.log(
      `${kind} died (${death}) during the scenario, which runs again on a fresh ${kind}; its log:\n${service?.log()}`,
    );
    await service?.stop();
    service = await startTestSecretService(kind);
    (await t.try(implementation)).commit();
  }
  test.before(async () => {
    service = await startTestSecretService(kind);
  });
  test.afterEach.always((t) => {
    if (!t.passed && service) t.log(service.log());
  });
  test.after.always(async () => {
    await service?.stop();
  });
  register(world);
}
