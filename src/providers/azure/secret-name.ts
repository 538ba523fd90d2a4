import { InvalidSecretRefError, type SecretRef } from '../../provider-kit/index.js';

/**
 * Key Vault's rules for secret names and versions.
 * @module
 */

const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION = /^[0-9a-fA-F]{32}$/;

/** Throws an InvalidSecretRefError unless `name` is a Key Vault secret name (`[0-9a-zA-Z-]`, 1–127). */
export function assertSecretName(name: string, ref: string): void {
  if (!NAME.test(name)) {
    throw new InvalidSecretRefError(
      `'${ref}' is not a Key Vault secret name: use 1–127 letters, digits and dashes (no '/', '_' or '.')`,
      { ref },
    );
  }
}

/** Throws an InvalidSecretRefError unless the ref names a Key Vault secret (and, if any, a 32-hex version). */
export function assertKeyVaultRef(ref: SecretRef): void {
  assertSecretName(ref.name, ref.text);
  if (ref.version !== undefined && !VERSION.test(ref.version)) {
    throw new InvalidSecretRefError(`'${ref.text}': a Key Vault version is 32 hexadecimal characters`, {
      ref: ref.text,
    });
  }
}

/** Whether `name` could name a Key Vault secret (listing prefixes may be partial names). */
export function isNameFragment(name: string): boolean {
  return name === '' || /^[0-9a-zA-Z-]{1,127}$/.test(name);
}
