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
import {
  ClosedError,
  InvalidSecretRefError,
  isSecretDisabledError,
  isSecretNotFoundError,
  ValidationError,
} from './errors/index.js';
import { createListing, type ListingOptions, type SecretListing } from './listing.js';
import { Presenter, present } from './presenter.js';
import type { DeleteOptions, OperationState, Page, SecretProvider, SetOptions } from './provider.js';
import { createProviderCall } from './provider-call.js';
import { type ProviderEntry, Resolved } from './provider-entry.js';
import { makeRef, parseSecretPrefix, parseSecretRef, type SecretRef, withoutKeyPath } from './ref.js';
import { type ResolvedRetryOptions, resolveRetryOptions } from './retry.js';
import { isSecret, type Secret, type SecretInfo, type SecretValue } from './secret.js';
import { normalizeSecretValue } from './secret-value-input.js';
import type { Secrets } from './secrets-api.js';
import type { GetOptions, SecretResult, SecretsEvent, SecretsOptions, WatchSecretOptions } from './secrets-options.js';
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
  readonly #retry: ResolvedRetryOptions;
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
    this.#options = options;
    const retry = resolveRetryOptions(options.retry);
    this.#retry = retry;
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
      const call = createProviderCall(provider, retry, this.#closed.signal, (label, info) => {
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
      });
      const getMany = provider.getMany?.bind(provider);
      const loader = getMany
        ? new BatchLoader(
            (refs) => call('getMany', (ctx) => getMany(refs, ctx)),
            provider.capabilities.maxBatchGet ?? 1,
            provider.capabilities.maxConcurrency ?? 4,
          )
        : undefined;
      this.#entries.set(provider.scheme, { provider, call, loader, engine: undefined });
    }
  }

  get<T extends SecretValue = SecretValue>(
    input: string | SecretRef,
    options: GetOptions = NO_OPTIONS,
  ): Observable<Secret<T>> {
    const read = options.fresh === true ? FRESH : NOT_FRESH;
    const transform = options.transform;
    // One Observable, reading the cache into an observer: no defer, map, or Observable layer of the cache's.
    return new Observable<Secret<T>>((subscriber) => {
      const resolved = this.#resolve(input);
      const presenter = new Presenter(subscriber as Subscriber<Secret>, resolved.ref, transform);
      if (this.#cacheLoaded !== undefined) return this.#read(resolved, read.fresh, false).subscribe(presenter);
      return this.#cache.readInto(resolved.base.text, resolved, read, presenter);
    });
  }

  getMany(inputs: ReadonlyArray<string | SecretRef>, options: GetOptions = {}): Observable<readonly SecretResult[]> {
    return defer(() => {
      const resolved = inputs.map((input) => this.#resolve(input));
      if (resolved.length === 0) return of([]);
      return forkJoin(
        resolved.map((one) => {
          const ref = one.ref;
          return this.#read(one, options.fresh === true, true).pipe(
            map((secret): SecretResult => ({ ref, ok: true, secret: present(secret, ref, options.transform) })),
            catchError((error: unknown) => of<SecretResult>({ ref, ok: false, error: error as Error })),
          );
        }),
      );
    });
  }

  list(prefix: string, options?: ListingOptions & { readonly withValues?: false }): SecretListing<SecretInfo>;
  list(prefix: string, options: ListingOptions & { readonly withValues: true }): SecretListing<Secret>;
  list(prefixInput: string, options: ListingOptions = {}): SecretListing<SecretInfo> | SecretListing<Secret> {
    this.#assertOpen();
    const prefix = parseSecretPrefix(prefixInput);
    const entry = this.#entry(prefix);
    const { signal, ...listOptions } = options;
    const withValues = options.withValues;
    const fetchInfo = (cursor: string | undefined) =>
      entry.call('listPage', (ctx) => entry.provider.listPage(prefix, listOptions, cursor, ctx), prefix);
    if (withValues !== true) return createListing<SecretInfo>(prefix, fetchInfo, signal);
    const fetchWithValues = (cursor: string | undefined): Observable<Page<Secret>> =>
      fetchInfo(cursor).pipe(
        switchMap((page) => {
          if (page.items.length === 0) return of({ items: [], next: page.next });
          if (page.items.every(isSecret)) {
            // The provider listed values too (SSM GetParametersByPath): keep them, no second read.
            for (const secret of page.items) this.#cache.put(makeRef(prefix.scheme, secret.name).text, secret);
            return of({ items: page.items, next: page.next });
          }
          const reads = page.items.map((info) => {
            const ref = makeRef(prefix.scheme, info.name);
            return this.#read(new Resolved(ref, entry), false, true).pipe(
              catchError((error: unknown) => {
                // Deleted since the page was listed, or disabled: a listing with values skips what cannot be read.
                if (isSecretNotFoundError(error) || isSecretDisabledError(error)) return of(undefined);
                throw error;
              }),
            );
          });
          return forkJoin(reads).pipe(
            map((secrets) => ({ items: secrets.filter((s): s is Secret => s !== undefined), next: page.next })),
          );
        }),
      );
    return createListing<Secret>(prefix, fetchWithValues, signal);
  }

  set(input: string | SecretRef, value: SecretValue, options: SetOptions = {}): Observable<SecretInfo> {
    return defer(() => {
      const { ref, entry } = this.#resolve(input);
      if (ref.version !== undefined || ref.keyPath !== undefined) {
        throw new ValidationError(`write to '${ref.scheme}:${ref.name}' without @version or #key.path`, {
          ref: ref.text,
        });
      }
      const normalized = normalizeSecretValue(value, ref.text);
      const written: SetOptions = {
        ...options,
        clientToken: options.clientToken ?? globalThis.crypto.randomUUID(),
        ...(options.contentType === undefined && normalized.contentType !== undefined
          ? { contentType: normalized.contentType }
          : {}),
      };
      return entry
        .call('set', (ctx) => entry.provider.set(ref, normalized.value, written, ctx), ref)
        .pipe(finalize(() => this.#invalidateName(ref)));
    });
  }

  delete(input: string | SecretRef, options: DeleteOptions = {}): Observable<OperationState> {
    return defer(() => {
      const { ref, entry } = this.#resolve(input);
      const base = withoutKeyPath(ref);
      const progress: Observable<OperationState> = entry.provider.beginDelete
        ? entry.provider.beginDelete(base, options)
        : entry
            .call('delete', (ctx) => entry.provider.delete(base, options, ctx), base)
            .pipe(map((): OperationState => ({ status: 'deleted', done: true })));
      return progress.pipe(finalize(() => this.#invalidateName(ref)));
    });
  }

  exists(input: string | SecretRef): Observable<boolean> {
    return defer(() => {
      const { ref, entry } = this.#resolve(input);
      const base = withoutKeyPath(ref);
      const exists = entry.provider.exists?.bind(entry.provider);
      if (exists) return entry.call('exists', (ctx) => exists(base, ctx), base);
      return entry
        .call('get', (ctx) => entry.provider.get(base, ctx), base)
        .pipe(
          map(() => true),
          catchError((error: unknown) => {
            if (isSecretNotFoundError(error)) return of(false);
            throw error;
          }),
        );
    });
  }

  watch<T extends SecretValue = SecretValue>(
    input: string | SecretRef,
    options: WatchSecretOptions = {},
  ): Observable<Secret<T>> {
    return defer(() => {
      const { ref, entry } = this.#resolve(input);
      const { transform, ...watchOptions } = options;
      return this.#engine(entry)
        .watch(withoutKeyPath(ref), watchOptions)
        .pipe(map((secret) => present(secret, ref, transform) as Secret<T>));
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
    await this.#cache.close();
    await Promise.allSettled([...this.#entries.values()].map((entry) => entry.provider.close?.()));
    this.#events.complete();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Reads through the cache; batched through getMany when `batched` and the provider has it. */
  #read(resolved: Resolved, fresh: boolean, batched: boolean): Observable<Secret> {
    const { base, entry } = resolved;
    const loader = batched ? entry.loader : undefined;
    const read = this.#cache.read(
      base.text,
      loader ? () => loader.load(base) : () => resolved,
      fresh ? FRESH : NOT_FRESH,
    );
    const loaded = this.#cacheLoaded;
    return loaded ? from(loaded).pipe(switchMap(() => read)) : read;
  }

  #engine(entry: ProviderEntry): WatchEngine {
    if (!entry.engine) {
      const watch = this.#options.watch ?? {};
      entry.engine = new WatchEngine({
        provider: entry.provider,
        // One attempt per call (still with its timeout): the engine backs off per provider, and retries inside
        // each call would multiply the calls a failing backend gets.
        call: createProviderCall(entry.provider, { ...this.#retry, retries: 0 }, this.#closed.signal),
        ...(watch.interval === undefined ? {} : { defaultInterval: watch.interval }),
        ...(watch.maxBackoff === undefined ? {} : { maxBackoff: watch.maxBackoff }),
        ...(watch.minBackoff === undefined ? {} : { minBackoff: watch.minBackoff }),
        onEvent: (event) => this.#events.next(event),
        onValue: (secret) => this.#cache.put(withoutKeyPath(secret.ref).text, secret),
        onStale: (ref, stale) => this.#cache.setStale(ref.text, stale),
      });
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
