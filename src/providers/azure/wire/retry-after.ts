/**
 * Reads a throttling answer's retry hint: `retry-after-ms` / `x-ms-retry-after-ms` (milliseconds) or
 * `Retry-After` (seconds, or an HTTP date), as Azure services send them.
 * @module
 */

/** What a RestError's response headers offer. */
interface HeadersLike {
  get(name: string): string | undefined;
}

/** The hinted delay in milliseconds, or undefined when the answer gave none. */
export function retryAfterMs(headers: HeadersLike | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name));
    if (headers.get(name) !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const raw = headers.get('retry-after');
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
