import type { Subscriber } from 'rxjs';
import { CacheReader } from './cache/cache-reader.js';
import type { SecretRef } from './ref.js';
import type { Secret } from './secret.js';
import { applyTransform, type Transform } from './transforms.js';

/**
 * Hands one reader its secret with the reader's ref and transform: the cache's reader itself rather than a `map`
 * operator or a wrapper, as it sits on every read.
 */
export class Presenter extends CacheReader {
  readonly #subscriber: Subscriber<Secret>;
  readonly #ref: SecretRef;
  readonly #transform: Transform | undefined;

  constructor(subscriber: Subscriber<Secret>, ref: SecretRef, transform: Transform | undefined) {
    super();
    this.#subscriber = subscriber;
    this.#ref = ref;
    this.#transform = transform;
  }

  protected deliver(secret: Secret): void {
    presentTo(this.#subscriber, secret, this.#ref, this.#transform);
  }

  protected fail(error: unknown): void {
    this.#subscriber.error(error);
  }

  protected finish(): void {
    this.#subscriber.complete();
  }
}

/** Gives a fetched secret the caller's ref (with its key path) and applies the transform. */
export function present(secret: Secret, ref: SecretRef, transform: Transform | undefined): Secret {
  // Equal text means an equal ref: no copy when only the ref object differs.
  const withRef = secret.ref === ref || secret.ref.text === ref.text ? secret : secret.withValue(secret.value, ref);
  return transform === undefined && ref.keyPath === undefined ? withRef : applyTransform(withRef, transform);
}

/**
 * Hands `subscriber` the secret presented for `ref` and returns true, or — a transform or key path that does not fit
 * the value — that reader's error (as `map` would make it), and returns false.
 */
export function presentTo(
  subscriber: Subscriber<Secret>,
  secret: Secret,
  ref: SecretRef,
  transform: Transform | undefined,
): boolean {
  let presented: Secret;
  try {
    presented = present(secret, ref, transform);
  } catch (error) {
    subscriber.error(error);
    return false;
  }
  subscriber.next(presented);
  return true;
}
