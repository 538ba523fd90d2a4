import { isObservable } from 'rxjs';
import { toMilliseconds } from '../durations.js';
import { ValidationError } from '../errors/index.js';

/** Checks one option's value; throws a ValidationError naming the option (`name`, e.g. `'retry.retries'`). */
export type OptionRule = (value: unknown, name: string) => void;

/** The rules of one options bag, by key; `aliases` maps other libraries' names to ours for hints. */
export interface OptionSpec {
  readonly rules: Readonly<Record<string, OptionRule>>;
  readonly aliases?: Readonly<Record<string, string>>;
}

/** What a value looks like in a message: its type, never its content (an option may hold a secret). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  const type = typeof value;
  if (type === 'number') return Number.isNaN(value) ? 'NaN' : `the number ${String(value)}`;
  if (type === 'object') return 'an object';
  return `a ${type}`;
}

function fail(name: string, accepts: string, value: unknown): never {
  throw new ValidationError(`option '${name}' must be ${accepts}; got ${describeType(value)}`);
}

/** `true` or `false`. */
export const bool: OptionRule = (value, name) => {
  if (typeof value !== 'boolean') fail(name, 'true or false', value);
};

/** Any string (`nonEmpty`: at least one character). */
export function str(options: { nonEmpty?: boolean } = {}): OptionRule {
  return (value, name) => {
    if (typeof value !== 'string') fail(name, 'a string', value);
    if (options.nonEmpty === true && value.length === 0) fail(name, 'a non-empty string', value);
  };
}

/** A finite number in a range; `integer` for whole numbers. */
export function num(options: { min?: number; max?: number; integer?: boolean; above?: number } = {}): OptionRule {
  const { min, max, integer, above } = options;
  const parts = [integer === true ? 'a whole number' : 'a number'];
  if (above !== undefined) parts.push(`above ${above}`);
  if (min !== undefined && max !== undefined) parts.push(`from ${min} to ${max}`);
  else if (min !== undefined) parts.push(`of at least ${min}`);
  else if (max !== undefined) parts.push(`of at most ${max}`);
  const accepts = parts.join(' ');
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, accepts, value);
    if (integer === true && !Number.isInteger(value)) fail(name, accepts, value);
    if (min !== undefined && value < min) fail(name, accepts, value);
    if (max !== undefined && value > max) fail(name, accepts, value);
    if (above !== undefined && value <= above) fail(name, accepts, value);
  };
}

/** A Duration: milliseconds, or a string like `'30s'`. */
export const duration: OptionRule = (value, name) => {
  if (typeof value !== 'number' && typeof value !== 'string') {
    fail(name, "a duration (milliseconds, or a string like '30s')", value);
  }
  toMilliseconds(value, name);
};

/** One of the listed literal values. */
export function oneOf(values: readonly unknown[]): OptionRule {
  const accepts = `one of ${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`;
  return (value, name) => {
    if (!values.includes(value)) {
      throw new ValidationError(
        `option '${name}' must be ${accepts}; got ${typeof value === 'string' ? `'${value.slice(0, 40)}'` : describeType(value)}`,
      );
    }
  };
}

/** A function. */
export const func: OptionRule = (value, name) => {
  if (typeof value !== 'function') fail(name, 'a function', value);
};

/** A valid Date (not `new Date('x')`). */
export const date: OptionRule = (value, name) => {
  if (!(value instanceof Date)) fail(name, 'a Date', value);
  if (Number.isNaN(value.getTime())) throw new ValidationError(`option '${name}' is an invalid Date`);
};

/** An AbortSignal. */
export const signal: OptionRule = (value, name) => {
  if (!(value instanceof AbortSignal)) fail(name, 'an AbortSignal', value);
};

/** An rxjs Observable (or anything with the interop `subscribe`). */
export const observable: OptionRule = (value, name) => {
  if (!isObservable(value)) fail(name, 'an Observable', value);
};

/** A plain object of string values (tags, attributes). */
export const stringMap: OptionRule = (value, name) => {
  if (!isPlainObject(value)) fail(name, 'an object of string values', value);
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') {
      throw new ValidationError(
        `option '${name}' must map names to strings; '${key.slice(0, 40)}' is ${describeType(entry)}`,
      );
    }
  }
};

/** Any object (an injected client, a credential): only its presence is checked. */
export const anyObject: OptionRule = (value, name) => {
  if (typeof value !== 'object' || value === null) fail(name, 'an object', value);
};

/** Anything: the option is known, its type is the user's business (a persisted value, a random source). */
export const anything: OptionRule = () => {};

/** The first rule that accepts the value wins; the error names every alternative. */
export function either(accepts: string, ...rules: OptionRule[]): OptionRule {
  return (value, name) => {
    for (const rule of rules) {
      try {
        rule(value, name);
        return;
      } catch {
        // try the next alternative
      }
    }
    fail(name, accepts, value);
  };
}

/** Whether `value` is a plain object (`{…}` or `Object.create(null)`), not a class instance or array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
