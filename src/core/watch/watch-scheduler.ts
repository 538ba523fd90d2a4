import { catchError, map, type Observable, of, take, tap, throwIfEmpty } from 'rxjs';
import { chunk } from '../concurrency.js';
import { isTransientError, ProviderError } from '../errors/index.js';
import type { CallContext, ChangeDetection, ProbeResult, SecretProvider } from '../provider.js';
import type { SecretRef } from '../ref.js';
import { isSecret, type Secret } from '../secret.js';
import type { BackoffPolicy } from './backoff.js';
import { CallQueue } from './call-queue.js';
import { ProviderPace } from './provider-pace.js';
import type { WatchEvent } from './watch-event.js';
import { WatchRound } from './watch-round.js';
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
  /** Told when a ref's last value can no longer be confirmed (its checks fail), and again once one succeeds. */
  readonly onStale: (entry: WatchedRef, stale: boolean) => void;
}

/** The longest delay setTimeout can hold. */
const MAX_TIMER_MS = 2_147_483_647;

/** Share of the shortest interval within which refs due soon join the current tick, so batches stay full. */
const GATHER_WINDOW = 0.1;

/**
 * One per provider: a single timer fires at the earliest due time and checks every ref due by then (or within
 * a small window after). Refs with a value are probed in batches of `maxBatchProbe`; refs without one, refs whose
 * version changed, and every ref of a push-only provider are fetched in batches of `maxBatchGet` (or one `get`
 * each). Polls follow one grid per provider ({@link ProviderPace}), so refs that joined late or failed fall back
 * into the same batches. A round in which every call failed backs the whole provider off (up to the polled
 * interval, with jitter); the first success ends the backoff.
 */
export class WatchScheduler {
  readonly #provider: SecretProvider;
  readonly #call: WatchCall;
  readonly #options: WatchSchedulerOptions;
  readonly #queue: CallQueue;
  readonly #pace: ProviderPace;
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
    this.#pace = new ProviderPace(options.backoff);
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

  /** Starts scheduling a new ref: its first value is fetched at once (or when the provider's backoff ends). */
  add(entry: WatchedRef): void {
    const now = Date.now();
    this.#pace.start(now);
    this.#entries.add(entry);
    entry.dueAt = now;
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

  /** Stops the timer and aborts every call in flight; their outcomes are ignored. */
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
    // While the provider backs off, whatever falls due waits for its next round.
    if (Number.isFinite(earliest)) earliest = Math.max(earliest, this.#pace.retryAt);
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
    const horizon = at < this.#pace.retryAt ? Number.NEGATIVE_INFINITY : at + this.#gatherWindow();
    const toProbe: WatchedRef[] = [];
    const toFetch: WatchedRef[] = [];
    for (const entry of this.#entries) {
      if (entry.inFlight || entry.dueAt > horizon) continue;
      entry.inFlight = true;
      entry.recheck = false;
      entry.plannedAt = entry.dueAt;
      entry.dueAt = Number.POSITIVE_INFINITY;
      (this.#mode === 'push' || !entry.hasValue || entry.fetchNext ? toFetch : toProbe).push(entry);
      entry.fetchNext = false;
    }
    if (toProbe.length > 0 || toFetch.length > 0) {
      const round = new WatchRound((settled) => this.#settle(settled));
      // Held open while its calls are queued, so that a call failing at once cannot settle it early.
      round.started();
      if (toProbe.length > 0) this.#probe(round, toProbe, at);
      if (toFetch.length > 0) this.#fetch(round, toFetch, at, new Map());
      round.finished();
    }
    this.#arm();
  }

  #gatherWindow(): number {
    const shortest = this.#shortestInterval();
    return Number.isFinite(shortest) ? shortest * GATHER_WINDOW : 0;
  }

  /** The shortest polled interval of this provider's refs; Infinity when none is polled. */
  #shortestInterval(): number {
    if (this.#mode === 'push') return Number.POSITIVE_INFINITY;
    let shortest = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries) if (entry.intervalMs < shortest) shortest = entry.intervalMs;
    return shortest;
  }

  /** The backoff's cap: the polled interval, so that a failing backend sees no more calls than a healthy one. */
  #backoffCap(): number {
    const shortest = this.#shortestInterval();
    return Number.isFinite(shortest) ? shortest : this.#pace.maxMs;
  }

