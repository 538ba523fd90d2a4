import pRetry from 'p-retry';
import { abortableDelay, type Deadlines, type Expiring } from './abortable.js';
import { type Duration, toMilliseconds } from './durations.js';
import { isRxSecretsError, isThrottledError, isTransientError, ProviderError, TimeoutError } from './errors/index.js';
import type { CallContext } from './provider.js';

/**
 * Retry policy for backend calls. Only transient failures (throttling, timeouts, 5xx, network) are retried,
 * with exponential backoff and jitter; a backend's retry-after hint is honoured.
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  readonly retries?: number;
  /** Delay before the first retry. Default `'100ms'`. */
  readonly minDelay?: Duration;
  /** Longest delay between attempts. Default `'5s'`. */
  readonly maxDelay?: Duration;
  /** Growth of the delay per attempt. Default 2. */
  readonly factor?: number;
  /** Multiply each delay by a random factor in [1, 2) so clients do not retry in lockstep. Default true. */
  readonly jitter?: boolean;
  /** Longest time one attempt may take before it is aborted and counted as a (transient) timeout. Default `'10s'`. */
  readonly attemptTimeout?: Duration;
  /** Longest time the whole call, all attempts and delays, may take. Default `'30s'`. */
  readonly deadline?: Duration;
}

/** {@link RetryOptions} with every field resolved to numbers. */
export interface ResolvedRetryOptions {
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  readonly jitter: boolean;
  readonly attemptTimeoutMs: number;
  readonly deadlineMs: number;
}

/** Resolves defaults and parses durations; throws a ValidationError on a bad option. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    retries: options.retries ?? 3,
    minDelayMs: toMilliseconds(options.minDelay ?? '100ms', 'retry.minDelay'),
    maxDelayMs: toMilliseconds(options.maxDelay ?? '5s', 'retry.maxDelay'),
    factor: options.factor ?? 2,
    jitter: options.jitter ?? true,
    attemptTimeoutMs: toMilliseconds(options.attemptTimeout ?? '10s', 'retry.attemptTimeout'),
    deadlineMs: toMilliseconds(options.deadline ?? '30s', 'retry.deadline'),
  };
}

/** Called before each retry, for the events stream. */
export type RetryListener = (info: { error: unknown; attempt: number; delayMs: number }) => void;

/** What a retried call is about, for messages. */
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

function timeoutError(label: CallLabel, timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `${label.provider} ${label.operation} timed out after ${timeoutMs} ms${label.ref ? ` (${label.ref})` : ''}`,
    { provider: label.provider, ...(label.ref === undefined ? {} : { ref: label.ref }) },
  );
}

/**
 * One attempt of `run` with its own AbortSignal, which fires on {@link Attempt.cancel} or after `timeoutMs` (on a
 * timer of its own, or on `deadlines`). Exactly one of `onValue` / `onError` is called, at once on a cancel or timeout
 * even when `run` ignores its signal. Callbacks rather than a promise, and no linked signals: it sits on every
 * backend call.
 */
class Attempt<T> implements Expiring {
  readonly #controller = new AbortController();
  readonly #label: CallLabel;
  readonly #timeoutMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #deadlines: Deadlines | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #settled = false;

