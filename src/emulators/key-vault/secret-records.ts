/**
 * What the emulator stores for a secret, independent of the wire format. Times are integer unix seconds, as
 * Key Vault sends them; instants compared against the clock (delays) are milliseconds.
 * @internal
 * @module
 */

/** One version of a secret. */
export interface SecretVersionRecord {
  /** 32 lowercase hex characters. */
  readonly version: string;
  readonly value: string;
  contentType?: string | undefined;
  tags?: Record<string, string> | undefined;
  enabled: boolean;
  nbf?: number | undefined;
  exp?: number | undefined;
  readonly created: number;
  updated: number;
}

/** Soft-deletion state of a secret. */
export interface SecretDeletion {
  /** Unix seconds. */
  readonly deletedDate: number;
  /** Unix seconds after which the secret is purged automatically. */
  readonly scheduledPurgeDate: number;
  /** Clock time (ms) from which the deleted secret can be read, recovered or purged. */
  readonly settledAtMs: number;
}

/** A secret: its name as first written, its versions in creation order, and its lifecycle state. */
export interface SecretRecord {
  readonly name: string;
  readonly versions: SecretVersionRecord[];
  deletion?: SecretDeletion | undefined;
  /** Clock time (ms) until which a recovered secret still answers 404, as a recovering secret does. */
  recoveringUntilMs?: number | undefined;
}

/** Where a secret is in its lifecycle at a given instant. */
export type SecretLifecycle = 'active' | 'recovering' | 'deleting' | 'deleted';

/** The writable properties of a version (what PUT and PATCH carry besides the value). */
export interface SecretVersionProperties {
  contentType?: string | undefined;
  tags?: Record<string, string> | undefined;
  enabled?: boolean | undefined;
  nbf?: number | undefined;
  exp?: number | undefined;
}

/** The latest version of a record (records always hold at least one). */
export function latestVersion(record: SecretRecord): SecretVersionRecord {
  const latest = record.versions.at(-1);
  if (!latest) throw new Error(`secret ${record.name} has no versions`);
  return latest;
}

/** The lifecycle state of a record at clock time `nowMs`. */
export function lifecycleOf(record: SecretRecord, nowMs: number): SecretLifecycle {
  if (record.deletion) return nowMs < record.deletion.settledAtMs ? 'deleting' : 'deleted';
  if (record.recoveringUntilMs !== undefined && nowMs < record.recoveringUntilMs) return 'recovering';
  return 'active';
}
