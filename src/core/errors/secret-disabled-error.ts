import { RxSecretsError, type RxSecretsErrorOptions } from './rxsecrets-error.js';

/** Why a secret cannot be read although it exists. */
export type SecretDisabledReason = 'disabled' | 'expired' | 'not-yet-valid';

/** Options of {@link SecretDisabledError}. */
export interface SecretDisabledErrorOptions extends RxSecretsErrorOptions {
  /** Why the secret is unusable. Default `'disabled'`. */
  reason?: SecretDisabledReason;
}

/** The secret exists but is disabled, expired or not yet valid (Key Vault attributes). Permanent. */
export class SecretDisabledError extends RxSecretsError {
  override readonly code = 'SecretDisabled' as const;
  /** Why the secret is unusable. */
  readonly reason: SecretDisabledReason;

  constructor(message: string, options: SecretDisabledErrorOptions = {}) {
    super(message, options);
    this.reason = options.reason ?? 'disabled';
  }
}
