/**
 * Fault injection: throttling, server errors, latency and hung requests, either scheduled for the next N
 * matching requests or drawn at a seeded rate. Faults apply only to authenticated requests (after the
 * challenge), so the SDK's handshake never consumes them.
 * @module
 */
import { seededRandom } from '../shared/seeded-random.js';
import type { KeyVaultRoute } from './routes.js';

/** How a throttling answer tells the client when to retry. */
export type RetryAfterHint =
  /** `Retry-After: <seconds>`. */
  | { readonly seconds: number }
  /** `retry-after-ms: <ms>` (default header) or `x-ms-retry-after-ms: <ms>`. */
  | { readonly ms: number; readonly header?: 'retry-after-ms' | 'x-ms-retry-after-ms' };

/** A fault the emulator can inject in place of (or before) the normal answer. */
export type KeyVaultFault =
  /**
   * 429 (or 503) with `{"error":{"code":"Throttled"}}`. The Azure SDK retries only when `retryAfter` is given;
   * without it the call fails at once.
   */
  | { readonly kind: 'throttle'; readonly retryAfter?: RetryAfterHint; readonly status?: 429 | 503 }
  /** A server error, 500 by default, with the given error code (default `InternalServerError`). */
  | { readonly kind: 'server-error'; readonly status?: number; readonly code?: string }
  /** Waits `ms` before handling the request normally. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Never answers: the request stays open until the client aborts it or the emulator stops. */
  | { readonly kind: 'hang' }
  /**
   * Reads the request, then refuses it: 400 `BadParameter` (or `status`/`code`) with a message that quotes the
   * request's `value` ("The value '…' is not valid"), or `message(body)` to quote any part of it. It proves that
   * a client lets no such echo of a value reach its callers.
   */
  | {
      readonly kind: 'reject';
      readonly status?: number;
      readonly code?: string;
      readonly message?: (body: unknown) => string;
    };

/** Which requests a fault applies to; an empty filter matches every request. */
export interface FaultFilter {
  /** One operation or several, e.g. `'GET /secrets/{name}/{version}'`. */
  readonly route?: KeyVaultRoute | readonly KeyVaultRoute[];
  /** HTTP method, e.g. `'GET'`. */
  readonly method?: string;
}

/** Options of {@link KeyVaultFaults.schedule}. */
export interface ScheduledFaultOptions extends FaultFilter {
  /** How many matching requests get the fault (default 1). */
  readonly times?: number;
}

/** Options of {@link KeyVaultFaults.atRate}. */
export interface RateFaultOptions extends FaultFilter {
  /** Probability in [0, 1] that a matching request gets the fault. */
  readonly rate: number;
  /** Seed of the random sequence (default 1): the same seed fails the same requests. */
  readonly seed?: number;
}

/** A scheduled fault, to wait until requests have taken it. */
export interface ScheduledFault {
  /** Resolves once the last scheduled occurrence has been given to a request (e.g. a hung request has arrived). */
  readonly consumed: Promise<void>;
  /** Occurrences not yet taken. */
  readonly remaining: number;
}

/** Controls the faults an emulator injects. Scheduled faults are consumed first, in the order added. */
export interface KeyVaultFaults {
  /** Gives the next `times` matching requests this fault. */
  schedule(fault: KeyVaultFault, options?: ScheduledFaultOptions): ScheduledFault;
  /** Gives each matching request this fault with probability `rate`, drawn from a seeded generator. */
  atRate(fault: KeyVaultFault, options: RateFaultOptions): void;
  /** Removes every scheduled and rate fault. */
  clear(): void;
  /** How many scheduled faults are still waiting for a matching request. */
  readonly pending: number;
}

interface ScheduledRule extends ScheduledFault {
  fault: KeyVaultFault;
  filter: FaultFilter;
  remaining: number;
  markConsumed(): void;
}

interface RateRule {
  fault: KeyVaultFault;
  filter: FaultFilter;
  rate: number;
  random: () => number;
}

/** The fault registry of one emulator. @internal */
export class FaultInjector implements KeyVaultFaults {
  #scheduled: ScheduledRule[] = [];
  #rates: RateRule[] = [];

  schedule(fault: KeyVaultFault, options: ScheduledFaultOptions = {}): ScheduledFault {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError('faults.schedule: times must be a positive integer');
    }
    let markConsumed = () => {};
    const consumed = new Promise<void>((resolve) => {
      markConsumed = resolve;
    });
    const rule: ScheduledRule = { fault, filter: options, remaining: times, consumed, markConsumed };
    this.#scheduled.push(rule);
    return rule;
  }

  atRate(fault: KeyVaultFault, options: RateFaultOptions): void {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError('faults.atRate: rate must be within [0, 1]');
    this.#rates.push({ fault, filter: options, rate: options.rate, random: seededRandom(options.seed ?? 1) });
  }

  clear(): void {
    this.#scheduled = [];
    this.#rates = [];
  }

  get pending(): number {
    return this.#scheduled.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** The fault for this request, if any (consumes one scheduled occurrence). */
  take(route: KeyVaultRoute, method: string): KeyVaultFault | undefined {
    const scheduled = this.#scheduled.find((rule) => matches(rule.filter, route, method));
    if (scheduled) {
      scheduled.remaining -= 1;
      if (scheduled.remaining === 0) {
        this.#scheduled.splice(this.#scheduled.indexOf(scheduled), 1);
        scheduled.markConsumed();
      }
      return scheduled.fault;
    }
    for (const rule of this.#rates) {
      if (matches(rule.filter, route, method) && rule.random() < rule.rate) return rule.fault;
    }
    return undefined;
  }
}

function matches(filter: FaultFilter, route: KeyVaultRoute, method: string): boolean {
  if (filter.method && filter.method.toUpperCase() !== method.toUpperCase()) return false;
  if (filter.route === undefined) return true;
  return typeof filter.route === 'string' ? filter.route === route : filter.route.includes(route);
}
