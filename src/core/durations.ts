import { ValidationError } from './errors/index.js';

/** A duration: milliseconds as a number, or a string such as `'250ms'`, `'30s'`, `'15m'`, `'1h'`, `'1d'`, `'1m30s'`. */
export type Duration = number | string;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Converts a {@link Duration} to milliseconds. `Infinity` is allowed (no limit); negative, NaN or malformed
 * values throw a {@link ValidationError} naming the option.
 */
export function toMilliseconds(duration: Duration, optionName = 'duration'): number {
  if (typeof duration !== 'number' && typeof duration !== 'string') {
    const got = duration === null ? 'null' : Array.isArray(duration) ? 'an array' : `a ${typeof duration}`;
    throw new ValidationError(`${optionName} must be milliseconds or a string like '30s'; got ${got}`);
  }
  if (typeof duration === 'number') {
    if (Number.isNaN(duration) || duration < 0) {
      throw new ValidationError(`${optionName} must be a non-negative number of milliseconds, got ${duration}`);
    }
    return duration;
  }
  const text = duration.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  let total = 0;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(text); match; match = PART.exec(text)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] ?? Number.NaN);
    consumed = PART.lastIndex;
  }
  if (text.length === 0 || consumed !== text.length || Number.isNaN(total)) {
    throw new ValidationError(
      `${optionName} must be milliseconds or a string like '500ms', '30s', '15m', '1h', '1d'; got '${duration.slice(0, 40)}'`,
    );
  }
  return total;
}
