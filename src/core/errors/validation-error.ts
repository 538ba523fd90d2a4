import { RxSecretsError } from './rxsecrets-error.js';

/** Bad input other than a ref: a value of the wrong type or too large, an option out of range. Nothing was written. */
export class ValidationError extends RxSecretsError {
  override readonly code = 'Validation' as const;
}
