import { noop, Observable, type Observer, type Subscription } from 'rxjs';
import type { Secret } from '../secret.js';

/** One backend call for a key, shared by everyone who waits on it. */
export interface Flight {
  /** The shared fetch: ref-counted, so it is aborted only when its last subscriber leaves. */
  readonly shared: Observable<Secret>;
  /**
   * {@link Flight.shared} for an observer, without an Observable layer: `reader` waits on the fetch (starting it if
   * it is the first) until the returned function is called, which aborts the fetch if it was the last reader.
   */
  join(reader: Partial<Observer<Secret>>): () => void;
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
 * One run of a flight's fetch and the readers waiting on it; it is also the observer of the fetch (an object with
 * methods rather than closures: it sits on every cache miss).
 */
class FlightRun implements Observer<Secret> {
  readonly readers: Partial<Observer<Secret>>[];
  source: Subscription | undefined;
  done = false;
  readonly #flight: SharedFetch;

  constructor(flight: SharedFetch, first: Partial<Observer<Secret>>) {
    this.#flight = flight;
    this.readers = [first];
  }

  next(secret: Secret): void {
    if (this.done) return;
    this.#flight.end(this);
    try {
      this.#flight.settle.next(this.#flight.key, secret, this.#flight);
    } catch (error) {
      for (const reader of this.readers) reader.error?.(error);
      this.source?.unsubscribe();
      return;
    }
    for (const reader of this.readers) reader.next?.(secret);
    for (const reader of this.readers) reader.complete?.();
    this.source?.unsubscribe();
  }

  error(error: unknown): void {
    if (this.done) return;
    this.#flight.end(this);
    this.#flight.settle.error(this.#flight.key, error, this.#flight);
    for (const reader of this.readers) reader.error?.(error);
  }

  complete(): void {
    if (this.done) return;
    this.#flight.end(this);
    for (const reader of this.readers) reader.complete?.();
  }
}

/**
 * A flight as a hand-written ref-counted multicast: the first reader starts `fetch()`, its first value (or error)
 * goes to every reader, the last reader to leave unsubscribes from it. It behaves as
 * `defer(fetch).pipe(take(1), share())` without the chain of operator subscribers and the Subject per call.
 */
class SharedFetch implements Flight {
  detached = false;
  readonly key: string;
  readonly settle: FlightSettlement;
  readonly #fetch: () => Observable<Secret>;
  readonly #flights: Map<string, Flight>;
  #run: FlightRun | undefined;
  #shared: Observable<Secret> | undefined;

  constructor(key: string, fetch: () => Observable<Secret>, settle: FlightSettlement, flights: Map<string, Flight>) {
    this.key = key;
    this.#fetch = fetch;
    this.settle = settle;
    this.#flights = flights;
  }

  get shared(): Observable<Secret> {
    this.#shared ??= new Observable<Secret>((subscriber) => this.join(subscriber));
    return this.#shared;
  }

  join(reader: Partial<Observer<Secret>>): () => void {
    let run = this.#run;
    if (run !== undefined) {
      run.readers.push(reader);
    } else {
      const started = new FlightRun(this, reader);
      run = started;
      this.#run = started;
      let source: Subscription;
      try {
        source = this.#fetch().subscribe(started);
      } catch (error) {
        started.error(error);
        return noop;
      }
      // The fetch may have settled synchronously, while subscribing.
      if (started.done) source.unsubscribe();
      else started.source = source;
    }
    const joined = run;
    return () => this.#leave(joined, reader);
  }

  /** Marks `run` settled or torn down, so later readers start afresh, and takes the flight out of the map. */
  end(run: FlightRun): void {
    run.done = true;
    if (this.#run === run) this.#run = undefined;
    if (this.#flights.get(this.key) === this) this.#flights.delete(this.key);
  }

  #leave(run: FlightRun, reader: Partial<Observer<Secret>>): void {
    if (run.done) return;
    const index = run.readers.indexOf(reader);
    if (index >= 0) run.readers.splice(index, 1);
    if (run.readers.length > 0) return;
    this.end(run);
    run.source?.unsubscribe();
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

  /** Registers a new flight of `fetch()` for `key`; nothing runs until something subscribes to `shared`. */
  start(key: string, fetch: () => Observable<Secret>, settle: FlightSettlement): Flight {
    const flight = new SharedFetch(key, fetch, settle, this.#flights);
    this.#flights.set(key, flight);
    return flight;
  }
}
