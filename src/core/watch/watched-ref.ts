import { BehaviorSubject, EMPTY, type Observable, type Subscriber } from 'rxjs';
import type { SecretRef } from '../ref.js';
import type { Secret } from '../secret.js';
import type { CallOwner } from './call-queue.js';
import type { WatchStatus } from './watch-event.js';

const NO_SUBSCRIBERS: readonly Subscriber<Secret>[] = Object.freeze([]);
const NO_INTERVALS: readonly number[] = Object.freeze([]);

/**
 * The shared state of one watched ref: its subscribers and their intervals, its last value (replayed to late
 * subscribers), its status, and what the scheduler needs (due time, in-flight flag, last version token).
 *
 * There is one per watched ref, so it is kept small (`npm run bench -- heap`): it hands values to its subscribers
 * itself rather than through a `ReplaySubject` (whose buffer and observer list are arrays that reserve 17 slots on
 * their first push, and whose subscriptions are objects of their own), its status stream exists only once someone asks
 * for it, and its arrays are replaced by exact-size copies rather than pushed to. Hand-rolled on purpose: the same
 * class with a `ReplaySubject(1)` measured 2,612 B per active watch against 1,743 B (2026-12-07, 1,000 watches).
 */
export class WatchedRef implements CallOwner {
  /** The watched ref (without key path). */
  readonly ref: SecretRef;
  /** The ref as text: the engine's key for it. */
  readonly key: string;
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
  /** The error that ended the watch, replayed to a subscriber that comes later. */
  #endError: unknown;
  #last: Secret | undefined;
  #subscribers: readonly Subscriber<Secret>[] = NO_SUBSCRIBERS;
  #intervals: readonly number[] = NO_INTERVALS;
  /** What the status says, besides the failures count and the last value's version. */
  #state: WatchStatus['state'] = 'starting';
  #lastError: unknown;
  /** When the last check completed (epoch ms). */
  #lastCheckedAt: number | undefined;
  /** Why the watch is degraded although its checks succeed (the fleet store is unreachable), if it is. */
  #issue: unknown;
  /** The status stream, once asked for. */
  #status$: BehaviorSubject<WatchStatus> | undefined;

  constructor(ref: SecretRef, probeOnly = false) {
    this.ref = ref;
    this.probeOnly = probeOnly;
    this.key = ref.text;
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
    if (this.#ended) return EMPTY;
    this.#status$ ??= new BehaviorSubject(this.#status());
    return this.#status$.asObservable();
  }

  /** Registers one subscriber and the interval it asked for. */
  addSubscriber(intervalMs: number): void {
    this.#intervals = added(this.#intervals, intervalMs);
  }

  /** Unregisters one subscriber. */
  removeSubscriber(intervalMs: number): void {
    const index = this.#intervals.indexOf(intervalMs);
    if (index >= 0) this.#intervals = removed(this.#intervals, index);
  }

  /**
   * Hands `subscriber` the values: the last one at once (if any), then each new one; it completes or errors when the
   * watch ends (at once, after the last value, if it has ended). Undone by {@link WatchedRef.leave}.
   */
  join(subscriber: Subscriber<Secret>): void {
    if (this.#last !== undefined) subscriber.next(this.#last);
    if (this.#ended) {
      if (this.#endError === undefined) subscriber.complete();
      else subscriber.error(this.#endError);
      return;
    }
    if (!subscriber.closed) this.#subscribers = added(this.#subscribers, subscriber);
  }

  /** `subscriber` no longer gets the values. */
  leave(subscriber: Subscriber<Secret>): void {
    const index = this.#subscribers.indexOf(subscriber);
    if (index >= 0) this.#subscribers = removed(this.#subscribers, index);
  }

  /** Hands a new value to every subscriber (after {@link WatchedRef.accept} said it is new). */
  emit(secret: Secret): void {
    if (this.#ended) return;
    // The array is replaced, never changed, when subscribers join or leave: this loop sees the ones of now.
    for (const subscriber of this.#subscribers) subscriber.next(secret);
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

  /** Marks a successful check (completed at `at`, epoch ms). */
  markOk(at: number): void {
    this.failures = 0;
    this.#state = 'ok';
    this.#lastCheckedAt = at;
    this.#publish();
  }

  /** Marks a transient failure (the caller has counted it in `failures`), at `at` (epoch ms). */
  markFailed(error: unknown, at: number): void {
    this.#state = 'degraded';
    this.#lastError = error;
    this.#lastCheckedAt = at;
    this.#publish();
  }

  /**
   * Marks the watch degraded for a reason outside its own checks (the fleet store is down: it polls on its own), or
   * clears that reason (`undefined`).
   */
  setIssue(issue: unknown): void {
    if (this.#issue === issue) return;
    this.#issue = issue;
    if (this.#state === 'ok' || this.#state === 'degraded') this.#publish();
  }

  /** Ends the watch: the value stream completes, or errors with a permanent `error`; the status stream ends. */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#endError = error;
    this.#state = 'ended';
    if (error !== undefined) this.#lastError = error;
    this.#publish();
    this.#status$?.complete();
    this.#status$ = undefined;
    const subscribers = this.#subscribers;
    this.#subscribers = NO_SUBSCRIBERS;
    for (const subscriber of subscribers) {
      if (error === undefined) subscriber.complete();
      else subscriber.error(error);
    }
  }

  #publish(): void {
    this.#status$?.next(this.#status());
  }

  /** The status as it stands: `'ok'` once a check succeeded, `'degraded'` while failing or while the fleet is away. */
  #status(): WatchStatus {
    const state = this.#state;
    const live = state === 'ok' || state === 'degraded';
    const status: WatchStatus = {
      ref: this.key,
      state: live && this.failures === 0 ? 'ok' : state,
      version: this.#last?.version,
      consecutiveFailures: this.failures,
      lastError: this.#lastError,
      lastCheckedAt: this.#lastCheckedAt === undefined ? undefined : new Date(this.#lastCheckedAt),
    };
    if (this.#issue === undefined || !live) return Object.freeze(status);
    return Object.freeze({ ...status, state: this.failures === 0 ? 'degraded' : state, fleetIssue: this.#issue });
  }
}

/**
 * `items` with `item` at the end, as a new array of that exact size: a spread, a `filter` or a `push` reserves 17
 * slots (136 bytes), and a watch has two such arrays.
 */
export function added<T>(items: readonly T[], item: T): readonly T[] {
  return items.concat([item]);
}

/** `items` without the one at `index`, as a new array of that exact size (see {@link added}). */
export function removed<T>(items: readonly T[], index: number): readonly T[] {
  return items.slice(0, index).concat(items.slice(index + 1));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
  }
  return false;
}
