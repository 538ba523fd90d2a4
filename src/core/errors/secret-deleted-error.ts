import { RxSecretsError } from './rxsecrets-error.js';

/** The secret is deleted but recoverable (Key Vault soft delete, a Secrets Manager secret scheduled for deletion). Recover or restore it, or purge it, before reusing the name. */
export class SecretDeletedError extends RxSecretsError {
  override readonly code = 'SecretDeleted' as const;
}
