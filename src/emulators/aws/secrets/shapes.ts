import { epochSeconds } from '../context.js';
import type { StoredSecret } from './secret-store.js';
import type { SecretVersion } from './secret-versions.js';

/** `SecretString` or `SecretBinary` (base64, as AWS JSON carries blobs). */
function valueMembers(version: SecretVersion): Record<string, string> {
  return version.value.string !== undefined
    ? { SecretString: version.value.string }
    : { SecretBinary: version.value.binary.toString('base64') };
}

/** GetSecretValue's answer, also each `SecretValues` entry of BatchGetSecretValue. */
export function secretValueShape(secret: StoredSecret, version: SecretVersion): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    ...valueMembers(version),
    VersionStages: [...version.stages],
    CreatedDate: epochSeconds(version.createdAt),
  };
}

function metadata(secret: StoredSecret): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description !== undefined && { Description: secret.description }),
    ...(secret.kmsKeyId !== undefined && { KmsKeyId: secret.kmsKeyId }),
    RotationEnabled: false,
    ...(secret.lastRotatedAt !== undefined && { LastRotatedDate: epochSeconds(secret.lastRotatedAt) }),
    LastChangedDate: epochSeconds(secret.lastChangedAt),
    ...(secret.lastAccessedAt !== undefined && { LastAccessedDate: epochSeconds(secret.lastAccessedAt) }),
    ...(secret.deletedAt !== undefined && { DeletedDate: epochSeconds(secret.deletedAt) }),
    ...(secret.tags.length > 0 && { Tags: secret.tags.map((tag) => ({ ...tag })) }),
  };
}

/** DescribeSecret's answer: metadata and `VersionIdsToStages`, never the value. */
export function describeShape(secret: StoredSecret): Record<string, unknown> {
  return {
    ...metadata(secret),
    VersionIdsToStages: secret.versions.stagesMap(),
    CreatedDate: epochSeconds(secret.createdAt),
  };
}

/** A `SecretList` entry of ListSecrets, with `SecretVersionsToStages`. */
export function listEntryShape(secret: StoredSecret): Record<string, unknown> {
  return {
    ...metadata(secret),
    SecretVersionsToStages: secret.versions.stagesMap(),
    CreatedDate: epochSeconds(secret.createdAt),
  };
}

/** A `Versions` entry of ListSecretVersionIds. */
export function versionEntryShape(version: SecretVersion): Record<string, unknown> {
  return {
    VersionId: version.id,
    VersionStages: [...version.stages],
    ...(version.lastAccessedAt !== undefined && { LastAccessedDate: epochSeconds(version.lastAccessedAt) }),
    CreatedDate: epochSeconds(version.createdAt),
  };
}
