import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The encrypted file layout: `MAGIC (8) | FORMAT_VERSION (1) | IV (12) | ciphertext | GCM tag (16)`.
 * The header (magic + version) is the AES-256-GCM additional data, so changing it fails authentication too.
 */
const MAGIC = Buffer.from('RXSCACHE', 'ascii');
const FORMAT_VERSION = 1;
const HEADER = Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION])]);
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Why a file's bytes were not accepted. */
export type RejectReason = 'foreign' | 'unsupported-version' | 'truncated' | 'tampered-or-wrong-key' | 'corrupt';

/** The outcome of {@link openCacheFile}. */
export type OpenResult =
  | { readonly ok: true; readonly plaintext: Buffer }
  | { readonly ok: false; readonly reason: RejectReason };

/** Encrypts `plaintext` with a fresh random IV. */
export function sealCacheFile(plaintext: Uint8Array, key: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(HEADER);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([HEADER, iv, body, cipher.getAuthTag()]);
}

/** Checks the header and authenticates and decrypts the rest; never throws. */
export function openCacheFile(bytes: Uint8Array, key: Uint8Array): OpenResult {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { ok: false, reason: 'foreign' };
  }
  if (data.length < HEADER.length) return { ok: false, reason: 'truncated' };
  if (data[MAGIC.length] !== FORMAT_VERSION) return { ok: false, reason: 'unsupported-version' };
  if (data.length < HEADER.length + IV_BYTES + TAG_BYTES) return { ok: false, reason: 'truncated' };
  const iv = data.subarray(HEADER.length, HEADER.length + IV_BYTES);
  const body = data.subarray(HEADER.length + IV_BYTES, data.length - TAG_BYTES);
  const tag = data.subarray(data.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(HEADER);
    decipher.setAuthTag(tag);
    return { ok: true, plaintext: Buffer.concat([decipher.update(body), decipher.final()]) };
  } catch {
    return { ok: false, reason: 'tampered-or-wrong-key' };
  }
}
