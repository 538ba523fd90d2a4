import { RxSecretsError, type RxSecretsErrorOptions } from './rxsecrets-error.js';

/** Options of {@link SecretNotFoundError}. */
export interface SecretNotFoundErrorOptions extends RxSecretsErrorOptions {
  /** The version (or stage / label) that was asked for, when the secret exists but that version does not. */
  version?: string;
}

/** No secret (or no such version of it) exists under that name. Permanent: ends a watch. */
export class SecretNotFoundError extends RxSecretsError {
  override readonly code = 'SecretNotFound' as const;
  /** The missing version, when a specific version was asked for. */
  readonly version: string | undefined;

  constructor(message: string, options: SecretNotFoundErrorOptions = {}) {
    super(message, options);
    this.version = options.version;
  }
}
