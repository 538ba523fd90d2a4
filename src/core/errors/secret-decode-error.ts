import { RxSecretsError } from './rxsecrets-error.js';

/** A transform could not decode the value (invalid JSON, invalid base64). The message never quotes the value. */
export class SecretDecodeError extends RxSecretsError {
  override readonly code = 'SecretDecode' as const;
}
