import { RxSecretsError } from './rxsecrets-error.js';

/** The secret lives in a locked collection (Secret Service) and unlocking would need a prompt the caller did not allow. */
export class LockedError extends RxSecretsError {
  override readonly code = 'Locked' as const;
}
