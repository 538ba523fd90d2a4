import type { Observable } from 'rxjs';
import { isLockedError, isTransientError } from '../errors/index.js';
import type { CallContext, ChangeDetection, SecretProvider } from '../provider.js';
import type { SecretRef } from '../ref.js';
import type { Secret } from '../secret.js';
import type { BackoffPolicy } from './backoff.js';
import { CheckRunner } from './check-runner.js';
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
 * a small window after) in one round of batched calls ({@link CheckRunner}). Polls follow one grid per provider
 * ({@link ProviderPace}), so refs that joined late, failed or were triggered fall back into the same batches. A round
 * in which every call failed backs the whole provider off (doubling from `minBackoff` up to the polled interval, with
 * jitter): nothing is sent before its next round, which sends one call first ({@link WatchRound}); the first success
 * ends the backoff. Refs that failed in a round that otherwise succeeded are retried on their own, by their next grid
 * point at the latest.
 */
export class WatchScheduler {
  readonly #options: WatchSchedulerOptions;
  readonly #runner: CheckRunner;
  readonly #pace: ProviderPace;
  readonly #entries = new Set<WatchedRef>();
  #mode: ChangeDetection;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #closed = false;

  constructor(options: WatchSchedulerOptions, mode: ChangeDetection) {
    this.#options = options;
    this.#pace = new ProviderPace(options.backoff);
    this.#runner = new CheckRunner(options, {
      succeeded: (entry, at) => this.#succeeded(entry, at),
      failed: (round, entry, error) => this.#failed(round, entry, error),
      answered: () => this.#pace.succeeded(),
      closed: () => this.#closed,
    });
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
    this.#runner.release();
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
    this.#runner.close();
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
      const fetch = !entry.probeOnly && (this.#mode === 'push' || !entry.hasValue || entry.fetchNext);
      (fetch ? toFetch : toProbe).push(entry);
      entry.fetchNext = false;
    }
    if (toProbe.length > 0 || toFetch.length > 0) {
      const round = new WatchRound((settled) => this.#settle(settled), this.#pace.failures > 0);
      // Held open while its calls are queued, so that a call failing at once cannot settle it early.
      round.started();
      if (toProbe.length > 0) this.#runner.probe(round, toProbe, at);
      if (toFetch.length > 0) this.#runner.fetch(round, toFetch, at, new Map());
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

  #succeeded(entry: WatchedRef, at: number): void {
    const recovered = entry.failures > 0;
    entry.inFlight = false;
    entry.checkedAt = at;
    entry.markOk(Date.now());
    // Back to the provider's grid: the next poll is that of every other ref with this interval. A check that ended
    // after its next grid point skips it rather than polling alone, off the grid.
    const now = Date.now();
    entry.dueAt = entry.recheck ? now : this.#nextPoll(entry, Math.max(now, entry.plannedAt));
    entry.recheck = false;
    if (recovered) {
      this.#options.emit({ type: 'watch-recovered', ref: entry.key });
      this.#options.onStale(entry, false);
    }
    this.#arm();
  }

  /**
   * A permanent failure ends the ref now; a transient one waits for the round to settle, and so does a lock (a screen
   * lock, a user's Lock): the watch keeps its value, reports it, and checks again.
   */
  #failed(round: WatchRound, entry: WatchedRef, error: unknown): void {
    if (isTransientError(error) || isLockedError(error)) round.fail(entry, error);
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
    const worst = failures.reduce((most, failure) => Math.max(most, failure.entry.failures), 0);
    const retryAt = round.succeeded
      ? this.#pace.retryRefs(now, worst + 1, error, cap)
      : this.#pace.roundFailed(now, error, cap);
    for (const failure of failures) {
      const entry = failure.entry;
      entry.inFlight = false;
      entry.recheck = false;
      entry.failures += 1;
      entry.dueAt = round.succeeded ? Math.min(retryAt, this.#nextPoll(entry, now)) : retryAt;
      entry.markFailed(failure.error, now);
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
}
