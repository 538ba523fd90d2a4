import { RxSecretsError } from './rxsecrets-error.js';

/** The secrets client (or a provider) was closed; no new operation starts after `close()`. */
export class ClosedError extends RxSecretsError {
  override readonly code = 'Closed' as const;
}
