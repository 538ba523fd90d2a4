import { defer, finalize, type Observable, share, take, tap } from 'rxjs';
import type { Secret } from '../secret.js';

/** One backend call for a key, shared by everyone who waits on it. */
export interface Flight {
  /** The shared fetch: ref-counted, so it is aborted only when its last subscriber leaves. */
  readonly shared: Observable<Secret>;
  /** Set when the key was invalidated or put while the call was in flight: its result is then not stored. */
  detached: boolean;
}

/** What happens when a flight settles, before its subscribers hear of it. */
export interface FlightSettlement {
  /** The fetch produced `secret`. */
  next(secret: Secret, flight: Flight): void;
  /** The fetch failed. */
  error(error: unknown, flight: Flight): void;
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
    const release = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    const flight: Flight = {
      detached: false,
      shared: defer(fetch).pipe(
        take(1),
        tap({
          next: (secret) => {
            release();
            settle.next(secret, flight);
          },
          error: (error: unknown) => {
            release();
            settle.error(error, flight);
          },
        }),
        finalize(release),
        share(),
      ),
    };
    this.#flights.set(key, flight);
    return flight;
  }
}
