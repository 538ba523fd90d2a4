import { catchError, map, type Observable, of, take, tap, throwIfEmpty } from 'rxjs';
import { chunk } from '../concurrency.js';
import { isLockedError, isTransientError, ProviderError } from '../errors/index.js';
import type { CallContext, ChangeDetection, ProbeResult, SecretProvider } from '../provider.js';
import type { SecretRef } from '../ref.js';
import { isSecret, type Secret } from '../secret.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import { CallQueue } from './call-queue.js';
import type { WatchEvent } from './watch-event.js';
import type { WatchedRef } from './watched-ref.js';

/** Runs one provider call with retries, timeouts and abort-on-unsubscribe (the engine's `call` option). */
export type WatchCall = <T>(operation: string, run: (ctx: CallContext) => Promise<T>, ref?: SecretRef) => Observable<T>;

/** What a {@link WatchScheduler} works with. */
export interface WatchSchedulerOptions {
  readonly provider: SecretProvider;
  readonly call: WatchCall;
  readonly backoff: BackoffPolicy;
  /** Reports an event (never throws). */
  readonly emit: (event: WatchEvent) => void;
  /** Called with each new value before subscribers see it (never throws). */
  readonly onValue: (secret: Secret) => void;
  /** Ends a ref for good after a permanent failure. */
  readonly end: (entry: WatchedRef, error: unknown) => void;
}

/** The longest delay setTimeout can hold. */
const MAX_TIMER_MS = 2_147_483_647;

/** Share of the shortest interval within which refs due soon join the current tick, so batches stay full. */
const GATHER_WINDOW = 0.1;

/**
 * One per provider: a single timer fires at the earliest due time and checks every ref due by then (or within
 * a small window after). Refs with a value are probed in batches of `maxBatchProbe`; refs without one, refs whose
 * version changed, and every ref of a push-only provider are fetched in batches of `maxBatchGet` (or one `get`
 * each). Results settle each ref on its own: a new value, a transient failure with backoff, or a permanent end.
 */
export class WatchScheduler {
  readonly #provider: SecretProvider;
  readonly #call: WatchCall;
  readonly #options: WatchSchedulerOptions;
  readonly #queue: CallQueue;
  readonly #entries = new Set<WatchedRef>();
  #mode: ChangeDetection;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #closed = false;

  constructor(options: WatchSchedulerOptions, mode: ChangeDetection) {
    this.#options = options;
    this.#provider = options.provider;
    this.#call = options.call;
    this.#queue = new CallQueue(options.provider.capabilities.maxConcurrency ?? 4);
    this.#mode = mode;
  }

  /** How changes are detected now: `'poll'` after a lost change feed. */
  get mode(): ChangeDetection {
    return this.#mode;
  }

  /** Switches the detection mode; refs start (or stop) polling from their next check. */
  set mode(mode: ChangeDetection) {
    this.#mode = mode;
    if (mode !== 'push') this.check(this.#entries);
  }

  /** Starts scheduling a new ref: its first value is fetched at once. */
  add(entry: WatchedRef): void {
    this.#entries.add(entry);
    entry.dueAt = Date.now();
    this.#arm();
  }

  /** Stops scheduling an ended ref, aborting calls that only it was waiting for. */
  remove(entry: WatchedRef): void {
    this.#entries.delete(entry);
    this.#queue.release();
    if (this.#entries.size === 0) this.#disarm();
  }

  /**
   * Checks these refs promptly (a trigger or a change hint); a ref already being checked is checked once more after.
   * With `fetch`, the next check reads the value without probing first: the caller knows it changed.
   */
  check(entries: Iterable<WatchedRef>, fetch = false): void {
    const now = Date.now();
    for (const entry of entries) {
      if (entry.ended) continue;
      if (fetch) entry.fetchNext = true;
      if (entry.inFlight) entry.recheck = true;
      else entry.dueAt = Math.min(entry.dueAt, now);
    }
    this.#arm();
  }

  /** A subscriber joined with its interval: bring the next poll forward if that interval is shorter. */
  intervalChanged(entry: WatchedRef): void {
    if (entry.inFlight || entry.checkedAt === undefined || entry.failures > 0) return;
    entry.dueAt = Math.min(entry.dueAt, this.#nextPoll(entry, entry.checkedAt));
    this.#arm();
  }

  /** Stops the timer and aborts every call in flight. */
  close(): void {
    this.#closed = true;
    this.#disarm();
    this.#queue.close();
    this.#entries.clear();
  }

  #arm(): void {
    if (this.#closed) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries) if (!entry.inFlight && entry.dueAt < earliest) earliest = entry.dueAt;
    if (earliest >= this.#timerAt) return;
    this.#disarm();
    if (!Number.isFinite(earliest)) return;
    this.#timerAt = earliest;
    // Longer delays overflow setTimeout (which then fires at once); an early tick finds nothing due and re-arms.
    this.#timer = setTimeout(() => this.#tick(), Math.min(MAX_TIMER_MS, Math.max(0, earliest - Date.now())));
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #tick(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const at = Date.now();
    const horizon = at + this.#gatherWindow();
    const toProbe: WatchedRef[] = [];
    const toFetch: WatchedRef[] = [];
    for (const entry of this.#entries) {
      if (entry.inFlight || entry.dueAt > horizon) continue;
      entry.inFlight = true;
      entry.recheck = false;
      entry.dueAt = Number.POSITIVE_INFINITY;
      (this.#mode === 'push' || !entry.hasValue || entry.fetchNext ? toFetch : toProbe).push(entry);
      entry.fetchNext = false;
    }
    if (toProbe.length > 0) this.#probe(toProbe, at);
    if (toFetch.length > 0) this.#fetch(toFetch, at, new Map());
    this.#arm();
  }

  #gatherWindow(): number {
    if (this.#mode === 'push') return 0;
    let shortest = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries) shortest = Math.min(shortest, entry.intervalMs);
    return Number.isFinite(shortest) ? shortest * GATHER_WINDOW : 0;
  }

  #nextPoll(entry: WatchedRef, from: number): number {
    return this.#mode === 'push' ? Number.POSITIVE_INFINITY : from + entry.intervalMs;
  }

  #probe(entries: WatchedRef[], at: number): void {
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
        group,
        'probe',
        (ctx) => this.#provider.probe(refs, ctx),
        (results) => this.#probed(group, results, at),
        refs.length === 1 ? refs[0] : undefined,
      );
    }
  }

