/**
 * Finds the current version of a secret, for a property update that names none. A GET answers for an enabled
 * secret; a disabled one answers 403, and then the versions listing is scanned for the newest.
 * @module
 */

import type { SecretClient } from '@azure/keyvault-secrets';
import { isSecretDisabledError, SecretNotFoundError, type SecretRef } from '../../provider-kit/index.js';
import type { KeyVaultContext } from './context.js';

/** The ref's version, or the secret's current one. */
export async function resolveVersion(
  context: KeyVaultContext,
  client: SecretClient,
  ref: SecretRef,
  signal: AbortSignal,
): Promise<string> {
  if (ref.version !== undefined) return ref.version;
  try {
    const latest = await client.getSecret(ref.name, { abortSignal: signal });
    if (latest.properties.version) return latest.properties.version;
  } catch (error) {
    if (!isSecretDisabledError(context.mapError(error, 'get', { ref }))) throw error;
  }
  let newest: { version: string; createdOn: number } | undefined;
  for await (const properties of client.listPropertiesOfSecretVersions(ref.name, { abortSignal: signal })) {
    const createdOn = properties.createdOn?.getTime() ?? 0;
    if (properties.version && (newest === undefined || createdOn >= newest.createdOn)) {
      newest = { version: properties.version, createdOn };
    }
  }
  if (newest === undefined) {
    throw new SecretNotFoundError(`${ref.text} does not exist`, { ref: ref.text, provider: context.scheme });
  }
  return newest.version;
}
