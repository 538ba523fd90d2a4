import { AwsServiceError } from './errors.js';
import type { RandomSource } from './random.js';
import type { AwsCallInfo, AwsServiceName } from './services.js';

/**
 * What a fault does to a matching call:
 * - `throttle`: `ThrottlingException` (HTTP 400, "Rate exceeded"), which the SDK retries with backoff;
 * - `internal-error`: HTTP 500, `InternalServerError` (SSM) or `InternalServiceError` (Secrets Manager);
 * - `unavailable`: HTTP 503 `ServiceUnavailable`;
 * - `latency`: delays the call by `latencyMs`, then lets it proceed (it adds up with other rules);
 * - `hang`: never answers; the request stays open until the client aborts or the emulator stops;
 * - `invalid-input`: HTTP 400 `ValidationException` whose message quotes every string member of the request, as
 *   AWS's own validation messages quote input ("Value '…' at 'value' failed to satisfy constraint"): a value,
 *   the base64 of a binary secret. It proves a client never lets such text reach its callers.
 */
export type AwsFaultKind = 'throttle' | 'internal-error' | 'unavailable' | 'latency' | 'hang' | 'invalid-input';

/**
 * A fault rule. Without `count` and `rate` it acts on every matching call until removed.
 *
 * @example
 * emulator.faults.add({ kind: 'throttle', operation: 'GetParameter', count: 3 }); // the next 3 calls
 * emulator.faults.add({ kind: 'internal-error', service: 'secretsmanager', rate: 0.1 }); // 10% of calls
 * emulator.faults.add({ kind: 'hang', operation: 'ssm.GetParameter', after: 2, count: 1 }); // the 3rd call
 */
export interface AwsFaultRule {
  /** What the fault does. */
  kind: AwsFaultKind;
  /** Only calls to this service. */
  service?: AwsServiceName;
  /** Only these operations: `GetParameter` (any service) or `ssm.GetParameter`. */
  operation?: string | readonly string[];
  /** Act on this many calls, then remove the rule. */
  count?: number;
  /** Probability (0–1) of acting on each matching call, drawn from `random` (or the emulator's). */
  rate?: number;
  /** Let this many matching calls through first. */
  after?: number;
  /** Delay for `latency` (milliseconds). */
  latencyMs?: number;
  /** Error code to answer instead of the default, e.g. `TooManyRequestsException` for a throttle. */
  errorCode?: string;
  /** HTTP status to answer instead of the default. */
  statusCode?: number;
  /** Error message instead of the default, or a function of the request's JSON input (to echo part of it). */
  message?: string | ((input: Readonly<Record<string, unknown>>) => string);
  /** Random source for `rate`; a `seededRandom(seed)` makes a run reproducible. */
  random?: RandomSource;
}

/** A rule added to the schedule, with its progress. */
export interface AwsFault {
  /** The rule as added. */
  readonly rule: Readonly<AwsFaultRule>;
  /** Calls this rule acted on so far. */
  readonly hits: number;
  /** Calls it will still act on (`Infinity` without `count`). */
  readonly remaining: number;
  /** False once removed or its `count` is used up. */
  readonly active: boolean;
  /** Removes the rule now. */
  remove(): void;
}

/** @internal What the HTTP layer must do to a call. */
export interface FaultDecision {
  delayMs: number;
  outcome?: { kind: 'error'; error: AwsServiceError } | { kind: 'hang' };
}

class ScheduledFault implements AwsFault {
  readonly rule: Readonly<AwsFaultRule>;
  hits = 0;
  remaining: number;
  active = true;
  seen = 0;
  readonly #owner: AwsFaults;

  constructor(rule: AwsFaultRule, owner: AwsFaults) {
    this.rule = Object.freeze({ ...rule });
    this.remaining = rule.count ?? Number.POSITIVE_INFINITY;
    this.#owner = owner;
  }

  remove(): void {
    this.active = false;
    this.#owner.detach(this);
  }

  matches(call: AwsCallInfo): boolean {
    const { service, operation } = this.rule;
    if (service !== undefined && service !== call.service) return false;
    if (operation === undefined) return true;
    const wanted = typeof operation === 'string' ? [operation] : operation;
    return wanted.some((op) => op === call.operation || op === call.key);
  }
}

