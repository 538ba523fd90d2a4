import { RxSecretsError, type RxSecretsErrorOptions } from './rxsecrets-error.js';

/** Options of {@link ProviderUnavailableError}. */
export interface ProviderUnavailableErrorOptions extends RxSecretsErrorOptions {
  /** Whether trying again may help (a network error, a 5xx, a restarting daemon). Default true. */
  transient?: boolean;
}

/**
 * The backend cannot be reached: network failure, 5xx, no D-Bus session bus, no Secret Service on the bus, or
 * the provider's SDK package is not installed (then `transient` is false and the message names the package).
 */
export class ProviderUnavailableError extends RxSecretsError {
  override readonly code = 'ProviderUnavailable' as const;
  override readonly transient: boolean;

  constructor(message: string, options: ProviderUnavailableErrorOptions = {}) {
    super(message, options);
    this.transient = options.transient ?? true;
  }
}
