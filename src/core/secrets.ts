import {
  catchError,
  defer,
  finalize,
  forkJoin,
  from,
  map,
  merge,
  Observable,
  of,
  Subject,
  type Subscriber,
  switchMap,
} from 'rxjs';
import { BatchLoader } from './batch-loader.js';
import { SecretCache } from './cache/secret-cache.js';
import { toMilliseconds } from './durations.js';
import {
  ClosedError,
  InvalidSecretRefError,
  isKeyPathNotFoundError,
  isSecretDecodeError,
  isSecretDisabledError,
  isSecretNotFoundError,
  ValidationError,
} from './errors/index.js';
import { FleetMember } from './fleet/fleet-member.js';
import { fleetProvider } from './fleet/fleet-provider.js';
import { createListing, createReadAheadListing, type ListingOptions, type SecretListing } from './listing.js';
import type { OperationOptions } from './operation-options.js';
import { failOnAbort } from './operators/fail-on-abort.js';
import {
  CALL_SPEC,
  CLIENT_SPEC,
  checkOptions,
  DELETE_SPEC,
  GET_SPEC,
  LIST_SPEC,
  mergeSpecs,
  type OptionSpec,
  SET_SPEC,
  WATCH_SPEC,
} from './options/index.js';
import { Presenter, present, presentTo } from './presenter.js';
import type { DeleteOptions, OperationState, SecretProvider, SetOptions } from './provider.js';
import { createProviderCall, type ProviderCall } from './provider-call.js';
import { type ProviderEntry, Resolved } from './provider-entry.js';
import { hostOf } from './provider-host.js';
import { makeRef, parseSecretPrefix, parseSecretRef, type SecretRef, withoutKeyPath } from './ref.js';
import { narrowRetry, resolveRetryOptions } from './retry.js';
import { isSecret, type Secret, type SecretInfo, type SecretValue } from './secret.js';
import { normalizeSecretValue } from './secret-value-input.js';
import type { Secrets } from './secrets-api.js';
import type { GetOptions, SecretResult, SecretsEvent, SecretsOptions, WatchSecretOptions } from './secrets-options.js';
import type { Transform } from './transforms.js';
import { WatchEngine } from './watch/watch-engine.js';
import type { WatchStatus } from './watch/watch-event.js';

/** How many ref texts {@link SecretsClient} remembers parsed and validated before it starts over. */
const RESOLVED_MAX = 1000;

class SecretsClient implements Secrets {
  readonly #entries = new Map<string, ProviderEntry>();
  readonly #cache: SecretCache;
  readonly #events = new Subject<SecretsEvent>();
  readonly #closed = new AbortController();
  readonly #options: SecretsOptions;
  /** Settles once the persisted cache file (if any) is loaded; reads wait for it until then. */
  #cacheLoaded: Promise<void> | undefined;
  /**
   * Refs already parsed and validated, by text and by object: a ref is immutable and `validateRef` depends on it
   * alone, so repeated reads of one ref skip both.
   */
  readonly #resolvedTexts = new Map<string, Resolved>();
  readonly #resolvedRefs = new WeakMap<SecretRef, Resolved>();
  readonly events: Observable<SecretsEvent>;

  constructor(options: SecretsOptions) {
    if (!options || !Array.isArray(options.providers) || options.providers.length === 0) {
      throw new ValidationError('createSecrets needs at least one provider, e.g. { providers: [memoryProvider()] }');
    }
    checkOptions('createSecrets', options, CLIENT_SPEC);
    options.providers.forEach(assertProvider);
    this.#options = options;
    const retry = resolveRetryOptions(options.retry);
    this.#cache = new SecretCache(options.cache === false ? { enabled: false } : (options.cache ?? {}));
    // Merged rather than forwarded, so that the cache sees whether anyone listens and skips its events if not.
    this.events = merge(this.#events, this.#cache.events);
    if (options.cache !== false && options.cache?.persist) {
      const loaded = this.#cache.load().then(() => {
        if (this.#cacheLoaded === loaded) this.#cacheLoaded = undefined;
      });
      this.#cacheLoaded = loaded;
    }
    for (const provider of options.providers) {
      if (this.#entries.has(provider.scheme)) {
        throw new ValidationError(`two providers are registered for the scheme '${provider.scheme}'`);
      }
      const call = createProviderCall(
        provider,
        narrowRetry(retry, provider.retry),
        this.#closed.signal,
        (label, info) => {
          if (!this.#events.observed) return;
          this.#events.next({
            type: 'retry',
            provider: label.provider,
            operation: label.operation,
            ref: label.ref,
            attempt: info.attempt,
            delayMs: info.delayMs,
            error: info.error,
          });
        },
      );
      this.#entries.set(provider.scheme, { provider, call, loader: batchLoader(provider, call), engine: undefined });
    }
    // After every scheme was accepted; a provider that refuses (it serves another client) closes this client, so
    // that the providers attached before it are free again.
    try {
      for (const entry of this.#entries.values()) entry.provider.attach?.(hostOf(entry.call, this.#closed.signal));
    } catch (error) {
      this.#closed.abort(new ClosedError('the secrets client was refused'));
      throw error;
    }
  }

