import pRetry from 'p-retry';
import { abortableDelay, linkedAbortController, raceAbort } from './abortable.js';
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
  readonly ref?: string;
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
  const attempt = async (): Promise<T> => {
    const remaining = options.deadlineMs - (Date.now() - started);
    const timeoutMs = Math.max(0, Math.min(options.attemptTimeoutMs, remaining));
    const controller = linkedAbortController(signal);
    let timeoutError: TimeoutError | undefined;
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          timeoutError = new TimeoutError(
            `${label.provider} ${label.operation} timed out after ${timeoutMs} ms${label.ref ? ` (${label.ref})` : ''}`,
            { provider: label.provider, ...(label.ref === undefined ? {} : { ref: label.ref }) },
          );
          controller.abort(timeoutError);
        }, timeoutMs)
      : undefined;
    try {
      return await raceAbort(
        Promise.resolve().then(() => run({ signal: controller.signal })),
        controller.signal,
      );
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toRxSecretsError(
        timeoutError !== undefined && controller.signal.reason === timeoutError ? timeoutError : error,
        label,
      );
    } finally {
      clearTimeout(timer);
      controller.dispose();
    }
  };
  return pRetry(attempt, {
    retries: options.retries,
    factor: options.factor,
    minTimeout: options.minDelayMs,
    maxTimeout: options.maxDelayMs,
    randomize: options.jitter,
    maxRetryTime: options.deadlineMs,
    signal,
    shouldRetry: ({ error }) => isTransientError(error) && Date.now() - started < options.deadlineMs,
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
      if (!isTransientError(error) || signal.aborted || retriesLeft <= 0) return;
      const hinted = isThrottledError(error) ? (error.retryAfterMs ?? 0) : 0;
      const extra = Math.max(0, hinted - retryDelay);
      onRetry?.({ error, attempt: attemptNumber, delayMs: retryDelay + extra });
      if (extra > 0) await abortableDelay(Math.min(extra, options.maxDelayMs * 4), signal);
    },
  });
}
