/**
 * Turns stored records into Key Vault's JSON shapes (SecretBundle, SecretItem, DeletedSecretBundle,
 * DeletedSecretItem) with ids as absolute URLs on the vault the client called.
 * @internal
 * @module
 */
import { latestVersion, type SecretRecord, type SecretVersionRecord } from './secret-records.js';

/** `SecretAttributes` as sent by Key Vault. */
export interface WireAttributes {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
}

/** A secret bundle or list item; `value` only where Key Vault sends one. */
export interface WireSecret {
  id: string;
  value?: string;
  contentType?: string;
  attributes: WireAttributes;
  tags?: Record<string, string>;
}

/** A deleted secret bundle or list item. */
export interface WireDeletedSecret extends WireSecret {
  recoveryId: string;
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** Builds wire shapes for one vault origin (`https://host:port`) and retention setting. */
export class WireBundles {
  constructor(
    readonly vaultOrigin: string,
    readonly recoverableDays: number,
  ) {}

  /** The recovery level Key Vault reports for a vault with this retention. */
  get recoveryLevel(): string {
    return this.recoverableDays >= 90 ? 'Recoverable+Purgeable' : 'CustomizedRecoverable+Purgeable';
  }

  /** GET/PUT answer: the full bundle with its value. */
  secret(record: SecretRecord, version: SecretVersionRecord): WireSecret {
    return { ...this.#base(this.#versionId(record, version), version), value: version.value };
  }

  /** PATCH, recover and restore answers: the bundle without its value. */
  properties(record: SecretRecord, version: SecretVersionRecord): WireSecret {
    return this.#base(this.#versionId(record, version), version);
  }

  /** An item of GET /secrets: id without version, latest version's properties. */
  listItem(record: SecretRecord): WireSecret {
    return this.#base(`${this.vaultOrigin}/secrets/${record.name}`, latestVersion(record));
  }

  /** An item of GET /secrets/{name}/versions: id with version. */
  versionItem(record: SecretRecord, version: SecretVersionRecord): WireSecret {
    return this.#base(this.#versionId(record, version), version);
  }

  /** DELETE and GET /deletedsecrets/{name} answer: latest version's bundle (no value) plus deletion facts. */
  deleted(record: SecretRecord): WireDeletedSecret {
    return this.#deleted(record, this.#versionId(record, latestVersion(record)));
  }

  /** An item of GET /deletedsecrets: like a deleted bundle but with the id without version. */
  deletedItem(record: SecretRecord): WireDeletedSecret {
    return this.#deleted(record, `${this.vaultOrigin}/secrets/${record.name}`);
  }

  #deleted(record: SecretRecord, id: string): WireDeletedSecret {
    const deletion = record.deletion;
    if (!deletion) throw new Error(`secret ${record.name} is not deleted`);
    return {
      recoveryId: `${this.vaultOrigin}/deletedsecrets/${record.name}`,
      deletedDate: deletion.deletedDate,
      scheduledPurgeDate: deletion.scheduledPurgeDate,
      ...this.#base(id, latestVersion(record)),
    };
  }

  #versionId(record: SecretRecord, version: SecretVersionRecord): string {
    return `${this.vaultOrigin}/secrets/${record.name}/${version.version}`;
  }

  #base(id: string, version: SecretVersionRecord): WireSecret {
    const optional = <K extends string, V>(key: K, value: V | undefined) =>
      (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
    return {
      id,
      ...optional('contentType', version.contentType),
      attributes: {
        enabled: version.enabled,
        ...optional('nbf', version.nbf),
        ...optional('exp', version.exp),
        created: version.created,
        updated: version.updated,
        recoveryLevel: this.recoveryLevel,
        recoverableDays: this.recoverableDays,
      },
      ...optional('tags', version.tags && { ...version.tags }),
    };
  }
}
