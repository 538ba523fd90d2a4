import { parseSecretRef } from '../ref.js';
import { type JsonValue, Secret, type SecretValue } from '../secret.js';

/** A cache entry as persisted: the secret and the two instants its timeline is rebuilt from. */
export interface PersistedEntry {
  readonly key: string;
  readonly secret: Secret;
  readonly fetchedAt: number;
  /** Epoch ms; `Infinity` for an entry that never expires. */
  readonly expiresAt: number;
}

type ValueRecord =
  | { type: 'string'; data: string }
  | { type: 'bytes'; data: string }
  | { type: 'json'; data: JsonValue };

interface EntryRecord {
  key: string;
  ref: string;
  name: string;
  version: string | null;
  contentType: string | null;
  createdAt: number | null;
  updatedAt: number | null;
  tags: Record<string, string>;
  metadata: Record<string, unknown>;
  value: ValueRecord;
  fetchedAt: number;
  expiresAt: number | null;
}

const DOCUMENT_FORMAT = 1;

/** Thrown by {@link decodeEntries} when the (authenticated) plaintext is not a document it understands. */
export class CorruptCacheDocument extends Error {
  override readonly name = 'CorruptCacheDocument';
}

function encodeValue(value: SecretValue): ValueRecord {
  if (typeof value === 'string') return { type: 'string', data: value };
  if (value instanceof Uint8Array) return { type: 'bytes', data: Buffer.from(value).toString('base64') };
  return { type: 'json', data: value };
}

function decodeValue(record: unknown): SecretValue {
  const value = record as Partial<ValueRecord> | null;
  if (value?.type === 'string' && typeof value.data === 'string') return value.data;
  if (value?.type === 'bytes' && typeof value.data === 'string') {
    return new Uint8Array(Buffer.from(value.data, 'base64'));
  }
  if (value?.type === 'json' && value.data !== undefined) return value.data;
  throw new CorruptCacheDocument('bad value record');
}

/** Serialises entries to the JSON document that gets encrypted. Entries that cannot be serialised are skipped. */
export function encodeEntries(entries: Iterable<PersistedEntry>): Buffer {
  const records: string[] = [];
  for (const { key, secret, fetchedAt, expiresAt } of entries) {
    const record: EntryRecord = {
      key,
      ref: secret.ref.text,
      name: secret.name,
      version: secret.version ?? null,
      contentType: secret.contentType ?? null,
      createdAt: secret.createdAt?.getTime() ?? null,
      updatedAt: secret.updatedAt?.getTime() ?? null,
      tags: { ...secret.tags },
      metadata: { ...secret.metadata },
      value: encodeValue(secret.value),
      fetchedAt,
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : null,
    };
    try {
      records.push(JSON.stringify(record));
    } catch {
      // metadata a provider filled with something JSON cannot hold (a BigInt, a cycle): keep it in memory only
    }
  }
  return Buffer.from(`{"format":${DOCUMENT_FORMAT},"entries":[${records.join(',')}]}`, 'utf8');
}

function optionalString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw new CorruptCacheDocument('bad string field');
  return value;
}

function optionalDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number') throw new CorruptCacheDocument('bad date field');
  return new Date(value);
}

function objectField<T>(value: unknown): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CorruptCacheDocument('bad object');
  return value as T;
}

function decodeRecord(raw: unknown): PersistedEntry {
  const record = objectField<Partial<EntryRecord>>(raw);
  if (typeof record.key !== 'string' || typeof record.ref !== 'string' || typeof record.name !== 'string') {
    throw new CorruptCacheDocument('bad entry identity');
  }
  if (typeof record.fetchedAt !== 'number' || !(typeof record.expiresAt === 'number' || record.expiresAt === null)) {
    throw new CorruptCacheDocument('bad entry times');
  }
  const tags = objectField<Record<string, unknown>>(record.tags);
  if (!Object.values(tags).every((tag) => typeof tag === 'string')) throw new CorruptCacheDocument('bad tags');
  let ref: ReturnType<typeof parseSecretRef>;
  try {
    ref = parseSecretRef(record.ref);
  } catch {
    throw new CorruptCacheDocument('bad ref');
  }
  const secret = new Secret(
    {
      ref,
      name: record.name,
      version: optionalString(record.version),
      contentType: optionalString(record.contentType),
      createdAt: optionalDate(record.createdAt),
      updatedAt: optionalDate(record.updatedAt),
      tags: tags as Record<string, string>,
      metadata: objectField<Record<string, unknown>>(record.metadata),
    },
    decodeValue(record.value),
  );
  return { key: record.key, secret, fetchedAt: record.fetchedAt, expiresAt: record.expiresAt ?? Infinity };
}

/** Parses a decrypted document; throws {@link CorruptCacheDocument} when it is not one this version wrote. */
export function decodeEntries(plaintext: Uint8Array): PersistedEntry[] {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(plaintext).toString('utf8'));
  } catch {
    throw new CorruptCacheDocument('not JSON');
  }
  const { format, entries } = objectField<{ format?: unknown; entries?: unknown }>(document);
  if (format !== DOCUMENT_FORMAT || !Array.isArray(entries)) throw new CorruptCacheDocument('unknown document format');
  return entries.map(decodeRecord);
}
