/**
 * The emulator's in-memory vault: versions, soft delete with settle delays, recovery, purge, and the raw
 * material for backups. Names are case-insensitive, as in Key Vault; the first spelling is kept for ids.
 * Delays are checked against the clock when a secret is touched, so no timers are left running.
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import { serviceErrors } from './errors.js';
import {
  latestVersion,
  lifecycleOf,
  type SecretRecord,
  type SecretVersionProperties,
  type SecretVersionRecord,
} from './secret-records.js';

/** Timing and retention settings of a store. */
export interface SecretStoreSettings {
  /** Clock in milliseconds. */
  now(): number;
  deletionDelayMs: number;
  recoveryDelayMs: number;
  recoverableDays: number;
}

const DAY_SECONDS = 86_400;

/** The in-memory state behind one emulator. */
export class SecretStore {
  readonly #records = new Map<string, SecretRecord>();

  constructor(readonly settings: SecretStoreSettings) {}

  /** Writes a new version (PUT /secrets/{name}); creates the secret if needed. */
  set(name: string, value: string, properties: SecretVersionProperties = {}): SecretVersionRecord {
    const record = this.#touch(name);
    if (record) this.#assertWritable(record);
    const seconds = this.#seconds();
    const version: SecretVersionRecord = {
      version: randomBytes(16).toString('hex'),
      value,
      contentType: properties.contentType,
      tags: properties.tags,
      enabled: properties.enabled ?? true,
      nbf: properties.nbf,
      exp: properties.exp,
      created: seconds,
      updated: seconds,
    };
    if (record) record.versions.push(version);
    else this.#records.set(keyOf(name), { name, versions: [version] });
    return version;
  }

  /** An active secret and one of its versions (latest when `version` is empty); 404 otherwise. */
  find(name: string, version = ''): { record: SecretRecord; version: SecretVersionRecord } {
    const record = this.#touch(name);
    if (!record || lifecycleOf(record, this.settings.now()) !== 'active') {
      throw serviceErrors.secretNotFound(name, version);
    }
    const found = version ? record.versions.find((v) => v.version === version.toLowerCase()) : latestVersion(record);
    if (!found) throw serviceErrors.secretNotFound(name, version);
    return { record, version: found };
  }

  /** Changes the properties of one version (PATCH); the value never changes. */
  update(name: string, version: string, properties: SecretVersionProperties) {
    const found = this.find(name, version);
    const target = found.version;
    if (properties.contentType !== undefined) target.contentType = properties.contentType;
    if (properties.tags !== undefined) target.tags = properties.tags;
    if (properties.enabled !== undefined) target.enabled = properties.enabled;
    if (properties.nbf !== undefined) target.nbf = properties.nbf;
    if (properties.exp !== undefined) target.exp = properties.exp;
    target.updated = this.#seconds();
    return found;
  }

  /** Soft-deletes a secret (DELETE /secrets/{name}). */
  delete(name: string): SecretRecord {
    const { record } = this.find(name);
    const deletedDate = this.#seconds();
    record.deletion = {
      deletedDate,
      scheduledPurgeDate: deletedDate + this.settings.recoverableDays * DAY_SECONDS,
      settledAtMs: this.settings.now() + this.settings.deletionDelayMs,
    };
    record.recoveringUntilMs = undefined;
    return record;
  }

  /** A deleted secret whose deletion has settled; 404 while it is still being deleted or when absent. */
  findDeleted(name: string): SecretRecord {
    const record = this.#touch(name);
    if (!record || lifecycleOf(record, this.settings.now()) !== 'deleted') {
      throw serviceErrors.deletedSecretNotFound(name);
    }
    return record;
  }

  /** Restores a deleted secret; it answers 404 for `recoveryDelayMs` more, like a recovering secret. */
  recover(name: string): SecretRecord {
    this.#assertDeletionSettled(name);
    const record = this.findDeleted(name);
    record.deletion = undefined;
    record.recoveringUntilMs = this.settings.now() + this.settings.recoveryDelayMs;
    return record;
  }

  /** Removes a deleted secret for good. */
  purge(name: string): void {
    this.#assertDeletionSettled(name);
    this.findDeleted(name);
    this.#records.delete(keyOf(name));
  }

  /** Active secrets, sorted by name (case-insensitively). */
  active(): SecretRecord[] {
    return this.#sorted().filter((record) => lifecycleOf(record, this.settings.now()) === 'active');
  }

  /** Settled deleted secrets, sorted by name. */
  deleted(): SecretRecord[] {
    return this.#sorted().filter((record) => lifecycleOf(record, this.settings.now()) === 'deleted');
  }

  /** Versions of an active secret in creation order; empty when the secret does not exist (as Key Vault does). */
  versionsOf(name: string): SecretVersionRecord[] {
    const record = this.#touch(name);
    return record && lifecycleOf(record, this.settings.now()) === 'active' ? [...record.versions] : [];
  }

  /** Adds a whole secret from a backup; 409 when the name is taken (active or deleted). */
  restore(name: string, versions: readonly SecretVersionRecord[]): SecretRecord {
    const existing = this.#touch(name);
    if (existing) {
      this.#assertWritable(existing);
      throw serviceErrors.alreadyExists(existing.name);
    }
    const record: SecretRecord = { name, versions: versions.map((v) => ({ ...v })) };
    this.#records.set(keyOf(name), record);
    return record;
  }

  /** Forgets everything. */
  clear(): void {
    this.#records.clear();
  }

  /** The record for a name, after purging it if its retention period has passed. */
  #touch(name: string): SecretRecord | undefined {
    const record = this.#records.get(keyOf(name));
    if (record?.deletion && record.deletion.scheduledPurgeDate <= this.#seconds()) {
      this.#records.delete(keyOf(name));
      return undefined;
    }
    return record;
  }

  #assertWritable(record: SecretRecord): void {
    const state = lifecycleOf(record, this.settings.now());
    if (state === 'deleting') throw serviceErrors.beingDeleted(record.name);
    if (state === 'deleted') throw serviceErrors.deletedButRecoverable(record.name);
    if (state === 'recovering') throw serviceErrors.beingRecovered(record.name);
  }

  #assertDeletionSettled(name: string): void {
    const record = this.#touch(name);
    if (record && lifecycleOf(record, this.settings.now()) === 'deleting')
      throw serviceErrors.beingDeleted(record.name);
  }

  #sorted(): SecretRecord[] {
    for (const record of [...this.#records.values()]) this.#touch(record.name);
    return [...this.#records.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, record]) => record);
  }

  #seconds(): number {
    return Math.floor(this.settings.now() / 1000);
  }
}

function keyOf(name: string): string {
  return name.toLowerCase();
}
