import { isRxSecretsError, ProviderError, TimeoutError } from './errors/index.js';
import type { CallContext } from './provider.js';

/** What a backend call is about, for messages and retry events. */
export interface CallLabel {
  readonly provider: string;
  readonly operation: string;
  readonly ref?: string | undefined;
}

/** Wraps anything that is not an rxsecrets error, without quoting its message (it may echo a value). */
export function toRxSecretsError(error: unknown, label: CallLabel): unknown {
  if (isRxSecretsError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const kind = error instanceof Error ? error.name : typeof error;
  return new ProviderError(`${label.provider} ${label.operation} failed (${kind})`, {
    cause: error,
    provider: label.provider,
    ...(label.ref === undefined ? {} : { ref: label.ref }),
  });
}

/** The error of an attempt that took longer than `timeoutMs`. */
export function timeoutError(label: CallLabel, timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `${label.provider} ${label.operation} timed out after ${timeoutMs} ms${label.ref ? ` (${label.ref})` : ''}`,
    { provider: label.provider, ...(label.ref === undefined ? {} : { ref: label.ref }) },
  );
}

/** Where an {@link Attempt} reports how it ended: exactly one of the two methods is called, once. */
export interface AttemptSink<T> {
  attemptSucceeded(value: T): void;
  attemptFailed(error: unknown): void;
}

/**
 * One attempt of `run` with its own AbortSignal, which fires on {@link Attempt.cancel} or after `timeoutMs`. It
 * reports to `sink` at once on a cancel or timeout, even when `run` ignores its signal.
 */
export class Attempt<T> {
  readonly #controller = new AbortController();
  readonly #label: CallLabel;
  readonly #timeoutMs: number;
  readonly #sink: AttemptSink<T>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #settled = false;

  constructor(run: (ctx: CallContext) => Promise<T>, timeoutMs: number, label: CallLabel, sink: AttemptSink<T>) {
    this.#label = label;
    this.#timeoutMs = timeoutMs;
    this.#sink = sink;
    if (Number.isFinite(timeoutMs)) this.#timer = setTimeout(() => this.expire(), timeoutMs);
    let pending: Promise<T>;
    try {
      pending = run({ signal: this.#controller.signal });
    } catch (error) {
      if (this.#settle()) sink.attemptFailed(toRxSecretsError(error, label));
      return;
    }
    pending.then(
      (value) => {
        if (this.#settle()) sink.attemptSucceeded(value);
      },
      (error: unknown) => {
        if (this.#settle()) sink.attemptFailed(toRxSecretsError(error, label));
      },
    );
  }

  /** Aborts the attempt with `reason`, which it fails with at once; a no-op once it has settled. */
  cancel(reason: unknown): void {
    if (!this.#settle()) return;
    this.#controller.abort(reason);
    this.#sink.attemptFailed(reason);
  }

  /** The attempt timeout is up. */
  expire(): void {
    this.cancel(timeoutError(this.#label, this.#timeoutMs));
  }

  /** Marks the attempt settled; false when it already was. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    return true;
  }
}
