import { RxSecretsError } from './rxsecrets-error.js';

/** A backend failure rxsecrets has no better class for. The native error is the `cause`. */
export class ProviderError extends RxSecretsError {
  override readonly code = 'Provider' as const;
}
