import { defer, EMPTY, Observable, type Subscription } from 'rxjs';
import { type Duration, toMilliseconds } from '../durations.js';
import { ClosedError, ValidationError } from '../errors/index.js';
import type { ChangeHint, SecretProvider } from '../provider.js';
import { type SecretRef, withoutKeyPath } from '../ref.js';
import type { Secret } from '../secret.js';
import type { WatchEvent, WatchStatus } from './watch-event.js';
import type { WatchOptions } from './watch-options.js';
import { type WatchCall, WatchScheduler } from './watch-scheduler.js';
import { added, removed, WatchedRef } from './watched-ref.js';

/** Options of a {@link WatchEngine}. */
export interface WatchEngineOptions {
  /** The one provider this engine watches. */
  provider: SecretProvider;
  /**
   * Runs one provider call with the core's timeouts and abort-on-unsubscribe applied. It should make one attempt
   * (the facade's does): the engine backs off per provider, and retries inside calls would multiply the calls a
   * failing backend gets.
   */
  call: WatchCall;
  /** Poll interval of watches that name none. Default: the provider's `defaultPollInterval`, else `'30s'`. */
  defaultInterval?: Duration;
  /**
   * Longest backoff of watches that are not polled (a push provider, `interval: Infinity`), and longest retry-after
   * hint honoured. Polled watches back off up to their (shortest) interval instead, so that a failing backend never
   * sees more calls than a healthy one. Default `'5m'`.
   */
  maxBackoff?: Duration;
  /**
   * First backoff after a round of checks in which every call failed; it doubles per failed round, up to the polled
   * interval (or `maxBackoff`), stretched by up to 20 % of jitter. Default `'1s'`.
   */
  minBackoff?: Duration;
  /** Receives every {@link WatchEvent}. Must not throw (a throw is reported asynchronously, like rxjs does). */
  onEvent?: (event: WatchEvent) => void;
  /** Called with each new value before subscribers see it (the facade refreshes its cache). Must not throw. */
  onValue?: (secret: Secret) => void;
  /**
   * Called with `true` when a watched ref's checks start failing (its last value can no longer be confirmed: the
   * facade serves it from the cache marked `stale`), and with `false` once a check succeeds again or the watch ends.
   * Must not throw.
   */
  onStale?: (ref: SecretRef, stale: boolean) => void;
  /** Random source in [0, 1) for backoff jitter, for deterministic tests. Default `Math.random`. */
  random?: () => number;
}

/**
 * Watches the secrets of one provider. Each ref has one shared, hot source whatever the number of subscribers:
 * it emits the current value, then each new version once; it survives transient failures (keeping the last
 * value, backing off, reporting on {@link WatchEngine.status}) and ends with a typed error on a permanent one.
 * One scheduler polls every watched ref in batches, on one grid per provider so that batches stay whole through
 * failures and late joins, and backs off per provider when the backend is down; or the provider's change feed
 * replaces polling.
 */
export class WatchEngine {
  readonly #provider: SecretProvider;
  readonly #scheduler: WatchScheduler;
  readonly #defaultIntervalMs: number;
  readonly #onEvent: (event: WatchEvent) => void;
  readonly #onStale: (ref: SecretRef, stale: boolean) => void;
  readonly #entries = new Map<string, WatchedRef>();
  /** The watched refs of each name (one, but for refs to several versions of a name), as exact copies. */
  readonly #byName = new Map<string, readonly WatchedRef[]>();
  /** Refs tracked for the fleet (probed, never read), by text. */
  readonly #tracked = new Map<string, WatchedRef>();
  #issue: unknown;
  #feed: Subscription | undefined;
  #closed = false;

