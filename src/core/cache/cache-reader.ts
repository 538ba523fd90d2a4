import type { Observer, Unsubscribable } from 'rxjs';
import type { Secret } from '../secret.js';
import type { Flight } from './in-flight.js';

/** The last value of a key marked stale, if it may stand in after `error`; else undefined. */
export type StaleOf = (key: string, error: unknown) => Secret | undefined;

/**
 * One read of the cache, as the cache sees it: it is handed the secret (or the error), and while it waits on a fetch
 * it is what ends that wait (`unsubscribe`, which aborts the fetch if it was the last reader). When the fetch fails
 * and the cache still has the key's last value, that value, marked stale, is delivered instead of the error. A class
 * to extend rather than a wrapper around an observer: a miss sits on every uncached read, and this makes it one
 * object per reader.
 */
export abstract class CacheReader implements Observer<Secret>, Unsubscribable {
  // Set by waitOn alone: a read served from the store (a hit) carries none of them.
  declare private flight: Flight | undefined;
  declare private staleOf: StaleOf | undefined;
  declare private key: string;

  /** The reader gets `secret`. */
  protected abstract deliver(secret: Secret): void;
  /** The reader gets `error` (no stale value stands in). */
  protected abstract fail(error: unknown): void;
  /** The read is over, after {@link CacheReader.deliver}. */
  protected abstract finish(): void;

  /** Called by the cache when the read joins `flight`; `staleOf` is given when a last value may stand in. */
  waitOn(flight: Flight, key: string, staleOf: StaleOf | undefined): void {
    this.flight = flight;
    this.key = key;
    this.staleOf = staleOf;
    flight.join(this);
  }

  next(secret: Secret): void {
    this.deliver(secret);
  }

  error(error: unknown): void {
    const stale = this.staleOf?.(this.key, error);
    if (stale === undefined) {
      this.fail(error);
      return;
    }
    this.deliver(stale);
    this.finish();
  }

  complete(): void {
    this.finish();
  }

  /** Stops waiting (a no-op when the read is not waiting, or no longer). */
  unsubscribe(): void {
    this.flight?.leave(this);
  }
}

/** A {@link CacheReader} that hands everything to an observer. */
export class ObserverReader extends CacheReader {
  readonly #observer: Observer<Secret>;

  constructor(observer: Observer<Secret>) {
    super();
    this.#observer = observer;
  }

  protected deliver(secret: Secret): void {
    this.#observer.next(secret);
  }

  protected fail(error: unknown): void {
    this.#observer.error(error);
  }

  protected finish(): void {
    this.#observer.complete();
  }
}
