import { ValidationError } from '../errors/index.js';

const KEY_BYTES = 32;

/**
 * Reads a persistence key: 32 bytes, or text of 64 hex characters, or base64 (or base64url) of 32 bytes.
 * Throws a {@link ValidationError} that never quotes the key.
 */
export function parsePersistKey(key: Uint8Array | string): Buffer {
  let bytes: Buffer | undefined;
  if (key instanceof Uint8Array) {
    bytes = Buffer.from(key);
  } else if (typeof key === 'string') {
    const text = key.trim();
    if (/^[0-9a-f]{64}$/i.test(text)) bytes = Buffer.from(text, 'hex');
    else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) bytes = Buffer.from(text, 'base64');
  }
  if (bytes === undefined || bytes.length !== KEY_BYTES) {
    const got = bytes === undefined ? 'an unreadable key' : `${bytes.length} bytes`;
    throw new ValidationError(
      `cache.persist.key must be ${KEY_BYTES} bytes (a Uint8Array, 64 hex characters or base64), got ${got}`,
    );
  }
  return bytes;
}
