/**
 * What the watch engine reports, for the `events` stream. Events name refs and versions; they never carry a
 * secret value.
 */
export type WatchEvent =
  /**
   * One scheduler round: `refs` refs probed in `calls` provider calls (while the provider backs off, only the first
   * call is sent unless it is answered).
   */
  | { type: 'watch-probe'; provider: string; refs: number; calls: number }
  /** A new version of a watched ref was emitted (the first value too). */
  | { type: 'watch-changed'; ref: string; version: string | undefined }
  /** A transient failure: the watch keeps its last value and tries again in `retryInMs`. */
  | { type: 'watch-error'; ref: string; error: unknown; consecutiveFailures: number; retryInMs: number }
  /** A check succeeded after transient failures. */
  | { type: 'watch-recovered'; ref: string }
  /** The watch of a ref ended: its last subscriber left, the engine closed, or (with `error`) a permanent failure. */
  | { type: 'watch-ended'; ref: string; error?: unknown }
  /**
   * The provider's change feed failed or completed: the engine now polls every watched ref of this provider
   * (at each ref's interval) for the rest of its life.
   */
  | { type: 'watch-feed-lost'; provider: string; error: unknown };

/** The state of one watched ref, as replayed by `status(ref)`. */
export interface WatchStatus {
  /** The watched ref, as text. */
  readonly ref: string;
  /**
   * `'starting'` until the first value; `'ok'` after a successful check; `'degraded'` while transient failures
   * last (the last value is kept) or while the fleet store is unreachable (see `fleetIssue`); `'ended'` once the watch is torn down or failed permanently.
   */
  readonly state: 'starting' | 'ok' | 'degraded' | 'ended';
  /** The version of the last value emitted, if any. */
  readonly version: string | undefined;
  /** Transient failures since the last successful check. */
  readonly consecutiveFailures: number;
  /** The most recent failure (kept after a recovery, for diagnostics), or undefined if none happened. */
  readonly lastError: unknown;
  /** When the last check (successful or not) completed. */
  readonly lastCheckedAt: Date | undefined;
  /**
   * Set while the client's `fleet` store is unreachable: the watch still works, polling the backend on its own, and
   * its state is `'degraded'` with this reason. Undefined otherwise (and without a fleet).
   */
  readonly fleetIssue?: unknown;
}
