/**
 * Backup blobs: opaque, tamper-evident base64url strings holding every version of one secret.
 *
 * Real blobs are encrypted for the vault's geography; here AES-256-GCM with a key made once per Node process
 * gives the same properties that matter to clients: the content is unreadable (a blob never shows a value),
 * any change is detected (400 "Malformed backup blob"), and a blob restores into any emulator of the same
 * process (as a real blob restores into another vault of the same subscription) but not after a restart.
 * @internal
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { serviceErrors } from './errors.js';
import type { SecretVersionRecord } from './secret-records.js';
import { isValidSecretName } from './validation.js';

/** The decoded content of a backup blob. */
export interface BackupContent {
  name: string;
  versions: SecretVersionRecord[];
}

const PROCESS_KEY = randomBytes(32);
const MAGIC = Buffer.from('rxkv-backup-1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts a secret's versions into a base64url blob. */
export function encodeBackupBlob(content: BackupContent): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', PROCESS_KEY, iv);
  cipher.setAAD(MAGIC);
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), encrypted]).toString('base64url');
}

/** Decrypts and checks a blob; any corruption or foreign blob is a 400 "Malformed backup blob". */
export function decodeBackupBlob(blob: unknown): BackupContent {
  if (typeof blob !== 'string' || !/^[A-Za-z0-9_-]+={0,2}$/.test(blob)) throw serviceErrors.malformedBackup();
  const bytes = Buffer.from(blob, 'base64url');
  const header = MAGIC.length + IV_BYTES + TAG_BYTES;
  if (bytes.length <= header || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw serviceErrors.malformedBackup();
  let parsed: unknown;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      PROCESS_KEY,
      bytes.subarray(MAGIC.length, MAGIC.length + IV_BYTES),
    );
    decipher.setAAD(MAGIC);
    decipher.setAuthTag(bytes.subarray(MAGIC.length + IV_BYTES, header));
    parsed = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(header)), decipher.final()]).toString('utf8'));
  } catch {
    throw serviceErrors.malformedBackup();
  }
  if (!isBackupContent(parsed)) throw serviceErrors.malformedBackup();
  return parsed;
}

function isBackupContent(value: unknown): value is BackupContent {
  if (typeof value !== 'object' || value === null) return false;
  const { name, versions } = value as Partial<BackupContent>;
  return (
    typeof name === 'string' &&
    isValidSecretName(name) &&
    Array.isArray(versions) &&
    versions.length > 0 &&
    versions.every(
      (v) => typeof v?.version === 'string' && typeof v.value === 'string' && typeof v.created === 'number',
    )
  );
}
