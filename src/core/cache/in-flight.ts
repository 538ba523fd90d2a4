import { Observable, type Observer, type Unsubscribable } from 'rxjs';
import type { Secret } from '../secret.js';

/**
 * What a flight runs: a cold source of one secret that stops its backend call when unsubscribed. An Observable, or
 * (on the hot path) a lighter object that calls its observer directly.
 */
export interface FetchSource {
  subscribe(observer: Observer<Secret>): Unsubscribable;
}

/** One backend call for a key, shared by everyone who waits on it. */
export interface Flight {
  /** The shared fetch: ref-counted, so it is aborted only when its last subscriber leaves. */
  readonly shared: Observable<Secret>;
  /**
   * {@link Flight.shared} for an observer, without an Observable layer: `reader` waits on the fetch (starting it if
   * it is the first) until it settles or {@link Flight.leave} is called.
   */
  join(reader: Observer<Secret>): void;
  /** `reader` stops waiting; the fetch is aborted if it was the last reader. A no-op once the fetch settled. */
  leave(reader: Observer<Secret>): void;
  /** Set when the key was invalidated or put while the call was in flight: its result is then not stored. */
  detached: boolean;
}

/** What happens when a flight settles, before its subscribers hear of it. */
export interface FlightSettlement {
  /** The fetch for `key` produced `secret`. */
  next(key: string, secret: Secret, flight: Flight): void;
  /** The fetch for `key` failed. */
  error(key: string, error: unknown, flight: Flight): void;
}

/**
 * A flight as a hand-written ref-counted multicast: the first reader subscribes to `fetch`, its first value (or error)
 * goes to every reader, the last reader to leave unsubscribes from it; later readers start afresh. It behaves as
 * `defer(fetch).pipe(take(1), share())` without the chain of operator subscribers and the Subject per call, and it
 * is itself the observer of the fetch: one object per miss, and an array of readers only when there are several.
 * Kept hand-written because a benchmark shows a difference users of a fast backend see (issue 14): with the flight
 * as `share()` over the fetch, `npm run bench -- aws` (2026-12-07, five runs each, alternating with this code)
 * measured a cache-miss get at +12.9–15.6 % over a raw SDK `GetSecretValue` on loopback and an uncached one at
 * +10.0–11.1 %, against +9.0–10.8 % and +6.1–7.4 % with this class (about 25 µs per call, past the ≤ 10 % goal of
 * benchmarks/README.md), though the mechanism alone differs by 0.8 vs 1.5 µs per miss.
 */
class SharedFetch implements Flight, Observer<Secret> {
  detached = false;
  readonly #key: string;
  readonly #settle: FlightSettlement;
  readonly #fetch: FetchSource;
  readonly #flights: Map<string, Flight>;
  /** Counts runs, so that a run that settled while subscribing is told apart from one started since. */
  #runs = 0;
  #running = false;
  #first: Observer<Secret> | undefined;
  #others: Observer<Secret>[] | undefined;
  #source: Unsubscribable | undefined;
  #shared: Observable<Secret> | undefined;

  constructor(key: string, fetch: FetchSource, settle: FlightSettlement, flights: Map<string, Flight>) {
    this.#key = key;
    this.#fetch = fetch;
    this.#settle = settle;
    this.#flights = flights;
  }

  get shared(): Observable<Secret> {
    this.#shared ??= new Observable<Secret>((subscriber) => {
      this.join(subscriber);
      return () => this.leave(subscriber);
    });
    return this.#shared;
  }

  join(reader: Observer<Secret>): void {
    if (this.#running) {
      // A running flight has a first reader: it ends when its last reader leaves.
      if (this.#others === undefined) this.#others = [reader];
      else this.#others.push(reader);
      return;
    }
    const run = ++this.#runs;
    this.#running = true;
    this.#first = reader;
    let source: Unsubscribable;
    try {
      source = this.#fetch.subscribe(this);
    } catch (error) {
      this.error(error);
      return;
    }
    if (this.#running && this.#runs === run) this.#source = source;
    else source.unsubscribe(); // it settled synchronously, while subscribing
  }

  leave(reader: Observer<Secret>): void {
    if (!this.#running) return;
    if (this.#first === reader) {
      this.#first = this.#others?.shift();
    } else {
      const index = this.#others?.indexOf(reader) ?? -1;
      if (index < 0) return;
      this.#others?.splice(index, 1);
    }
    if (this.#first !== undefined) return;
    const source = this.#source;
    this.#end();
    source?.unsubscribe();
  }

  next(secret: Secret): void {
    if (!this.#running) return;
    const first = this.#first;
    const others = this.#others;
    const source = this.#source;
    this.#end();
    try {
      this.#settle.next(this.#key, secret, this);
    } catch (error) {
      first?.error(error);
      if (others) for (const reader of others) reader.error(error);
      source?.unsubscribe();
      return;
    }
    first?.next(secret);
    if (others) for (const reader of others) reader.next(secret);
    first?.complete();
    if (others) for (const reader of others) reader.complete();
    source?.unsubscribe();
  }

  error(error: unknown): void {
    if (!this.#running) return;
    const first = this.#first;
    const others = this.#others;
    this.#end();
    this.#settle.error(this.#key, error, this);
    first?.error(error);
    if (others) for (const reader of others) reader.error(error);
  }

  complete(): void {
    if (!this.#running) return;
    const first = this.#first;
    const others = this.#others;
    this.#end();
    first?.complete();
    if (others) for (const reader of others) reader.complete();
  }

  /** Ends the run (settled or torn down): later readers start afresh, and the flight leaves the map. */
  #end(): void {
    this.#running = false;
    this.#first = undefined;
    this.#others = undefined;
    this.#source = undefined;
    if (this.#flights.get(this.#key) === this) this.#flights.delete(this.#key);
  }
}

/**
 * The backend calls in flight, one per key. A flight leaves the map as soon as it settles or is torn down (its
 * last subscriber left), so a later read starts afresh rather than joining a finished call.
 */
export class InFlightFetches {
  readonly #flights = new Map<string, Flight>();

  /** The flight of `key`, if one is running. */
  get(key: string): Flight | undefined {
    return this.#flights.get(key);
  }

  /** The keys with a flight. */
  keys(): string[] {
    return [...this.#flights.keys()];
  }

  /** Lets the flight of `key` finish for those who wait on it, but out of the map and without storing its result. */
  detach(key: string): boolean {
    const flight = this.#flights.get(key);
    if (flight === undefined) return false;
    flight.detached = true;
    this.#flights.delete(key);
    return true;
  }

  /** Registers a new flight of `fetch` for `key`; nothing runs until a reader joins. */
  start(key: string, fetch: FetchSource, settle: FlightSettlement): Flight {
    const flight = new SharedFetch(key, fetch, settle, this.#flights);
    this.#flights.set(key, flight);
    return flight;
  }
}