  get<T extends SecretValue = SecretValue>(
    input: string | SecretRef,
    options: GetOptions = NO_OPTIONS,
  ): Observable<Secret<T>> {
    if (options === NO_OPTIONS) {
      // A ref read before, with the default options: its one Observable, made on its first read, does it again.
      const known = typeof input === 'string' ? this.#resolvedTexts.get(input) : this.#resolvedRefs.get(input);
      if (known !== undefined) {
        known.reads ??= new Observable<Secret>((subscriber) => {
          this.#assertOpen();
          return this.#serve(subscriber, known, NOT_FRESH, undefined);
        });
        return known.reads as Observable<Secret<T>>;
      }
    }
    const read = options.fresh === true ? FRESH : NOT_FRESH;
    const transform = options.transform;
    const { signal, retry } = options;
    // One Observable, reading the cache into an observer: no defer, map, or Observable layer of the cache's.
    const reading = new Observable<Secret<T>>((subscriber) => {
      if (options !== NO_OPTIONS) checkOptions('get', options, GET_SPEC);
      const known = this.#resolve(input);
      // A per-call retry policy makes this read's misses a job of their own (a read joining a fetch already in
      // flight shares that fetch).
      const resolved = retry === undefined ? known : known.withCall(known.entry.call.with(retry));
      return this.#serve(subscriber as Subscriber<Secret>, resolved, read, transform);
    });
    return signal === undefined ? reading : reading.pipe(failOnAbort(signal));
  }

