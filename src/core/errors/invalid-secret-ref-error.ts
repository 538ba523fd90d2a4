import { RxSecretsError } from './rxsecrets-error.js';

/** A ref could not be parsed, names an unknown scheme, or names a secret the provider cannot hold (bad characters, too long…). The message says what is wrong. */
export class InvalidSecretRefError extends RxSecretsError {
  override readonly code = 'InvalidSecretRef' as const;
}