  constructor(options: WatchEngineOptions) {
    const provider = options.provider;
    this.#provider = provider;
    this.#defaultIntervalMs = positiveInterval(
      options.defaultInterval ?? provider.capabilities.defaultPollInterval ?? '30s',
      'watch.interval',
    );
    this.#onEvent = guarded(options.onEvent);
    const onValue = guarded(options.onValue);
    this.#onStale = guarded(options.onStale);
    const detection = provider.capabilities.changeDetection;
    this.#scheduler = new WatchScheduler(
      {
        provider,
        call: options.call,
        backoff: {
          minMs: toMilliseconds(options.minBackoff ?? '1s', 'watch.minBackoff'),
          maxMs: toMilliseconds(options.maxBackoff ?? '5m', 'watch.maxBackoff'),
          random: options.random ?? Math.random,
        },
        emit: this.#onEvent,
        onValue,
        end: (entry, error) => this.#end(entry, error),
        onStale: (entry, stale) => {
          if (!entry.probeOnly) this.#onStale(entry.ref, stale);
        },
      },
      // A push provider without a change feed can only be polled.
      detection !== 'poll' && typeof provider.changes !== 'function' ? 'poll' : detection,
    );
  }

  /** How many refs are watched now (each counted once, whatever its number of subscribers). */
  get watchedCount(): number {
    return this.#entries.size;
  }

  /**
   * A hot Observable of `ref`'s values, shared by every subscriber of the same ref (the key path is ignored: the
   * caller applies transforms per subscriber). The first subscriber starts the watch with an immediate read;
   * late subscribers get the last value at once; the last one to leave stops it. Errors with a typed error on a
   * permanent failure (not found, access denied), with a ValidationError on a bad interval, and with a
   * ClosedError after {@link WatchEngine.close}.
   */
  watch(ref: SecretRef, options: WatchOptions = {}): Observable<Secret> {
    return new Observable<Secret>((subscriber) => {
      if (this.#closed) throw new ClosedError(`the ${this.#provider.scheme} watch engine is closed`);
      const intervalMs =
        options.interval === undefined ? this.#defaultIntervalMs : positiveInterval(options.interval, 'watch interval');
      const entry = this.#acquire(withoutKeyPath(ref));
      entry.addSubscriber(intervalMs);
      this.#scheduler.intervalChanged(entry);
      entry.join(subscriber);
      const trigger =
        options.trigger !== undefined && !entry.ended
          ? options.trigger.subscribe({
              next: () => this.#scheduler.check([entry]),
              error: (error: unknown) => subscriber.error(error),
            })
          : undefined;
      return () => {
        trigger?.unsubscribe();
        entry.leave(subscriber);
        entry.removeSubscriber(intervalMs);
        if (entry.subscribers === 0) this.#end(entry, undefined);
      };
    });
  }

  /** The interval of watches that name none (ms): the fleet's tracked refs are probed at it. */
  get defaultIntervalMs(): number {
    return this.#defaultIntervalMs;
  }

  /** The texts of the refs watched here (without the ones tracked for the fleet). */
  watchedKeys(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Checks these watched refs (by text) promptly, or every watched and tracked ref without `keys`: a fleet change
   * message, a reconcile, a new leader's first round.
   */
  recheck(keys?: Iterable<string>): void {
    if (this.#closed) return;
    if (keys === undefined) {
      this.#scheduler.check([...this.#entries.values(), ...this.#tracked.values()]);
      return;
    }
    const hit: WatchedRef[] = [];
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry) hit.push(entry);
    }
    if (hit.length > 0) this.#scheduler.check(hit);
  }

  /** The interval (ms) `key` is watched at here, or undefined when it is not watched here. */
  intervalOf(key: string): number | undefined {
    return this.#entries.get(key)?.intervalMs;
  }

  /**
   * Sets the refs probed for the fleet without being watched here (the leader's share of other instances' refs):
   * they are probed at the default interval, or at the shorter one `paces` asks for, in the same batches as the
   * watched refs of that interval, and never read. Refs not listed stop.
   */
  track(refs: ReadonlyMap<string, SecretRef>, paces?: ReadonlyMap<string, number>): void {
    if (this.#closed) return;
    for (const [key, entry] of this.#tracked) if (!refs.has(key)) this.#end(entry, undefined);
    for (const [key, ref] of refs) {
      if (this.#entries.has(key)) continue;
      const intervalMs = Math.min(this.#defaultIntervalMs, paces?.get(key) ?? Number.POSITIVE_INFINITY);
      const tracked = this.#tracked.get(key);
      if (tracked?.intervalMs === intervalMs) continue;
      // A new pace: the ref starts again on the grid of its new interval (one probe at once).
      if (tracked !== undefined) this.#end(tracked, undefined);
      const entry = new WatchedRef(ref, true);
      entry.addSubscriber(intervalMs);
      this.#tracked.set(key, entry);
      this.#scheduler.add(entry);
    }
  }

  /** Marks every watch degraded while the fleet store is unreachable (`undefined` clears it). */
  setFleetIssue(issue: unknown): void {
    this.#issue = issue;
    for (const entry of this.#entries.values()) entry.setIssue(issue);
  }

  /**
   * The status of the watch of `ref`: replays the current status, then each change, and completes when the
   * watch is torn down (after an `'ended'` status). Completes at once when `ref` is not watched.
   */
  status(ref: SecretRef): Observable<WatchStatus> {
    return defer(() => this.#entries.get(withoutKeyPath(ref).text)?.status$ ?? EMPTY);
  }

  /** Ends every watch (their streams complete), stops the timer, aborts calls in flight, drops the change feed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const entry of [...this.#entries.values(), ...this.#tracked.values()]) this.#end(entry, undefined);
    this.#scheduler.close();
    this.#dropFeed();
  }

  #acquire(ref: SecretRef): WatchedRef {
    const existing = this.#entries.get(ref.text);
    if (existing) return existing;
    const tracked = this.#tracked.get(ref.text);
    if (tracked) this.#end(tracked, undefined);
    const entry = new WatchedRef(ref);
    if (this.#issue !== undefined) entry.setIssue(this.#issue);
    this.#entries.set(entry.key, entry);
    this.#byName.set(ref.name, added(this.#byName.get(ref.name) ?? [], entry));
    // Listen before the first read, so a change between the two is not missed.
    this.#listen();
    this.#scheduler.add(entry);
    return entry;
  }

  #end(entry: WatchedRef, error: unknown): void {
    if (entry.ended) return;
    if (entry.probeOnly) {
      // A tracked ref ends quietly: its probe published the error for the instances that watch it.
      if (this.#tracked.get(entry.key) === entry) this.#tracked.delete(entry.key);
      entry.end();
      this.#scheduler.remove(entry);
      return;
    }
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    const sameName = this.#byName.get(entry.ref.name) ?? [];
    const index = sameName.indexOf(entry);
    if (sameName.length === 1 && index === 0) this.#byName.delete(entry.ref.name);
    else if (index >= 0) this.#byName.set(entry.ref.name, removed(sameName, index));
    // An ended watch no longer vouches for the cached value, nor against it.
    if (entry.failures > 0) this.#onStale(entry.ref, false);
    entry.end(error);
    this.#scheduler.remove(entry);
    this.#onEvent(
      error === undefined ? { type: 'watch-ended', ref: entry.key } : { type: 'watch-ended', ref: entry.key, error },
    );
    if (this.#entries.size === 0) this.#dropFeed();
  }

  #listen(): void {
    if (this.#feed !== undefined || this.#scheduler.mode === 'poll' || this.#closed) return;
    const changes = this.#provider.changes?.bind(this.#provider);
    if (!changes) return;
    this.#feed = changes().subscribe({
      next: (hint) => this.#onHint(hint),
      error: (error: unknown) => this.#feedLost(error),
      complete: () => this.#feedLost(undefined),
    });
  }

  #onHint(hint: ChangeHint): void {
    if (hint.names === undefined) {
      this.#scheduler.check(this.#entries.values());
      return;
    }
    const hit: WatchedRef[] = [];
    for (const name of hint.names) for (const entry of this.#byName.get(name) ?? []) hit.push(entry);
    // A named change is read at once: probing first would only cost a round trip (no polling for signalled changes).
    if (hit.length > 0) this.#scheduler.check(hit, true);
  }

  #feedLost(error: unknown): void {
    this.#feed = undefined;
    if (this.#closed) return;
    this.#onEvent({ type: 'watch-feed-lost', provider: this.#provider.scheme, error });
    // Changes may have been missed while the feed was failing: polling from now on checks every ref at once.
    this.#scheduler.mode = 'poll';
  }

  #dropFeed(): void {
    const feed = this.#feed;
    this.#feed = undefined;
    feed?.unsubscribe();
  }
}

function positiveInterval(interval: Duration, name: string): number {
  const ms = toMilliseconds(interval, name);
  if (ms <= 0) throw new ValidationError(`${name} must be positive, got ${String(interval)}`);
  return ms;
}

/** Wraps a listener so that its failure cannot stall the engine; the error is rethrown asynchronously. */
function guarded<A extends unknown[]>(listener: ((...args: A) => void) | undefined): (...args: A) => void {
  if (!listener) return () => {};
  return (...args) => {
    try {
      listener(...args);
    } catch (error) {
      setTimeout(() => {
        throw error;
      });
    }
  };
}
