import pRetry from 'p-retry';
import { abortableDelay } from './abortable.js';
import { Attempt, type CallLabel } from './attempt.js';
import { type Duration, toMilliseconds } from './durations.js';
import { isThrottledError, isTransientError } from './errors/index.js';
import { checkOptions } from './options/check-options.js';
import { RETRY_SPEC } from './options/core-option-specs.js';
import type { CallContext } from './provider.js';

export { type CallLabel, toRxSecretsError } from './attempt.js';

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
  checkOptions('retry', options, RETRY_SPEC);
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

/**
 * `base` with the fields `override` sets replaced: a per-call override may ask for more or less than the client's
 * policy. Throws a ValidationError on a bad field.
 */
export function overrideRetry(base: ResolvedRetryOptions, override: RetryOptions | undefined): ResolvedRetryOptions {
  if (override === undefined) return base;
  const ms = (value: Duration | undefined, name: string, fallback: number) =>
    value === undefined ? fallback : toMilliseconds(value, `retry.${name}`);
  return {
    retries: override.retries ?? base.retries,
    minDelayMs: ms(override.minDelay, 'minDelay', base.minDelayMs),
    maxDelayMs: ms(override.maxDelay, 'maxDelay', base.maxDelayMs),
    factor: override.factor ?? base.factor,
    jitter: override.jitter ?? base.jitter,
    attemptTimeoutMs: ms(override.attemptTimeout, 'attemptTimeout', base.attemptTimeoutMs),
    deadlineMs: ms(override.deadline, 'deadline', base.deadlineMs),
  };
}

/**
 * `base` narrowed by a provider's own policy: fewer retries, shorter attempt timeout, deadline and longest delay
 * win; the provider's first delay, factor and jitter apply where it sets them. A provider can make its calls give up
 * sooner than the client's policy, never later.
 */
export function narrowRetry(base: ResolvedRetryOptions, narrower: RetryOptions | undefined): ResolvedRetryOptions {
  if (narrower === undefined) return base;
  const own = overrideRetry(base, narrower);
  return {
    ...own,
    retries: Math.min(base.retries, own.retries),
    maxDelayMs: Math.min(base.maxDelayMs, own.maxDelayMs),
    attemptTimeoutMs: Math.min(base.attemptTimeoutMs, own.attemptTimeoutMs),
    deadlineMs: Math.min(base.deadlineMs, own.deadlineMs),
  };
}

/** Called before each retry, for the events stream. */
export type RetryListener = (info: { error: unknown; attempt: number; delayMs: number }) => void;

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
    const attempt = new Attempt(run, attemptTimeoutMs(options, started), label, {
      attemptSucceeded(value: T) {
        settled = true;
        signal.removeEventListener('abort', onCallerAbort);
        resolve(value);
      },
      attemptFailed(error: unknown) {
        settled = true;
        signal.removeEventListener('abort', onCallerAbort);
        reject(error);
      },
    });
    if (!settled) signal.addEventListener('abort', onCallerAbort, { once: true });
  });
}

/**
 * The retries after a failed first attempt (rethrows `error` when it is not worth retrying): one backoff delay,
 * then p-retry for the rest.
 */
export async function retryAfterFirst<T>(
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