  #nextPoll(entry: WatchedRef, from: number): number {
    return this.#mode === 'push' ? Number.POSITIVE_INFINITY : this.#pace.nextPoll(entry.intervalMs, from);
  }

  #probe(round: WatchRound, entries: WatchedRef[], at: number): void {
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

  #probed(round: WatchRound, group: readonly WatchedRef[], results: readonly ProbeResult[], at: number): void {
    const changed: WatchedRef[] = [];
    const tokens = new Map<WatchedRef, string>();
    group.forEach((entry, index) => {
      if (entry.ended) return;
      const result = results[index];
      if (result === undefined) {
        this.#failed(round, entry, this.#missing('probe', entry));
      } else if ('error' in result) {
        this.#failed(round, entry, result.error);
      } else if (result.version === entry.token) {
        this.#succeeded(entry, at);
      } else {
        changed.push(entry);
        tokens.set(entry, result.version);
      }
    });
    if (changed.length > 0) this.#fetch(round, changed, at, tokens);
  }

  #fetch(round: WatchRound, entries: WatchedRef[], at: number, tokens: ReadonlyMap<WatchedRef, string>): void {
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

  #fetched(
    round: WatchRound,
    entry: WatchedRef,
    result: Secret | Error | undefined,
    at: number,
    token: string | undefined,
  ): void {
    if (entry.ended) return;
    if (!isSecret(result)) {
      this.#failed(round, entry, result ?? this.#missing('getMany', entry));
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

  /** Runs one provider call of `round` for `group`; a failure of the whole call is a failure of each ref in it. */
  #run<T>(
    round: WatchRound,
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
        if (this.#closed) return;
        if (outcome.ok) {
          // The backend answered: whatever the refs' own results, the provider's backoff is over.
          round.succeeded = true;
          this.#pace.succeeded();
          onResult(outcome.value);
        } else {
          for (const entry of group) if (!entry.ended) this.#failed(round, entry, outcome.error);
        }
      }),
    );
    round.started();
    this.#queue.run(group, work, () => round.finished());
  }

  #succeeded(entry: WatchedRef, at: number): void {
    const recovered = entry.failures > 0;
    entry.inFlight = false;
    entry.checkedAt = at;
    entry.markOk(new Date());
    // Back to the provider's grid: the next poll is that of every other ref with this interval.
    entry.dueAt = entry.recheck ? Date.now() : this.#nextPoll(entry, Math.max(at, entry.plannedAt));
    entry.recheck = false;
    if (recovered) {
      this.#options.emit({ type: 'watch-recovered', ref: entry.key });
      this.#options.onStale(entry, false);
    }
    this.#arm();
  }

  /** A permanent failure ends the ref now; a transient one waits for the round to settle. */
  #failed(round: WatchRound, entry: WatchedRef, error: unknown): void {
    if (isTransientError(error)) round.fail(entry, error);
    else this.#options.end(entry, error);
  }

  /**
   * The round is over: its transient failures are scheduled together. If no call of the round succeeded the
   * provider backs off and every failed ref waits for the next round; otherwise only the failed refs are retried,
   * no later than their next grid point.
   */
  #settle(round: WatchRound): void {
    const failures = round.failures;
    if (this.#closed || failures.length === 0) return;
    const now = Date.now();
    const cap = this.#backoffCap();
    const error = round.decisiveError;
    const retryAt = round.succeeded
      ? this.#pace.retryRefs(now, Math.max(...failures.map((failure) => failure.entry.failures)) + 1, error, cap)
      : this.#pace.roundFailed(now, error, cap);
    for (const failure of failures) {
      const entry = failure.entry;
      entry.inFlight = false;
      entry.recheck = false;
      entry.failures += 1;
      entry.dueAt = round.succeeded ? Math.min(retryAt, this.#nextPoll(entry, now)) : retryAt;
      entry.markFailed(failure.error, new Date());
      this.#options.emit({
        type: 'watch-error',
        ref: entry.key,
        error: failure.error,
        consecutiveFailures: entry.failures,
        retryInMs: entry.dueAt - now,
      });
      if (entry.failures === 1) this.#options.onStale(entry, true);
    }
    this.#arm();
  }

  #missing(operation: string, entry: WatchedRef): ProviderError {
    return new ProviderError(`${this.#provider.scheme} ${operation} returned no result for ${entry.key}`, {
      provider: this.#provider.scheme,
      ref: entry.key,
    });
  }
}
