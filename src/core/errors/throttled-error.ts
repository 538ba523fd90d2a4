import { RxSecretsError, type RxSecretsErrorOptions } from './rxsecrets-error.js';

/** Options of {@link ThrottledError}. */
export interface ThrottledErrorOptions extends RxSecretsErrorOptions {
  /** How long the backend asked callers to wait (a `Retry-After` hint), in milliseconds. */
  retryAfterMs?: number;
}

/** The backend is rate limiting the caller. Transient: retried with backoff, never sooner than `retryAfterMs`. */
export class ThrottledError extends RxSecretsError {
  override readonly code = 'Throttled' as const;
  override readonly transient = true;
  /** The backend's own hint of how long to wait before trying again, if it gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ThrottledErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}
