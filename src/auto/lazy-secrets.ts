/**
 * A {@link Secrets} client whose providers are created on first use, one per scheme a ref names: nothing is built
 * for schemes never used, and a scheme that lacks configuration (a Key Vault without a vault URL) fails only when
 * used. Each scheme gets its own `createSecrets` client; `getMany` splits its refs per scheme and keeps their order.
 * @module
 */
import { defer, forkJoin, map, merge, type Observable, of, Subject } from 'rxjs';
import { InvalidSecretRefError } from '../core/errors/index.js';
import type { ListingOptions, SecretListing } from '../core/listing.js';
import type { SecretProvider } from '../core/provider.js';
import { parseSecretPrefix, parseSecretRef, type SecretRef } from '../core/ref.js';
import type { Secret, SecretInfo, SecretValue } from '../core/secret.js';
import { createSecrets } from '../core/secrets.js';
import type { Secrets } from '../core/secrets-api.js';
import type { GetOptions, SecretResult, SecretsEvent, SecretsOptions } from '../core/secrets-options.js';
import type { ResolvedConfig } from './config.js';
import { createProvider } from './provider-factory.js';

/** Client options shared by every scheme's client (everything of `createSecrets` but the providers). */
export type LazyClientOptions = Omit<SecretsOptions, 'providers'>;

/** Creates a client over the schemes of `config`, building each scheme's provider when a ref first names it. */
export function createLazySecrets(config: ResolvedConfig, options: LazyClientOptions = {}): Secrets {
  const clients = new Map<string, Secrets>();
  const events = new Subject<SecretsEvent>();
  let closed = false;

  function clientFor(scheme: string): Secrets {
    const existing = clients.get(scheme);
    if (existing) return existing;
    const scheme_ = config.schemes.get(scheme);
    if (!scheme_) {
      const known = [...config.schemes.keys()].join(', ');
      throw new InvalidSecretRefError(`no provider is configured for the scheme '${scheme}:' (known: ${known})`);
    }
    const client = createSecrets({ ...options, providers: [createProvider(scheme_)] });
    if (closed) void client.close();
    client.events.subscribe(events);
    clients.set(scheme, client);
    return client;
  }
  const forRef = (ref: string | SecretRef) => clientFor(parseSecretRef(ref).scheme);

  function list(prefix: string, listOptions?: ListingOptions): SecretListing<SecretInfo | Secret> {
    const inner = () => clientFor(parseSecretPrefix(prefix).scheme).list(prefix, listOptions as never);
    return {
      [Symbol.asyncIterator]: () => inner()[Symbol.asyncIterator](),
      pages: () => inner().pages(),
    } as SecretListing<SecretInfo | Secret>;
  }

  function getMany(
    refs: ReadonlyArray<string | SecretRef>,
    getOptions?: GetOptions,
  ): Observable<readonly SecretResult[]> {
    return defer(() => {
      const parsed = refs.map((ref) => parseSecretRef(ref));
      const groups = new Map<string, number[]>();
      parsed.forEach((ref, index) => {
        const indexes = groups.get(ref.scheme) ?? [];
        indexes.push(index);
        groups.set(ref.scheme, indexes);
      });
      if (groups.size === 0) return of([]);
      const calls = [...groups].map(([scheme, indexes]) =>
        clientFor(scheme)
          .getMany(
            indexes.map((i) => parsed[i]!),
            getOptions,
          )
          .pipe(map((results) => ({ indexes, results }))),
      );
      return forkJoin(calls).pipe(
        map((parts) => {
          const out: SecretResult[] = new Array(parsed.length);
          for (const { indexes, results } of parts) {
            for (const [k, index] of indexes.entries()) out[index] = results[k]!;
          }
          return out;
        }),
      );
    });
  }

  const secrets: Secrets = {
    get: <T extends SecretValue = SecretValue>(ref: string | SecretRef, getOptions?: GetOptions) =>
      defer(() => forRef(ref).get<T>(ref, getOptions)),
    getMany,
    list: list as Secrets['list'],
    set: (ref, value, setOptions) => defer(() => forRef(ref).set(ref, value, setOptions)),
    delete: (ref, deleteOptions) => defer(() => forRef(ref).delete(ref, deleteOptions)),
    exists: (ref, existsOptions) => defer(() => forRef(ref).exists(ref, existsOptions)),
    watch: <T extends SecretValue = SecretValue>(
      ref: string | SecretRef,
      watchOptions?: Parameters<Secrets['watch']>[1],
    ) => defer(() => forRef(ref).watch<T>(ref, watchOptions)),
    watchStatus: (ref) => defer(() => forRef(ref).watchStatus(ref)),
    events: merge(events),
    provider: <P extends SecretProvider = SecretProvider>(scheme: string) => clientFor(scheme).provider<P>(scheme),
    async close() {
      closed = true;
      await Promise.all([...clients.values()].map((client) => client.close()));
      events.complete();
    },
    [Symbol.asyncDispose]() {
      return secrets.close();
    },
  };
  return secrets;
}
