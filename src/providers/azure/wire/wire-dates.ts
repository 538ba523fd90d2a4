/**
 * The SDK (4.12) writes `attributes.nbf` and `attributes.exp` as `(date.getTime() / 1000) | 0`: a 32-bit integer,
 * so a date after 2038-01-19 goes out negative (2050 becomes 1913) and the secret is then refused as expired. This
 * puts the lost high bit back on the wire: a negative second count in a request body is the wrapped form of a date
 * in 2038–2106 (a secret's validity dates are never before 1970). Dates from 2106-02-07 on ({@link LAST_WIRE_DATE_MS})
 * wrap to positive values that cannot be told apart from real ones: option validation must refuse them.
 * @module
 */

const WRAP = 2 ** 32;
/** The first instant the SDK's 32-bit serializer cannot carry even with the repair (2106-02-07T06:28:16Z). */
export const LAST_WIRE_DATE_MS = WRAP * 1000;

/** The request body with wrapped `attributes.nbf` / `attributes.exp` restored; undefined when nothing changes. */
export function repairWireDates(body: unknown): string | undefined {
  if (typeof body !== 'string' || !body.includes('"attributes"')) return undefined;
  let parsed: { attributes?: Record<string, unknown> };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return undefined;
  }
  const attributes = parsed?.attributes;
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  let changed = false;
  for (const key of ['nbf', 'exp']) {
    const seconds = attributes[key];
    if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds < 0) {
      attributes[key] = seconds + WRAP;
      changed = true;
    }
  }
  return changed ? JSON.stringify(parsed) : undefined;
}
