import { RxSecretsError } from './rxsecrets-error.js';

/** The write conflicts with the current state: the secret already exists where a new one was required, an idempotency token was reused with another value, a concurrent change won. */
export class ConflictError extends RxSecretsError {
  override readonly code = 'Conflict' as const;
}