  /**
   * What one subscription to `get` does: a hit goes straight to the subscriber, a miss makes a {@link Presenter}
   * wait on the cache's fetch.
   */
  #serve(
    subscriber: Subscriber<Secret>,
    resolved: Resolved,
    read: typeof FRESH | typeof NOT_FRESH,
    transform?: Transform,
  ) {
    if (this.#cacheLoaded !== undefined) {
      return this.#read(resolved, read.fresh, false).subscribe(new Presenter(subscriber, resolved.ref, transform));
    }
    const hit = this.#cache.hit(resolved.base.text, resolved, read);
    if (hit !== undefined) {
      if (presentTo(subscriber, hit, resolved.ref, transform)) subscriber.complete();
      return undefined;
    }
    return this.#cache.readInto(resolved.base.text, resolved, read, new Presenter(subscriber, resolved.ref, transform));
  }

  getMany(inputs: ReadonlyArray<string | SecretRef>, options: GetOptions = {}): Observable<readonly SecretResult[]> {
    return defer(() => {
      if (!Array.isArray(inputs)) {
        throw new ValidationError(`getMany takes an array of refs; got ${inputs === null ? 'null' : typeof inputs}`);
      }
      checkOptions('getMany', options, GET_SPEC);
      const resolved = inputs.map((input) => this.#resolve(input));
      if (resolved.length === 0) return of([]);
      const loaders = new Map<ProviderEntry, BatchLoader | undefined>();
      const loaderOf = (entry: ProviderEntry) => {
        if (options.retry === undefined) return entry.loader;
        if (!loaders.has(entry)) loaders.set(entry, batchLoader(entry.provider, entry.call.with(options.retry)));
        return loaders.get(entry);
      };
      return forkJoin(
        resolved.map((known) => {
          const ref = known.ref;
          const one = options.retry === undefined ? known : known.withCall(known.entry.call.with(options.retry));
          return this.#read(one, options.fresh === true, true, loaderOf(known.entry)).pipe(
            map((secret): SecretResult => ({ ref, ok: true, secret: present(secret, ref, options.transform) })),
            catchError((error: unknown) => of<SecretResult>({ ref, ok: false, error: error as Error })),
          );
        }),
      );
    }).pipe(failOnAbort(options.signal));
  }

  list(prefix: string, options?: ListingOptions & { readonly withValues?: false }): SecretListing<SecretInfo>;
  list(prefix: string, options: ListingOptions & { readonly withValues: true }): SecretListing<Secret>;
  list(prefixInput: string, options: ListingOptions = {}): SecretListing<SecretInfo> | SecretListing<Secret> {
    this.#assertOpen();
    const prefix = parseSecretPrefix(prefixInput);
    const entry = this.#entry(prefix);
    checkOptions('list', options, this.#spec(entry, 'list', LIST_SPEC, CALL_SPEC));
    const { signal, retry, ...listOptions } = options;
    const withValues = options.withValues;
    const call = entry.call.with(retry);
    const fetchInfo = (cursor: string | undefined) =>
      call('listPage', (ctx) => entry.provider.listPage(prefix, listOptions, cursor, ctx), prefix);
    if (withValues !== true) return createListing<SecretInfo>(prefix, fetchInfo, signal);
    const readValues = (items: readonly SecretInfo[]): Observable<readonly Secret[]> | readonly Secret[] => {
      if (items.length === 0) return [];
      if (items.every(isSecret)) {
        // The provider listed values too (SSM GetParametersByPath): keep them, no second read.
        for (const secret of items) this.#cache.put(makeRef(prefix.scheme, secret.name).text, secret);
        return items;
      }
      const reads = items.map((info) => {
        const ref = makeRef(prefix.scheme, info.name);
        return this.#read(new Resolved(ref, entry).withCall(call), false, true).pipe(
          catchError((error: unknown) => {
            // Deleted since the page was listed, or disabled: a listing with values skips what cannot be read.
            if (isSecretNotFoundError(error) || isSecretDisabledError(error)) return of(undefined);
            throw error;
          }),
        );
      });
      return forkJoin(reads).pipe(map((secrets) => secrets.filter((s): s is Secret => s !== undefined)));
    };
    return createReadAheadListing<SecretInfo, Secret>(prefix, fetchInfo, readValues, signal);
  }

  set(
    input: string | SecretRef,
    value: SecretValue,
    options: SetOptions & OperationOptions = {},
  ): Observable<SecretInfo> {
    return defer(() => {
      const { ref, entry } = this.#resolve(input);
      checkOptions('set', options, this.#spec(entry, 'set', SET_SPEC));
      if (ref.version !== undefined || ref.keyPath !== undefined) {
        throw new ValidationError(`write to '${ref.scheme}:${ref.name}' without @version or #key.path`, {
          ref: ref.text,
        });
      }
      const normalized = normalizeSecretValue(value, ref.text);
      const { signal, retry, ...setOptions } = options;
      const written: SetOptions = {
        ...setOptions,
        clientToken: options.clientToken ?? globalThis.crypto.randomUUID(),
        ...(options.contentType === undefined && normalized.contentType !== undefined
          ? { contentType: normalized.contentType }
          : {}),
      };
      return entry.call
        .with(retry)('set', (ctx) => entry.provider.set(ref, normalized.value, written, ctx), ref)
        .pipe(
          finalize(() => this.#invalidateName(ref)),
          failOnAbort(signal),
        );
    });
  }

  delete(input: string | SecretRef, options: DeleteOptions & OperationOptions = {}): Observable<OperationState> {
    return defer(() => {
      const { ref, entry } = this.#resolve(input);
      checkOptions('delete', options, this.#spec(entry, 'delete', DELETE_SPEC));
      const base = withoutKeyPath(ref);
      const { signal, retry, ...deleteOptions } = options;
      const progress: Observable<OperationState> = entry.provider.beginDelete
        ? entry.provider.beginDelete(base, { ...deleteOptions, ...(retry === undefined ? {} : { retry }) })
        : entry.call
            .with(retry)('delete', (ctx) => entry.provider.delete(base, deleteOptions, ctx), base)
            .pipe(map((): OperationState => ({ status: 'deleted', done: true })));
      return progress.pipe(
        finalize(() => this.#invalidateName(ref)),
        failOnAbort(signal),
      );
    });
  }

  exists(input: string | SecretRef, options: OperationOptions = {}): Observable<boolean> {
    return defer(() => {
      checkOptions('exists', options, CALL_SPEC);
      const { ref, entry } = this.#resolve(input);
      // With a key path the answer is about the value inside: read it (fresh), as s1crets' path_exists(path, keypath).
      if (ref.keyPath !== undefined) {
        return this.get(ref, { fresh: true, ...options }).pipe(
          map(() => true),
          catchError((error: unknown) => {
            if (isSecretNotFoundError(error) || isKeyPathNotFoundError(error) || isSecretDecodeError(error)) {
              return of(false);
            }
            throw error;
          }),
        );
      }
      const base = withoutKeyPath(ref);
      const call = entry.call.with(options.retry);
      const exists = entry.provider.exists?.bind(entry.provider);
      if (exists) return call('exists', (ctx) => exists(base, ctx), base);
      return call('get', (ctx) => entry.provider.get(base, ctx), base).pipe(
        map(() => true),
        catchError((error: unknown) => {
          if (isSecretNotFoundError(error)) return of(false);
          throw error;
        }),
      );
    }).pipe(failOnAbort(options.signal));
  }

  watch<T extends SecretValue = SecretValue>(
    input: string | SecretRef,
    options: WatchSecretOptions = {},
  ): Observable<Secret<T>> {
    return defer(() => {
      checkOptions('watch', options, WATCH_SPEC);
      const { ref, entry } = this.#resolve(input);
      const { transform, signal, ...watchOptions } = options;
      const values = this.#engine(entry).watch(withoutKeyPath(ref), watchOptions) as Observable<Secret<T>>;
      // The engine's values carry the watched ref: presenting them changes them only with a transform or key path,
      // and without that a subscriber is handed them as they are (no operator subscriber per watch).
      const presented =
        transform === undefined && ref.keyPath === undefined
          ? values
          : values.pipe(map((secret) => present(secret, ref, transform) as Secret<T>));
      return presented.pipe(failOnAbort(signal));
    });
  }

  watchStatus(input: string | SecretRef): Observable<WatchStatus> {
    return defer(() => {
      const { ref, entry } = this.#resolve(input);
      return this.#engine(entry).status(withoutKeyPath(ref));
    });
  }

  provider<P extends SecretProvider = SecretProvider>(scheme: string): P {
    const entry = this.#entries.get(scheme);
    if (!entry) throw new InvalidSecretRefError(`no provider is registered for the scheme '${scheme}'`);
    return entry.provider as P;
  }

  async close(): Promise<void> {
    if (this.#closed.signal.aborted) return;
    // Watches first: closing is the owner ending its own work, so every watch completes, even one whose check is in
    // flight (aborting the calls first would end it with the ClosedError).
    for (const entry of this.#entries.values()) entry.engine?.close();
    this.#closed.abort(new ClosedError('the secrets client was closed'));
    // Leases released before the store closes, so that another instance leads at once rather than after the TTL.
    await Promise.allSettled([...this.#entries.values()].map((entry) => entry.member?.close()));
    await this.#options.fleet?.close().catch(() => undefined);
    await this.#cache.close();
    await Promise.allSettled([...this.#entries.values()].map((entry) => entry.provider.close?.()));
    this.#events.complete();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Reads through the cache; batched through getMany when `batched` and the provider has it. */
  #read(resolved: Resolved, fresh: boolean, batched: boolean, batchWith = resolved.entry.loader): Observable<Secret> {
    const { base } = resolved;
    const loader = batched ? batchWith : undefined;
    const read = this.#cache.read(
      base.text,
      loader ? () => loader.load(base) : () => resolved,
      fresh ? FRESH : NOT_FRESH,
    );
    const loaded = this.#cacheLoaded;
    return loaded ? from(loaded).pipe(switchMap(() => read)) : read;
  }

  /** The option rules of one operation of `entry`'s provider: the common ones, then the provider's own keys. */
  #spec(entry: ProviderEntry, operation: 'set' | 'delete' | 'list', ...common: OptionSpec[]): OptionSpec {
    return mergeSpecs(...common, entry.provider.optionRules?.[operation]);
  }

  #engine(entry: ProviderEntry): WatchEngine {
    if (!entry.engine) {
      const watch = this.#options.watch ?? {};
      const fleet = this.#options.fleet;
      const identity = entry.provider.identity;
      const defaultInterval = watch.interval ?? entry.provider.capabilities.defaultPollInterval ?? '30s';
      const member =
        fleet !== undefined && identity !== undefined
          ? new FleetMember({
              fleet,
              provider: entry.provider,
              identity,
              intervalMs: toMilliseconds(defaultInterval, 'watch.interval'),
              emit: (event) => this.#events.next(event),
            })
          : undefined;
      entry.member = member;
      entry.engine = new WatchEngine({
        provider: member ? fleetProvider(entry.provider, member) : entry.provider,
        // One attempt per call (still with its timeout): the engine backs off per provider, and retries inside
        // each call would multiply the calls a failing backend gets.
        call: entry.call.with({ retries: 0 }),
        ...(watch.interval === undefined ? {} : { defaultInterval: watch.interval }),
        ...(watch.maxBackoff === undefined ? {} : { maxBackoff: watch.maxBackoff }),
        ...(watch.minBackoff === undefined ? {} : { minBackoff: watch.minBackoff }),
        onEvent: (event) => this.#events.next(event),
        onValue: (secret) => this.#cache.put(withoutKeyPath(secret.ref).text, secret),
        onStale: (ref, stale) => this.#cache.setStale(ref.text, stale),
      });
      member?.start(entry.engine);
    }
    return entry.engine;
  }

  #invalidateName(ref: SecretRef): void {
    // Cache keys are canonical ref texts without key path, and `@` inside a name is escaped, so the keys of one
    // name are its current ref's text and that text followed by `@version`.
    const current = makeRef(ref.scheme, ref.name).text;
    const versioned = `${current}@`;
    this.#cache.invalidateWhere((key) => key === current || key.startsWith(versioned));
  }

  #resolve(input: string | SecretRef): Resolved {
    this.#assertOpen();
    const known = typeof input === 'string' ? this.#resolvedTexts.get(input) : this.#resolvedRefs.get(input);
    if (known !== undefined) return known;
    const ref = parseSecretRef(input);
    const entry = this.#entry(ref);
    entry.provider.validateRef(ref);
    const resolved = new Resolved(ref, entry);
    if (typeof input === 'string') {
      // A crude bound: a client reads a small set of refs over and over, so starting over is rare and cheap.
      if (this.#resolvedTexts.size >= RESOLVED_MAX) this.#resolvedTexts.clear();
      this.#resolvedTexts.set(input, resolved);
    } else {
      this.#resolvedRefs.set(ref, resolved);
    }
    return resolved;
  }

  #entry(ref: SecretRef): ProviderEntry {
    const entry = this.#entries.get(ref.scheme);
    if (!entry) {
      const known = [...this.#entries.keys()].map((s) => `'${s}:'`).join(', ');
      throw new InvalidSecretRefError(`no provider is registered for '${ref.scheme}:' (registered: ${known})`, {
        ref: ref.text,
      });
    }
    return entry;
  }

  #assertOpen(): void {
    if (this.#closed.signal.aborted) throw new ClosedError('the secrets client was closed');
  }
}

const NO_OPTIONS: GetOptions = Object.freeze({});

/** The batch loader of a provider's `getMany` over `call`, or undefined when the provider has no getMany. */
function batchLoader(provider: SecretProvider, call: ProviderCall): BatchLoader | undefined {
  const getMany = provider.getMany?.bind(provider);
  if (!getMany) return undefined;
  return new BatchLoader(
    (refs) => call('getMany', (ctx) => getMany(refs, ctx)),
    provider.capabilities.maxBatchGet ?? 1,
    provider.capabilities.maxConcurrency ?? 4,
  );
}

const PROVIDER_METHODS = ['validateRef', 'get', 'listPage', 'set', 'delete', 'probe'] as const;

/** Refuses anything in `providers` that is not a provider, before any of them is used. */
function assertProvider(provider: unknown, index: number): void {
  const p = provider as Partial<Record<string, unknown>> | null;
  const missing =
    typeof p !== 'object' || p === null
      ? 'it is not an object'
      : typeof p.scheme !== 'string' || p.scheme === ''
        ? 'it has no scheme'
        : typeof p.capabilities !== 'object' || p.capabilities === null
          ? 'it has no capabilities'
          : PROVIDER_METHODS.filter((m) => typeof p[m] !== 'function').map((m) => `no ${m}()`)[0];
  if (missing !== undefined) {
    throw new ValidationError(`createSecrets: providers[${index}] is not a SecretProvider (${missing})`);
  }
}
const FRESH = { fresh: true } as const;
const NOT_FRESH = { fresh: false } as const;

/**
 * Creates a secrets client over the given providers.
 *
 * @example
 * const secrets = createSecrets({ providers: [memoryProvider({ secrets: { 'db/password': 's3cret' } })] });
 * const password = await firstValueFrom(secrets.get('memory:db/password'));
 */
export function createSecrets(options: SecretsOptions): Secrets {
  return new SecretsClient(options);
}