function validate(rule: AwsFaultRule): void {
  const { count, rate, after, latencyMs } = rule;
  if (count !== undefined && !(Number.isInteger(count) && count > 0))
    throw new RangeError('count must be a positive integer');
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError('rate must be between 0 and 1');
  if (after !== undefined && !(Number.isInteger(after) && after >= 0))
    throw new RangeError('after must be an integer >= 0');
  if (rule.kind === 'latency' && !(latencyMs !== undefined && latencyMs >= 0)) {
    throw new RangeError('a latency fault needs latencyMs >= 0');
  }
}

/** AWS's wording of a validation failure, quoting each string member of the input. */
function echoInput(input: Readonly<Record<string, unknown>>): string {
  const quoted = Object.entries(input).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  const details = quoted.map(([key, value]) => `Value '${value}' at '${key}' failed to satisfy constraint`);
  return `${details.length} validation error${details.length === 1 ? '' : 's'} detected: ${details.join('; ')}`;
}

function faultError(
  rule: Readonly<AwsFaultRule>,
  service: AwsServiceName,
  input: () => Readonly<Record<string, unknown>>,
): AwsServiceError {
  const defaults: Record<string, { code: string; status: number; message: string }> = {
    throttle: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
    'internal-error': {
      code: service === 'ssm' ? 'InternalServerError' : 'InternalServiceError',
      status: 500,
      message: 'An error occurred on the server side.',
    },
    unavailable: { code: 'ServiceUnavailable', status: 503, message: 'Service Unavailable' },
  };
  const base =
    rule.kind === 'invalid-input'
      ? { code: 'ValidationException', status: 400, message: echoInput(input()) }
      : (defaults[rule.kind] ?? { code: 'InternalFailure', status: 500, message: 'Internal failure' });
  const message = typeof rule.message === 'function' ? rule.message(input()) : (rule.message ?? base.message);
  return new AwsServiceError(rule.errorCode ?? base.code, message, {
    statusCode: rule.statusCode ?? base.status,
  });
}

/**
 * The fault schedule of an emulator: rules are checked in the order added, for every routed call.
 * Latency rules add up; the first error or hang rule that acts decides the answer.
 */
export class AwsFaults {
  #rules: ScheduledFault[] = [];
  readonly #random: RandomSource;

  /** @param random default random source for `rate` rules. */
  constructor(random: RandomSource) {
    this.#random = random;
  }

  /** Adds a rule; returns a handle to follow or remove it. Throws `RangeError` for an invalid rule. */
  add(rule: AwsFaultRule): AwsFault {
    validate(rule);
    const fault = new ScheduledFault(rule, this);
    this.#rules.push(fault);
    return fault;
  }

  /** Removes every rule. */
  clear(): void {
    for (const rule of this.#rules) rule.active = false;
    this.#rules = [];
  }

  /** The active rules, in the order they are checked. */
  get rules(): readonly AwsFault[] {
    return [...this.#rules];
  }

  /** @internal */
  detach(fault: AwsFault): void {
    this.#rules = this.#rules.filter((rule) => rule !== fault);
  }

  /**
   * @internal Applies the schedule to one call, consuming counts of the rules that act; `input` reads the call's
   * JSON input (for faults that quote it).
   */
  decide(call: AwsCallInfo, input: () => Readonly<Record<string, unknown>> = () => ({})): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    for (const fault of [...this.#rules]) {
      if (!fault.matches(call)) continue;
      fault.seen += 1;
      if (fault.seen <= (fault.rule.after ?? 0)) continue;
      if (fault.rule.rate !== undefined && (fault.rule.random ?? this.#random)() >= fault.rule.rate) continue;
      fault.hits += 1;
      fault.remaining -= 1;
      if (fault.remaining <= 0) fault.remove();
      if (fault.rule.kind === 'latency') {
        decision.delayMs += fault.rule.latencyMs ?? 0;
        continue;
      }
      decision.outcome =
        fault.rule.kind === 'hang'
          ? { kind: 'hang' }
          : { kind: 'error', error: faultError(fault.rule, call.service, input) };
      break;
    }
    return decision;
  }
}