  constructor(
    run: (ctx: CallContext) => Promise<T>,
    timeoutMs: number,
    label: CallLabel,
    onValue: (value: T) => void,
    onError: (error: unknown) => void,
    deadlines?: Deadlines,
  ) {
    this.#label = label;
    this.#timeoutMs = timeoutMs;
    this.#onError = onError;
    this.#deadlines = deadlines;
    if (Number.isFinite(timeoutMs)) {
      if (deadlines) deadlines.add(this, timeoutMs);
      else this.#timer = setTimeout(() => this.expire(), timeoutMs);
    }
    let pending: Promise<T>;
    try {
      pending = run({ signal: this.#controller.signal });
    } catch (error) {
      if (this.#settle()) onError(toRxSecretsError(error, label));
      return;
    }
    pending.then(
      (value) => {
        if (this.#settle()) onValue(value);
      },
      (error: unknown) => {
        if (this.#settle()) onError(toRxSecretsError(error, label));
      },
    );
  }

  /** Aborts the attempt with `reason`, which it fails with at once; a no-op once it has settled. */
  cancel(reason: unknown): void {
    if (!this.#settle()) return;
    this.#controller.abort(reason);
    this.#onError(reason);
  }

  /** The attempt timeout is up. */
  expire(): void {
    this.cancel(timeoutError(this.#label, this.#timeoutMs));
  }

  /** Marks the attempt settled; false when it already was. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#deadlines) this.#deadlines.delete(this);
    else clearTimeout(this.#timer);
    return true;
  }
}

/** How long the next attempt may take: the attempt timeout, cut to what is left of the deadline. */
function attemptTimeoutMs(options: ResolvedRetryOptions, started: number): number {
  return Math.max(0, Math.min(options.attemptTimeoutMs, options.deadlineMs - (Date.now() - started)));
}

/** One attempt as a promise, also aborted (and rejected at once) by the caller's `signal`. */
function attemptWithSignal<T>(
  run: (ctx: CallContext) => Promise<T>,
  signal: AbortSignal,
  options: ResolvedRetryOptions,
  started: number,
  label: CallLabel,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    const onCallerAbort = () => attempt.cancel(signal.reason);
    const attempt = new Attempt(
      run,
      attemptTimeoutMs(options, started),
      label,
      (value) => {
        settled = true;
        signal.removeEventListener('abort', onCallerAbort);
        resolve(value);
      },
      (error) => {
        settled = true;
        signal.removeEventListener('abort', onCallerAbort);
        reject(error);
      },
    );
    if (!settled) signal.addEventListener('abort', onCallerAbort, { once: true });
  });
}

/**
 * The retries after a failed first attempt (rethrows `error` when it is not worth retrying): one backoff delay,
 * then p-retry for the rest.
 */
async function retryAfterFirst<T>(
  error: unknown,
  run: (ctx: CallContext) => Promise<T>,
  signal: AbortSignal,
  options: ResolvedRetryOptions,
  started: number,
  label: CallLabel,
  onRetry: RetryListener | undefined,
): Promise<T> {
  if (signal.aborted || options.retries <= 0 || !isTransientError(error)) throw error;
  if (Date.now() - started >= options.deadlineMs) throw error;
  const backoff = Math.min(options.minDelayMs * (options.jitter ? 1 + Math.random() : 1), options.maxDelayMs);
  const hinted = isThrottledError(error) ? Math.min(error.retryAfterMs ?? 0, options.maxDelayMs * 4) : 0;
  const delayMs = Math.round(Math.max(backoff, hinted));
  onRetry?.({ error, attempt: 1, delayMs });
  await abortableDelay(delayMs, signal);
  return pRetry(() => attemptWithSignal(run, signal, options, started, label), {
    retries: options.retries - 1,
    factor: options.factor,
    minTimeout: Math.min(options.minDelayMs * options.factor, options.maxDelayMs),
    maxTimeout: options.maxDelayMs,
    randomize: options.jitter,
    maxRetryTime: Math.max(0, options.deadlineMs - (Date.now() - started)),
    signal,
    shouldRetry: ({ error }) => isTransientError(error) && Date.now() - started < options.deadlineMs,
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
      if (!isTransientError(error) || signal.aborted || retriesLeft <= 0) return;
      const hinted = isThrottledError(error) ? (error.retryAfterMs ?? 0) : 0;
      const extra = Math.max(0, hinted - retryDelay);
      onRetry?.({ error, attempt: attemptNumber + 1, delayMs: retryDelay + extra });
      if (extra > 0) await abortableDelay(Math.min(extra, options.maxDelayMs * 4), signal);
    },
  });
}

/**
 * Runs `run` with retries: each attempt gets its own AbortSignal that fires on the caller's abort, on the attempt
 * timeout, or at the overall deadline. Aborting `signal` stops at once, including between attempts.
 */
export async function withRetry<T>(
  run: (ctx: CallContext) => Promise<T>,
  signal: AbortSignal,
  options: ResolvedRetryOptions,
  label: CallLabel,
  onRetry?: RetryListener,
): Promise<T> {
  const started = Date.now();
  // The first attempt runs without p-retry: most calls succeed at once, and p-retry's bookkeeping (signals,
  // listeners, timers) would otherwise cost more than a cached read.
  try {
    return await attemptWithSignal(run, signal, options, started, label);
  } catch (error) {
    return retryAfterFirst(error, run, signal, options, started, label, onRetry);
  }
}

/**
 * {@link withRetry} driven by callbacks and stopped by {@link RetriedCall.cancel}, for the Observable path of the
 * facade. The first attempt has the only AbortSignal (creating one costs microseconds), and its timeout is one of
 * `deadlines` rather than a timer of its own; a call-level signal is made only when a retry is needed. Exactly one of `onValue` / `onError` is called: never from within the constructor,
 * and at once on a cancel.
 */
export class RetriedCall<T> {
  readonly #first: Attempt<T>;
  #cancelled = false;
  #retrying: AbortController | undefined;

  constructor(
    run: (ctx: CallContext) => Promise<T>,
    options: ResolvedRetryOptions,
    label: CallLabel,
    onValue: (value: T) => void,
    onError: (error: unknown) => void,
    deadlines: Deadlines,
    onRetry?: RetryListener,
  ) {
    const started = Date.now();
    this.#first = new Attempt(
      run,
      attemptTimeoutMs(options, started),
      label,
      onValue,
      (error) => {
        if (this.#cancelled) {
          onError(error);
          return;
        }
        const retrying = new AbortController();
        this.#retrying = retrying;
        retryAfterFirst(error, run, retrying.signal, options, started, label, onRetry).then(onValue, onError);
      },
      deadlines,
    );
  }

  /** Stops the call (aborting the attempt or the delay in progress); it fails with `reason` at once. */
  cancel(reason: unknown): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#first.cancel(reason);
    this.#retrying?.abort(reason);
  }
}
