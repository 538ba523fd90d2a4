import { catchError, map, of, take, tap, throwIfEmpty } from 'rxjs';
import { chunk } from '../concurrency.js';
import { isTransientError, ProviderError } from '../errors/index.js';
import type { CallContext, ProbeResult, SecretProvider } from '../provider.js';
import type { SecretRef } from '../ref.js';
import { isSecret, type Secret } from '../secret.js';
import { CallQueue } from './call-queue.js';
import type { WatchRound } from './watch-round.js';
import type { WatchSchedulerOptions } from './watch-scheduler.js';
import type { WatchedRef } from './watched-ref.js';

/** Where a {@link CheckRunner} reports. */
export interface CheckOutcomes {
  /** The ref's check succeeded (its version is unchanged, or its new value was emitted). */
  readonly succeeded: (entry: WatchedRef, at: number) => void;
  /** The ref's check failed: for the whole call, or for this ref alone. */
  readonly failed: (round: WatchRound, entry: WatchedRef, error: unknown) => void;
  /** A call was answered: the backend is up. */
  readonly answered: () => void;
  /** Whether the scheduler closed: outcomes are then ignored. */
  readonly closed: () => boolean;
}

/**
 * Runs the provider calls of a round: probes in batches of `maxBatchProbe`; value reads, in batches of `maxBatchGet`
 * (or one `get` each), for refs without a value, refs whose version changed and refs of a push-only provider. At
 * most `maxConcurrency` calls are in flight; a call whose refs have all ended is aborted. Each ref's outcome goes to
 * the scheduler; a new value is emitted here.
 */
export class CheckRunner {
  readonly #provider: SecretProvider;
  readonly #options: WatchSchedulerOptions;
  readonly #queue: CallQueue;
  readonly #outcomes: CheckOutcomes;

  constructor(options: WatchSchedulerOptions, outcomes: CheckOutcomes) {
    this.#options = options;
    this.#provider = options.provider;
    this.#queue = new CallQueue(options.provider.capabilities.maxConcurrency ?? 4);
    this.#outcomes = outcomes;
  }

  /** Aborts the calls whose refs have all ended. */
  release(): void {
    this.#queue.release();
  }

  /** Aborts every call, running or waiting. */
  close(): void {
    this.#queue.close();
  }

  /** Probes `entries` (which have a value) for new versions; changed ones are read in the same round. */
  probe(round: WatchRound, entries: WatchedRef[], at: number): void {
    const groups = chunk(entries, this.#provider.capabilities.maxBatchProbe);
    this.#options.emit({
      type: 'watch-probe',
      provider: this.#provider.scheme,
      refs: entries.length,
      calls: groups.length,
    });
    for (const group of groups) {
      const refs = group.map((entry) => entry.ref);
      this.#run(
        round,
        group,
        'probe',
        (ctx) => this.#provider.probe(refs, ctx),
        (results) => this.#probed(round, group, results, at),
        refs.length === 1 ? refs[0] : undefined,
      );
    }
  }

  /** Reads the values of `entries`; `tokens` are the versions their probe saw. */
  fetch(round: WatchRound, entries: WatchedRef[], at: number, tokens: ReadonlyMap<WatchedRef, string>): void {
    const provider = this.#provider;
    const maxBatch = provider.capabilities.maxBatchGet ?? 1;
    const getMany = provider.getMany?.bind(provider);
    const groups = getMany && maxBatch > 1 ? chunk(entries, maxBatch) : entries.map((entry) => [entry]);
    for (const group of groups) {
      const settle = (results: ReadonlyArray<Secret | Error | undefined>) =>
        group.forEach((entry, index) => {
          this.#fetched(round, entry, results[index], at, tokens.get(entry));
        });
      const refs = group.map((entry) => entry.ref);
      const [single] = refs;
      if (getMany && refs.length > 1) {
        this.#run(round, group, 'getMany', (ctx) => getMany(refs, ctx), settle);
      } else if (single) {
        this.#run(
          round,
          group,
          'get',
          (ctx) => provider.get(single, ctx),
          (secret) => settle([secret]),
          single,
        );
      }
    }
  }

  #probed(round: WatchRound, group: readonly WatchedRef[], results: readonly ProbeResult[], at: number): void {
    const changed: WatchedRef[] = [];
    const tokens = new Map<WatchedRef, string>();
    group.forEach((entry, index) => {
      if (entry.ended) return;
      const result = results[index];
      if (result === undefined) {
        this.#outcomes.failed(round, entry, this.#missing('probe', entry));
      } else if ('error' in result) {
        this.#outcomes.failed(round, entry, result.error);
      } else if (result.version === entry.token || entry.probeOnly) {
        // A ref tracked for the fleet only records its token: the probe itself published it.
        entry.token = result.version;
        this.#outcomes.succeeded(entry, at);
      } else {
        changed.push(entry);
        tokens.set(entry, result.version);
      }
    });
    if (changed.length > 0) this.fetch(round, changed, at, tokens);
  }

  #fetched(
    round: WatchRound,
    entry: WatchedRef,
    result: Secret | Error | undefined,
    at: number,
    token: string | undefined,
  ): void {
    if (entry.ended) return;
    if (!isSecret(result)) {
      this.#outcomes.failed(round, entry, result ?? this.#missing('getMany', entry));
      return;
    }
    // Under the watched ref, whatever ref object the provider gave it: subscribers without a transform get it as it is.
    const secret = result.ref.text === entry.key ? result : result.withValue(result.value, entry.ref);
    const isNew = entry.accept(secret, token);
    this.#outcomes.succeeded(entry, at);
    if (isNew) {
      this.#options.onValue(secret);
      this.#options.emit({ type: 'watch-changed', ref: entry.key, version: secret.version });
      entry.emit(secret);
    }
  }

  /**
   * Runs one provider call of `round` for `group` (or holds it, while the provider backs off, until the round's first
   * call has answered). A failure of the whole call is a failure of each ref in it.
   */
  #run<T>(
    round: WatchRound,
    group: readonly WatchedRef[],
    operation: string,
    run: (ctx: CallContext) => Promise<T>,
    onResult: (value: T) => void,
    ref?: SecretRef,
  ): void {
    const outcomes = this.#outcomes;
    const failAll = (error: unknown) => {
      for (const entry of group) if (!entry.ended) outcomes.failed(round, entry, error);
    };
    const work = this.#options.call(operation, run, ref).pipe(
      take(1),
      throwIfEmpty(() => new ProviderError(`${this.#provider.scheme} ${operation} returned nothing`)),
      map((value) => ({ ok: true as const, value })),
      catchError((error: unknown) => of({ ok: false as const, error })),
      tap((outcome) => {
        if (outcomes.closed()) return;
        // A permanent error is an answer too: the backend is up, and refuses this call.
        const down = !outcome.ok && isTransientError(outcome.error);
        if (!down) {
          round.succeeded = true;
          outcomes.answered();
        }
        round.answered(down ? outcome.error : undefined);
        if (outcome.ok) onResult(outcome.value);
        else failAll(outcome.error);
      }),
    );
    round.admit(() => {
      round.started();
      this.#queue.run(group, work, () => {
        // A call aborted before its answer lets the calls it held back go.
        round.answered(undefined);
        round.finished();
      });
    }, failAll);
  }

  #missing(operation: string, entry: WatchedRef): ProviderError {
    return new ProviderError(`${this.#provider.scheme} ${operation} returned no result for ${entry.key}`, {
      provider: this.#provider.scheme,
      ref: entry.key,
    });
  }
}
