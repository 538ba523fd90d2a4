/**
 * Key Vault's error responses: `{"error":{"code","message","innererror"?}}`, with the codes and messages the
 * real service sends (taken from recorded sessions of the Azure SDK where available).
 * @internal
 * @module
 */

/** An error that becomes a Key Vault error response. Messages name secrets, never their values. */
export class KeyVaultServiceError extends Error {
  override readonly name = 'KeyVaultServiceError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The JSON body Key Vault sends for this error. */
  toBody(): { error: { code: string; message: string; innererror?: { code: string } } } {
    const error = { code: this.code, message: this.message };
    return { error: this.innerCode ? { ...error, innererror: { code: this.innerCode } } : error };
  }
}

export const serviceErrors = {
  secretNotFound: (name: string, version = '') =>
    new KeyVaultServiceError(
      404,
      'SecretNotFound',
      `A secret with (name/id) ${version ? `${name}/${version}` : name} was not found in this key vault. ` +
        'If you recently deleted this secret you may be able to recover it using the correct recovery command. ' +
        'For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182',
    ),
  deletedSecretNotFound: (name: string) =>
    new KeyVaultServiceError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`),
  secretDisabled: () =>
    new KeyVaultServiceError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled'),
  deletedButRecoverable: (name: string) =>
    new KeyVaultServiceError(
      409,
      'Conflict',
      `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; ` +
        'in this state, the secret can only be recovered or purged.',
      'ObjectIsDeletedButRecoverable',
    ),
  beingDeleted: (name: string) =>
    new KeyVaultServiceError(409, 'Conflict', `Secret ${name} is currently being deleted.`, 'ObjectIsBeingDeleted'),
  beingRecovered: (name: string) =>
    new KeyVaultServiceError(409, 'Conflict', `Secret ${name} is currently being recovered.`),
  alreadyExists: (name: string) =>
    new KeyVaultServiceError(409, 'Conflict', `Secret ${name} already exists in this key vault.`),
  malformedBackup: () =>
    new KeyVaultServiceError(400, 'Malformed backup blob', 'Backup blob contains invalid or corrupt version.'),
  badParameter: (message: string) => new KeyVaultServiceError(400, 'BadParameter', message),
  unauthorized: () =>
    new KeyVaultServiceError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
  notFound: (path: string) => new KeyVaultServiceError(404, 'NotFound', `No Key Vault operation matches ${path}.`),
  methodNotAllowed: (method: string) =>
    new KeyVaultServiceError(405, 'MethodNotAllowed', `The requested method ${method} is not allowed here.`),
} as const;
