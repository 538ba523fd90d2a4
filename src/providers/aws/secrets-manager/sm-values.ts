import { makeRef, Secret, type SecretInfo, type SecretRef, secretInfo } from '../../../provider-kit/index.js';

/** The fields of a GetSecretValue answer (or a BatchGetSecretValue entry) this provider reads. */
export interface SecretValueFields {
  readonly ARN?: string | undefined;
  readonly Name?: string | undefined;
  readonly VersionId?: string | undefined;
  readonly SecretString?: string | undefined;
  readonly SecretBinary?: Uint8Array | undefined;
  readonly VersionStages?: string[] | undefined;
  readonly CreatedDate?: Date | undefined;
}

/** The fields of a ListSecrets entry or a DescribeSecret answer this provider reads. */
export interface SecretMetadataFields {
  readonly ARN?: string | undefined;
  readonly Name?: string | undefined;
  readonly Description?: string | undefined;
  readonly KmsKeyId?: string | undefined;
  readonly CreatedDate?: Date | undefined;
  readonly LastChangedDate?: Date | undefined;
  readonly LastRotatedDate?: Date | undefined;
  readonly DeletedDate?: Date | undefined;
  readonly Tags?: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined;
  readonly SecretVersionsToStages?: Record<string, string[]> | undefined;
  readonly VersionIdsToStages?: Record<string, string[]> | undefined;
}

/** The VersionId carrying `stage` in a versions-to-stages map. */
export function versionWithStage(map: Record<string, string[]> | undefined, stage: string): string | undefined {
  for (const [id, stages] of Object.entries(map ?? {})) if (stages.includes(stage)) return id;
  return undefined;
}

/**
 * A secret version as a {@link Secret}: `SecretString` as text, `SecretBinary` as bytes; `metadata.stages` holds
 * its staging labels and `metadata.arn` the secret's ARN.
 */
export function secretFromValue(out: SecretValueFields, ref: SecretRef): Secret {
  const value = out.SecretString ?? new Uint8Array(out.SecretBinary ?? new Uint8Array());
  return new Secret(
    {
      ref,
      name: out.Name ?? ref.name,
      version: out.VersionId,
      createdAt: out.CreatedDate,
      updatedAt: out.CreatedDate,
      metadata: {
        ...(out.ARN === undefined ? {} : { arn: out.ARN }),
        stages: [...(out.VersionStages ?? [])],
        binary: out.SecretString === undefined,
      },
    },
    value,
  );
}

/** A listed or described secret as a {@link SecretInfo}: its AWSCURRENT version, dates, tags and stages. */
export function secretInfoFromMetadata(scheme: string, entry: SecretMetadataFields): SecretInfo {
  const name = entry.Name ?? '';
  const stages = entry.SecretVersionsToStages ?? entry.VersionIdsToStages;
  const tags: Record<string, string> = {};
  for (const tag of entry.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  return secretInfo({
    ref: makeRef(scheme, name),
    name,
    version: versionWithStage(stages, 'AWSCURRENT'),
    createdAt: entry.CreatedDate,
    updatedAt: entry.LastChangedDate,
    tags,
    metadata: {
      ...(entry.ARN === undefined ? {} : { arn: entry.ARN }),
      ...(entry.Description === undefined ? {} : { description: entry.Description }),
      ...(entry.KmsKeyId === undefined ? {} : { kmsKeyId: entry.KmsKeyId }),
      ...(entry.LastRotatedDate === undefined ? {} : { lastRotatedAt: entry.LastRotatedDate }),
      ...(entry.DeletedDate === undefined ? {} : { deletedAt: entry.DeletedDate }),
      versionsToStages: { ...(stages ?? {}) },
    },
  });
}