  #probed(group: readonly WatchedRef[], results: readonly ProbeResult[], at: number): void {
    const changed: WatchedRef[] = [];
    const tokens = new Map<WatchedRef, string>();
    group.forEach((entry, index) => {
      if (entry.ended) return;
      const result = results[index];
      if (result === undefined) {
        this.#failed(entry, this.#missing('probe', entry));
      } else if ('error' in result) {
        this.#failed(entry, result.error);
      } else if (result.version === entry.token) {
        this.#succeeded(entry, at);
      } else {
        changed.push(entry);
        tokens.set(entry, result.version);
      }
    });
    if (changed.length > 0) this.#fetch(changed, at, tokens);
  }

  #fetch(entries: WatchedRef[], at: number, tokens: ReadonlyMap<WatchedRef, string>): void {
    const provider = this.#provider;
    const maxBatch = provider.capabilities.maxBatchGet ?? 1;
    const getMany = provider.getMany?.bind(provider);
    const groups = getMany && maxBatch > 1 ? chunk(entries, maxBatch) : entries.map((entry) => [entry]);
    for (const group of groups) {
      const settle = (results: ReadonlyArray<Secret | Error | undefined>) =>
        group.forEach((entry, index) => {
          this.#fetched(entry, results[index], at, tokens.get(entry));
        });
      const refs = group.map((entry) => entry.ref);
      const [single] = refs;
      if (getMany && refs.length > 1) {
        this.#run(group, 'getMany', (ctx) => getMany(refs, ctx), settle);
      } else if (single) {
        this.#run(
          group,
          'get',
          (ctx) => provider.get(single, ctx),
          (secret) => settle([secret]),
          single,
        );
      }
    }
  }

  #fetched(entry: WatchedRef, result: Secret | Error | undefined, at: number, token: string | undefined): void {
    if (entry.ended) return;
    if (!isSecret(result)) {
      this.#failed(entry, result ?? this.#missing('getMany', entry));
      return;
    }
    const isNew = entry.accept(result, token);
    this.#succeeded(entry, at);
    if (isNew) {
      this.#options.onValue(result);
      this.#options.emit({ type: 'watch-changed', ref: entry.key, version: result.version });
      entry.values.next(result);
    }
  }

  /** Runs one provider call for `group`; a failure of the whole call settles each ref of the group. */
  #run<T>(
    group: readonly WatchedRef[],
    operation: string,
    run: (ctx: CallContext) => Promise<T>,
    onResult: (value: T) => void,
    ref?: SecretRef,
  ): void {
    const work = this.#call(operation, run, ref).pipe(
      take(1),
      throwIfEmpty(() => new ProviderError(`${this.#provider.scheme} ${operation} returned nothing`)),
      map((value) => ({ ok: true as const, value })),
      catchError((error: unknown) => of({ ok: false as const, error })),
      tap((outcome) => {
        if (outcome.ok) onResult(outcome.value);
        else for (const entry of group) if (!entry.ended) this.#failed(entry, outcome.error);
      }),
    );
    this.#queue.run(group, work);
  }

  #succeeded(entry: WatchedRef, at: number): void {
    const recovered = entry.failures > 0;
    entry.inFlight = false;
    entry.checkedAt = at;
    entry.markOk(new Date());
    entry.dueAt = entry.recheck ? Date.now() : this.#nextPoll(entry, at);
    entry.recheck = false;
    if (recovered) this.#options.emit({ type: 'watch-recovered', ref: entry.key });
    this.#arm();
  }

  #failed(entry: WatchedRef, error: unknown): void {
    // a lock (screen lock, a user's Lock) is temporary: the watch keeps its value, reports it, and checks again
    if (!isTransientError(error) && !isLockedError(error)) {
      this.#options.end(entry, error);
      return;
    }
    entry.inFlight = false;
    entry.recheck = false;
    entry.failures += 1;
    const retryInMs = backoffDelay(entry.failures, this.#options.backoff, error);
    entry.dueAt = Date.now() + retryInMs;
    entry.markFailed(error, new Date());
    this.#options.emit({
      type: 'watch-error',
      ref: entry.key,
      error,
      consecutiveFailures: entry.failures,
      retryInMs,
    });
    this.#arm();
  }

  #missing(operation: string, entry: WatchedRef): ProviderError {
    return new ProviderError(`${this.#provider.scheme} ${operation} returned no result for ${entry.key}`, {
      provider: this.#provider.scheme,
      ref: entry.key,
    });
  }
}
