import { BehaviorSubject, type Observable, ReplaySubject } from 'rxjs';
import type { SecretRef } from '../ref.js';
import type { Secret } from '../secret.js';
import type { CallOwner } from './call-queue.js';
import type { WatchStatus } from './watch-event.js';

/**
 * The shared state of one watched ref: its subscribers' intervals, its replayed last value, its status, and
 * what the scheduler needs (due time, in-flight flag, last version token).
 */
export class WatchedRef implements CallOwner {
  /** The watched ref (without key path). */
  readonly ref: SecretRef;
  /** The ref as text: the engine's key for it. */
  readonly key: string;
  /** The shared value stream: replays the last value to late subscribers. */
  readonly values = new ReplaySubject<Secret>(1);
  /** When the next check is due (epoch ms); Infinity when none is planned. */
  dueAt = 0;
  /** When the check in flight (or the last one) was due: the grid point it stands for, if it was polled. */
  plannedAt = 0;
  /** Whether a probe or fetch for this ref is in flight. */
  inFlight = false;
  /** Whether a check was asked for while one was in flight: check again as soon as it settles. */
  recheck = false;
  /** Whether the next check reads the value at once instead of probing first (a change hint named this ref). */
  fetchNext = false;
  /** The last version token known to match the emitted value (from a probe or the secret itself). */
  token: string | undefined;
  /** Transient failures since the last successful check. */
  failures = 0;
  /** When the last successful check started (epoch ms): polls are timed from it. */
  checkedAt: number | undefined;
  /**
   * Whether only its version is tracked, for the fleet: the leader probes refs other instances watch, publishes
   * their tokens and never reads their values.
   */
  readonly probeOnly: boolean;
  #ended = false;
  #last: Secret | undefined;
  /** Why the watch is degraded although its checks succeed (the fleet store is unreachable), if it is. */
  #issue: unknown;
  readonly #intervals: number[] = [];
  readonly #status: BehaviorSubject<WatchStatus>;

  constructor(ref: SecretRef, probeOnly = false) {
    this.ref = ref;
    this.probeOnly = probeOnly;
    this.key = ref.text;
    this.#status = new BehaviorSubject<WatchStatus>(
      Object.freeze({
        ref: this.key,
        state: 'starting',
        version: undefined,
        consecutiveFailures: 0,
        lastError: undefined,
        lastCheckedAt: undefined,
      }),
    );
  }

  /** Whether the watch was torn down or failed permanently. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Whether a value was emitted. */
  get hasValue(): boolean {
    return this.#last !== undefined;
  }

  /** How many subscribers share this watch. */
  get subscribers(): number {
    return this.#intervals.length;
  }

  /** The shortest interval its subscribers asked for (ms). */
  get intervalMs(): number {
    return this.#intervals.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...this.#intervals);
  }

  /** The status stream: replays the current status, completes when the watch ends. */
  get status$(): Observable<WatchStatus> {
    return this.#status.asObservable();
  }

  /** Registers one subscriber and the interval it asked for. */
  addSubscriber(intervalMs: number): void {
    this.#intervals.push(intervalMs);
  }

  /** Unregisters one subscriber. */
  removeSubscriber(intervalMs: number): void {
    const index = this.#intervals.indexOf(intervalMs);
    if (index >= 0) this.#intervals.splice(index, 1);
  }

  /**
   * Records a fetched secret and tells whether it is new, i.e. must be emitted. A secret is new unless it has
   * the version of the last value emitted (for a backend without versions: the same value).
   */
  accept(secret: Secret, probedToken: string | undefined): boolean {
    const last = this.#last;
    const isNew =
      last === undefined ||
      (secret.version === undefined && last.version === undefined
        ? !sameValue(secret.value, last.value)
        : secret.version !== last.version);
    this.token = secret.version ?? probedToken ?? this.token;
    if (isNew) this.#last = secret;
    return isNew;
  }

  /** Marks a successful check. */
  markOk(at: Date): void {
    this.failures = 0;
    this.#publish({ state: 'ok', consecutiveFailures: 0, lastCheckedAt: at });
  }

  /** Marks a transient failure (the caller has counted it in `failures`). */
  markFailed(error: unknown, at: Date): void {
    this.#publish({ state: 'degraded', consecutiveFailures: this.failures, lastError: error, lastCheckedAt: at });
  }

  /**
   * Marks the watch degraded for a reason outside its own checks (the fleet store is down: it polls on its own), or
   * clears that reason (`undefined`).
   */
  setIssue(issue: unknown): void {
    if (this.#issue === issue) return;
    this.#issue = issue;
    const state = this.#status.getValue().state;
    if (state === 'ok' || state === 'degraded') this.#publish({});
  }

  /** Ends the watch: the value stream completes, or errors with a permanent `error`; the status stream ends. */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#publish(error === undefined ? { state: 'ended' } : { state: 'ended', lastError: error });
    this.#status.complete();
    if (error === undefined) this.values.complete();
    else this.values.error(error);
  }

  #publish(change: Partial<WatchStatus>): void {
    const { fleetIssue: _previous, ...next }: WatchStatus = {
      ...this.#status.getValue(),
      version: this.#last?.version,
      ...change,
    };
    const live = next.state === 'ok' || next.state === 'degraded';
    if (this.#issue === undefined || !live) {
      this.#status.next(Object.freeze(next.consecutiveFailures === 0 && live ? { ...next, state: 'ok' } : next));
      return;
    }
    const state = next.consecutiveFailures === 0 ? 'degraded' : next.state;
    this.#status.next(Object.freeze({ ...next, state, fleetIssue: this.#issue }));
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
  }
  return false;
}
