/**
 * SDK shapes → rxsecrets shapes: `KeyVaultSecret` → Secret, `SecretProperties` → SecretInfo, validity checks,
 * and the text encoding of byte values.
 * @module
 */

import type { DeletedSecret, KeyVaultSecret, SecretProperties } from '@azure/keyvault-secrets';
import {
  makeRef,
  Secret,
  SecretDisabledError,
  type SecretDisabledReason,
  type SecretInfo,
  type SecretRef,
  secretInfo,
} from '../../provider-kit/index.js';

/**
 * The content type that marks a value written from bytes: Key Vault stores text, so bytes are stored as base64
 * and decoded back to a Uint8Array on read. Values with any other content type are read as text.
 */
export const BYTES_CONTENT_TYPE = 'application/octet-stream;base64';

/** Encodes a value for Key Vault, with the content type bytes imply when none was given. */
export function encodeValue(
  value: string | Uint8Array,
  contentType: string | undefined,
): { text: string; contentType: string | undefined } {
  if (typeof value === 'string') return { text: value, contentType };
  return { text: Buffer.from(value).toString('base64'), contentType: contentType ?? BYTES_CONTENT_TYPE };
}

/** Key Vault facts about a version, never a value. */
export function metadataOf(properties: SecretProperties): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  put('enabled', properties.enabled);
  put('notBefore', properties.notBefore);
  put('expiresOn', properties.expiresOn);
  put('recoveryLevel', properties.recoveryLevel);
  put('recoverableDays', properties.recoverableDays);
  put('managed', properties.managed);
  put('id', properties.id);
  return out;
}

/** A SecretInfo from SDK properties; `ref` defaults to the name (with the version when one is known and `pinned`). */
export function toSecretInfo(
  scheme: string,
  properties: SecretProperties,
  extra: Record<string, unknown> = {},
): SecretInfo {
  return secretInfo({
    ref: makeRef(scheme, properties.name),
    name: properties.name,
    version: properties.version || undefined,
    contentType: properties.contentType,
    createdAt: properties.createdOn,
    updatedAt: properties.updatedOn,
    tags: properties.tags,
    metadata: { ...metadataOf(properties), ...extra },
  });
}

/** A SecretInfo for a deleted secret, with its deletion facts in `metadata`. */
export function toDeletedInfo(scheme: string, deleted: DeletedSecret): SecretInfo {
  return toSecretInfo(scheme, deleted.properties, {
    deletedOn: deleted.properties.deletedOn,
    scheduledPurgeDate: deleted.properties.scheduledPurgeDate,
    recoveryId: deleted.properties.recoveryId,
  });
}

/** A Secret from a fetched KeyVaultSecret, under the ref that was asked for. */
export function toSecret(scheme: string, fetched: KeyVaultSecret, ref: SecretRef): Secret {
  const info = toSecretInfo(scheme, fetched.properties);
  const text = fetched.value ?? '';
  const value = info.contentType === BYTES_CONTENT_TYPE ? new Uint8Array(Buffer.from(text, 'base64')) : text;
  return new Secret({ ...info, ref }, value);
}

/** Why the version cannot be used now, or undefined when it can. */
export function unusableReason(properties: SecretProperties, now = Date.now()): SecretDisabledReason | undefined {
  if (properties.enabled === false) return 'disabled';
  if (properties.notBefore !== undefined && properties.notBefore.getTime() > now) return 'not-yet-valid';
  if (properties.expiresOn !== undefined && properties.expiresOn.getTime() <= now) return 'expired';
  return undefined;
}

/** Throws a SecretDisabledError when the version is disabled, expired or not yet valid. */
export function assertUsable(scheme: string, properties: SecretProperties, ref: SecretRef): void {
  const reason = unusableReason(properties);
  if (reason === undefined) return;
  const why = { disabled: 'is disabled', expired: 'has expired', 'not-yet-valid': 'is not valid yet' }[reason];
  throw new SecretDisabledError(`${ref.text} ${why}`, { ref: ref.text, provider: scheme, reason });
}
