import type { RetryOptions } from './retry.js';

/**
 * What every operation accepts, common or provider-specific: an AbortSignal that cancels it (the returned stream
 * then fails with `signal.reason`, and the backend call in flight is aborted), and retry overrides for this call
 * alone (attempts, attempt timeout, deadline…), merged over the client's.
 */
export interface OperationOptions {
  /** Cancels the operation: the stream fails with the signal's reason and the call in flight is aborted. */
  readonly signal?: AbortSignal;
  /** Retry, attempt timeout and deadline of this call, over the client's (and the provider's) settings. */
  readonly retry?: RetryOptions;
}
