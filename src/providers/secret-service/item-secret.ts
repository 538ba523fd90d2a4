import { createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Secret, type SecretInfo, type SecretRef, secretInfo } from '../../provider-kit/index.js';
import type { ItemProperties } from './item.js';
import { collectionOf } from './item-query.js';
import type { SecretBytes } from './secret-value.js';
import { userAttributes } from './user-attributes.js';

/** An item found for a ref: its path and properties. */
export interface FoundItem {
  readonly path: string;
  readonly properties: ItemProperties;
}

/** The properties of an item found without reading them (`itemMetadata: false`): a Secret then shows none. */
export const UNREAD_PROPERTIES: ItemProperties = Object.freeze({
  label: '',
  attributes: Object.freeze({}),
  locked: false,
  created: 0,
  modified: 0,
});

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Version tokens of item values: a keyed digest (HMAC-SHA256 under a random key that lives only in this object) of
 * the content type and bytes. The token changes exactly when the value does, and tells nothing about the value
 * outside this process. The Secret Service has no versions, and an item's `Modified` time has a resolution of one
 * second, too coarse to tell two writes in the same second apart. The key is a KeyObject: hashing 500 values under
 * a Buffer key costs ~10 ms more in Node's key type checks.
 */
export class VersionTokens {
  #key: KeyObject = randomKey();

  /** The token of one value. */
  of(secret: SecretBytes): string {
    const hmac = createHmac('sha256', this.#key);
    hmac.update(secret.contentType);
    hmac.update('\0');
    hmac.update(secret.value);
    return hmac.digest('base64url').slice(0, 22);
  }

  /** Replaces the key with a new random one, so the old one is unreachable (the provider is closing). */
  wipe(): void {
    this.#key = randomKey();
  }
}

function randomKey(): KeyObject {
  const bytes = randomBytes(32);
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return key;
}

/** What a Secret Service item becomes in a Secret or SecretInfo: times, attributes as tags, path and label. */
export function itemInfo(ref: SecretRef, item: FoundItem, version?: string, contentType?: string): SecretInfo {
  return secretInfo({ ref, name: ref.name, ...infoFields(item, version, contentType) });
}

/**
 * A Secret from an item and its bytes. Text content types (`text/*`, JSON) that hold valid UTF-8 become a string;
 * anything else a copy of the bytes, so the caller can wipe what it read.
 */
export function itemSecret(ref: SecretRef, item: FoundItem, bytes: SecretBytes, version: string): Secret {
  let value: string | Uint8Array | undefined;
  if (isTextual(bytes.contentType)) {
    try {
      value = utf8.decode(bytes.value);
    } catch {
      // not UTF-8 after all: keep the bytes
    }
  }
  value ??= new Uint8Array(bytes.value);
  return new Secret({ ref, name: ref.name, ...infoFields(item, version, bytes.contentType) }, value);
}

function infoFields(item: FoundItem, version: string | undefined, contentType: string | undefined) {
  const { properties } = item;
  if (properties === UNREAD_PROPERTIES) {
    return { version, contentType, tags: {}, metadata: { path: item.path, collection: collectionOf(item.path) } };
  }
  return {
    version,
    contentType,
    createdAt: properties.created > 0 ? new Date(properties.created * 1000) : undefined,
    updatedAt: properties.modified > 0 ? new Date(properties.modified * 1000) : undefined,
    tags: userAttributes(item.path, properties.label, properties.attributes),
    metadata: { path: item.path, collection: collectionOf(item.path), label: properties.label },
  };
}

function isTextual(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type.startsWith('text/') || type === 'application/json' || type.endsWith('+json');
}
