import { Observable, type Observer, type Unsubscribable } from 'rxjs';
import { UnsubscribedAbort } from './abortable.js';
import { ActiveCall, ActiveCalls } from './active-calls.js';
import { type CallLabel, timeoutError, toRxSecretsError } from './attempt.js';
import type { CallContext, SecretProvider } from './provider.js';
import type { SecretRef } from './ref.js';
import {
  overrideRetry,
  type ResolvedRetryOptions,
  type RetryListener,
  type RetryOptions,
  retryAfterFirst,
} from './retry.js';

/** Told before each retry of a provider call, for the events stream. */
export type CallRetryListener = (label: CallLabel, info: Parameters<RetryListener>[0]) => void;

/**
 * Runs one logical provider operation as a cold Observable: retries, per-attempt timeout, overall deadline, and an
 * AbortSignal (per attempt) that fires when the subscriber leaves or the client closes.
 */
export interface ProviderCall {
  <T>(operation: string, run: (ctx: CallContext) => Promise<T>, ref?: SecretRef): Observable<T>;
  /**
   * The same call for an observer, without an Observable layer (the cache's fetches sit on every miss); the job is
   * made once by the caller. The observer hears one outcome, never from within `start` unless the client is already
   * closed, and nothing after the returned handle is unsubscribed; unsubscribing before the outcome aborts the call.
   */
  start<T>(job: CallJob<T>, observer: Observer<T>): Unsubscribable;
  /**
   * The same pipeline with `retry` overriding this client's policy (a per-call `retry` option): same calls list,
   * same close, same retry events. Without an override, this call itself.
   */
  with(retry: RetryOptions | undefined): ProviderCall;
}

/** One call as {@link ProviderCall.start} takes it: what it is about, and one attempt of it. */
export interface CallJob<T> {
  readonly label: CallLabel;
  run(ctx: CallContext): Promise<T>;
}

/** What every call of one provider shares. */
interface CallSite {
  readonly options: ResolvedRetryOptions;
  /** Calls in flight, cancelled together on close: cheaper than linking every call's signal to `closed`. */
  readonly calls: ActiveCalls;
  readonly onRetry: CallRetryListener | undefined;
}

/**
 * One provider call with retries, reporting to an observer. It runs the first attempt itself (its AbortSignal, its
 * timeout timer): most calls succeed at once, and an attempt object, a sink and a call-level
 * signal per call would cost more than the rest of a fast call. Only a retry makes a call-level signal and an object
 * per later attempt (`retryAfterFirst`). The observer hears one outcome (never from within the constructor), or
 * nothing once it unsubscribed.
 */
class RetriedCall<T> extends ActiveCall implements Unsubscribable {
  readonly #first = new AbortController();
  readonly #job: CallJob<T>;
  readonly #site: CallSite;
  readonly #started: number;
  readonly #timeoutMs: number;
  #firstSettled = false;
  /** Until the outcome is known (or the observer left). */
  #observer: Observer<T> | undefined;
  #retrying: AbortController | undefined;

  constructor(job: CallJob<T>, observer: Observer<T>, site: CallSite) {
    super();
    this.#job = job;
    this.#site = site;
    this.#observer = observer;
    const now = Date.now();
    this.#started = now;
    const { attemptTimeoutMs, deadlineMs } = site.options;
    this.#timeoutMs = Math.max(0, Math.min(attemptTimeoutMs, deadlineMs));
    site.calls.add(this, this.#timeoutMs);
    let pending: Promise<T>;
    try {
      pending = job.run({ signal: this.#first.signal });
    } catch (error) {
      if (this.#settleFirst()) this.#retry(toRxSecretsError(error, job.label));
      return;
    }
    pending.then(
      (value) => {
        if (this.#settleFirst()) this.#succeed(value);
      },
      (error: unknown) => {
        if (this.#settleFirst()) this.#retry(toRxSecretsError(error, job.label));
      },
    );
  }

  /** The first attempt's timeout is up: it is aborted, and retried like any transient failure. */
  expire(): void {
    if (!this.#settleFirst()) return;
    const error = timeoutError(this.#job.label, this.#timeoutMs);
    this.#first.abort(error);
    this.#retry(error);
  }

  /** Stops the call (the attempt or the delay in progress); the observer hears `reason` at once. */
  cancel(reason: unknown): void {
    this.#take()?.error(this.#abort(reason));
  }

  /** Stops the call without a word to the observer: it left. */
  unsubscribe(): void {
    if (this.#take() !== undefined) this.#abort(new UnsubscribedAbort());
  }

  /** Marks the first attempt settled; false when it already was (timed out or cancelled). */
  #settleFirst(): boolean {
    if (this.#firstSettled) return false;
    this.#firstSettled = true;
    this.#site.calls.clearDeadline(this);
    return true;
  }

  #retry(error: unknown): void {
    if (this.#observer === undefined) return;
    const retrying = new AbortController();
    this.#retrying = retrying;
    const { options, onRetry } = this.#site;
    const job = this.#job;
    const listener: RetryListener | undefined = onRetry && ((info) => onRetry(job.label, info));
    const run = (ctx: CallContext) => job.run(ctx);
    retryAfterFirst(error, run, retrying.signal, options, this.#started, job.label, listener).then(
      (value) => this.#succeed(value),
      (failure: unknown) => this.#take()?.error(failure),
    );
  }

  #succeed(value: T): void {
    const observer = this.#take();
    if (observer === undefined) return;
    observer.next(value);
    observer.complete();
  }

  #abort(reason: unknown): unknown {
    if (this.#settleFirst()) this.#first.abort(reason);
    this.#retrying?.abort(reason);
    return reason;
  }

  /** The observer, taken away so that nothing else reaches it. */
  #take(): Observer<T> | undefined {
    const observer = this.#observer;
    if (observer !== undefined) {
      this.#observer = undefined;
      this.#site.calls.remove(this);
    }
    return observer;
  }
}

const NOTHING: Unsubscribable = { unsubscribe() {} };

/** Builds the {@link ProviderCall} of one provider. `closed` aborts every call in flight when the client closes. */
export function createProviderCall(
  provider: Pick<SecretProvider, 'scheme'>,
  retry: ResolvedRetryOptions,
  closed: AbortSignal,
  onRetry?: CallRetryListener,
): ProviderCall {
  const site: CallSite = { options: retry, calls: new ActiveCalls(), onRetry };
  closed.addEventListener('abort', () => site.calls.cancelAll(closed.reason), { once: true });
  return callOfSite(provider.scheme, site, closed);
}

function callOfSite(scheme: string, site: CallSite, closed: AbortSignal): ProviderCall {
  const start = <T>(job: CallJob<T>, observer: Observer<T>) => {
    if (closed.aborted) {
      observer.error(closed.reason);
      return NOTHING;
    }
    return new RetriedCall(job, observer, site);
  };
  const call = <T>(operation: string, run: (ctx: CallContext) => Promise<T>, ref?: SecretRef) =>
    new Observable<T>((subscriber) =>
      start({ label: { provider: scheme, operation, ref: ref?.text }, run }, subscriber),
    );
  const self: ProviderCall = Object.assign(call, {
    start,
    with(override: RetryOptions | undefined): ProviderCall {
      if (override === undefined) return self;
      return callOfSite(scheme, { ...site, options: overrideRetry(site.options, override) }, closed);
    },
  });
  return self;
}
