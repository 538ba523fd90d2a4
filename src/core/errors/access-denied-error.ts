import { RxSecretsError } from './rxsecrets-error.js';

/** The backend refused the caller: missing permission, bad credentials, a vault firewall. Permanent: ends a watch. */
export class AccessDeniedError extends RxSecretsError {
  override readonly code = 'AccessDenied' as const;
}
