import type { Observable, Subscription } from 'rxjs';
import { fromAbortable } from '../../src/core/abortable.js';
import type { ProbeResult, ProviderCapabilities, SecretProvider } from '../../src/core/provider.js';
import { parseSecretRef, type SecretRef } from '../../src/core/ref.js';
import { type RetryOptions, resolveRetryOptions, withRetry } from '../../src/core/retry.js';
import type { Secret } from '../../src/core/secret.js';
import type { WatchCall } from '../../src/core/watch/index.js';

/** A `call` as the facade builds it: withRetry inside fromAbortable (fast, jitter-free retries by default). */
export function makeCall(provider: SecretProvider, retry: RetryOptions = {}): WatchCall {
  const options = resolveRetryOptions({ minDelay: 10, maxDelay: 100, jitter: false, ...retry });
  return <T>(operation: string, run: Parameters<WatchCall>[1], ref?: SecretRef) =>
    fromAbortable<T>((signal) =>
      withRetry(run as never, signal, options, {
        provider: provider.scheme,
        operation,
        ...(ref ? { ref: ref.text } : {}),
      }),
    );
}

export { seededRandom } from './seeded-random.js';

/** What a subscriber saw. */
export interface Seen<T> {
  readonly values: T[];
  error: unknown;
  completed: boolean;
  readonly subscription: Subscription;
}

/** Subscribes and records everything. */
export function collect<T>(source: Observable<T>): Seen<T> {
  const seen = { values: [] as T[], error: undefined as unknown, completed: false } as Seen<T>;
  const subscription = source.subscribe({
    next: (value) => seen.values.push(value),
    error: (error: unknown) => {
      seen.error = error;
    },
    complete: () => {
      seen.completed = true;
    },
  });
  return Object.assign(seen, { subscription });
}

/** The versions of the secrets seen. */
export const versions = (secrets: readonly Secret[]): Array<string | undefined> => secrets.map((s) => s.version);

/** Parses `memory:<name>`. */
export const ref = (name: string, scheme = 'memory'): SecretRef => parseSecretRef(`${scheme}:${name}`);

/** Calls and refs a wrapped provider saw. */
export interface SpyLog {
  probeCalls: string[][];
  getCalls: string[];
  getManyCalls: string[][];
}

/** Options of {@link spyProvider}. */
export interface SpyOptions {
  readonly capabilities?: Partial<ProviderCapabilities>;
  /** Hide `getMany`, as a provider without batch reads. */
  readonly noGetMany?: boolean;
  /** Runs after each probe resolves, before the engine sees it (to race a rotation). */
  readonly afterProbe?: (results: readonly ProbeResult[]) => void;
}

/** Wraps a provider, logging which refs each probe / get / getMany asked for. */
export function spyProvider(inner: SecretProvider, options: SpyOptions = {}): SecretProvider & { log: SpyLog } {
  const log: SpyLog = { probeCalls: [], getCalls: [], getManyCalls: [] };
  const getMany = inner.getMany?.bind(inner);
  const changes = inner.changes?.bind(inner);
  return {
    log,
    scheme: inner.scheme,
    capabilities: { ...inner.capabilities, ...options.capabilities },
    validateRef: (r) => inner.validateRef(r),
    get: (r, ctx) => {
      log.getCalls.push(r.name);
      return inner.get(r, ctx);
    },
    ...(getMany && !options.noGetMany
      ? {
          getMany: (refs: readonly SecretRef[], ctx: Parameters<typeof getMany>[1]) => {
            log.getManyCalls.push(refs.map((r) => r.name));
            return getMany(refs, ctx);
          },
        }
      : {}),
    ...(changes ? { changes } : {}),
    listPage: (p, o, c, ctx) => inner.listPage(p, o, c, ctx),
    set: (r, v, o, ctx) => inner.set(r, v, o, ctx),
    delete: (r, o, ctx) => inner.delete(r, o, ctx),
    probe: async (refs, ctx) => {
      log.probeCalls.push(refs.map((r) => r.name));
      const results = await inner.probe(refs, ctx);
      options.afterProbe?.(results);
      return results;
    },
  };
}
