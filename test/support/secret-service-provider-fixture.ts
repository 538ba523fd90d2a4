/**
 * Helpers for tests of the Secret Service provider through the facade: a `createSecrets` client on a private
 * daemon's bus, refs built from attributes, and counters of the provider's probe / get calls.
 */
import type { ExecutionContext } from 'ava';
import {
  createSecrets,
  makeRef,
  type Secret,
  type Secrets,
  type SecretsEvent,
  type WatchSecretOptions,
} from '../../src/index.js';
import {
  formatItemQuery,
  type SecretServiceProviderOptions,
  secretService,
} from '../../src/providers/secret-service/index.js';
import type { SecretServiceDaemon } from './secret-service-daemon.js';

/** A facade over one Secret Service provider on `daemon`'s bus, closed when the test ends. */
export function secretsOn(
  t: ExecutionContext,
  daemon: Pick<SecretServiceDaemon, 'address'>,
  options: Omit<SecretServiceProviderOptions, 'bus'> & { retries?: number } = {},
): Secrets {
  const { retries, ...providerOptions } = options;
  const secrets = createSecrets({
    providers: [secretService({ ...providerOptions, bus: daemon.address })],
    cache: false,
    ...(retries === undefined ? {} : { retry: { retries } }),
  });
  t.teardown(() => secrets.close());
  return secrets;
}

/** The ref text `secret-service:<collection>?<attributes>` of these attributes (escaped for the core's parser). */
export function refFor(attributes: Record<string, string>, collection = 'default'): string {
  const name = formatItemQuery(
    collection.startsWith('/') ? { kind: 'path', path: collection } : { kind: 'alias', alias: collection },
    attributes,
  );
  return makeRef('secret-service', name).text;
}

/** Counts what the watch engine and retries did, from `secrets.events`. */
export function countEvents(secrets: Secrets): { probes: () => number; events: SecretsEvent[] } {
  const events: SecretsEvent[] = [];
  secrets.events.subscribe((event) => events.push(event));
  return {
    events,
    probes: () => events.filter((event) => event.type === 'watch-probe').length,
  };
}

/** A watch held open for the whole test, and a way to await the value it emits that satisfies a predicate. */
export interface HeldWatch {
  /** Every value emitted so far. */
  readonly values: Secret[];
  /**
   * The first value (past or future) satisfying `wanted`, with when it was emitted; rejects after `timeoutMs`
   * (default 10 s) or on error.
   */
  until(wanted: (value: unknown) => boolean, timeoutMs?: number): Promise<{ secret: Secret; at: number }>;
  /** The error that ended the watch, once it ends. */
  readonly ended: Promise<unknown>;
}

/** Subscribes to `secrets.watch(ref)` until the test ends. */
export function holdWatch(
  t: ExecutionContext,
  secrets: Secrets,
  ref: string,
  options: WatchSecretOptions = {},
): HeldWatch {
  const values: { secret: Secret; at: number }[] = [];
  const waiters = new Set<() => void>();
  let endedWith: (error: unknown) => void = () => {};
  const ended = new Promise<unknown>((resolve) => {
    endedWith = resolve;
  });
  let failure: unknown;
  const subscription = secrets.watch(ref, options).subscribe({
    next: (secret) => {
      values.push({ secret, at: performance.now() });
      for (const waiter of [...waiters]) waiter();
    },
    error: (error: unknown) => {
      failure = error;
      endedWith(error);
      for (const waiter of [...waiters]) waiter();
    },
    complete: () => endedWith(undefined),
  });
  t.teardown(() => subscription.unsubscribe());
  return {
    get values() {
      return values.map((entry) => entry.secret);
    },
    ended,
    until: (wanted, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching value within ${timeoutMs} ms (seen ${values.length})`));
        }, timeoutMs);
        const check = (): void => {
          const found = values.find((entry) => wanted(entry.secret.value));
          if (!found && failure === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          if (found) resolve(found);
          else reject(failure);
        };
        waiters.add(check);
        check();
      }),
  };
}
