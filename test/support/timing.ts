// The one wall-clock bound the tests keep, for real daemons, buses and processes that cannot run on a fake clock.

/**
 * "It ended at once; it did not wait out a timeout": the bound, generous for a loaded 2-core machine running other
 * suites, and the timeout it is told apart from. A test using it sets the timeout it rules out to
 * {@link LONG_TIMEOUT_MS} or more, so the two can never be confused however slow the machine.
 */
export const AT_ONCE_MS = 10_000;

/**
 * A timeout far beyond {@link AT_ONCE_MS}: set on the calls whose fast failure a test bounds, and on seeding calls
 * to a real daemon that a loaded machine can slow past the usual 10 s.
 */
export const LONG_TIMEOUT_MS = 30_000;

/** Milliseconds since `started` (a `performance.now()` reading). */
export function since(started: number): number {
  return performance.now() - started;
}
