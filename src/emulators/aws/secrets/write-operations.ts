import { randomUUID } from 'node:crypto';
import { epochSeconds } from '../context.js';
import { constraintError, coralError } from '../errors.js';
import {
  type JsonObject,
  optionalBoolean,
  optionalInteger,
  optionalString,
  optionalStringList,
  optionalTags,
  requiredString,
} from '../input.js';
import type { OperationTable } from '../operation.js';
import type { CreateSecretInput, PutSecretValueInput, SecretStore } from './secret-store.js';
import { validateToken } from './validation.js';

function optionalBlob(input: JsonObject, key: string): Buffer | undefined {
  const value = optionalString(input, key);
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw coralError('SerializationException', `Expected a base64 blob for member ${key}`);
  }
  return Buffer.from(value, 'base64');
}

/** Drops undefined members, so optional inputs stay absent (exactOptionalPropertyTypes). */
function definedOnly<R extends object>(value: { [K in keyof R]-?: R[K] | undefined }): R {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as R;
}

/** Secrets Manager's write operations. */
export function smWriteOperations(store: SecretStore): OperationTable {
  return {
    CreateSecret(input: JsonObject) {
      return store.createSecret(
        definedOnly<CreateSecretInput>({
          Name: requiredString(input, 'Name'),
          ClientRequestToken: optionalString(input, 'ClientRequestToken'),
          SecretString: optionalString(input, 'SecretString'),
          SecretBinary: optionalBlob(input, 'SecretBinary'),
          Description: optionalString(input, 'Description'),
          KmsKeyId: optionalString(input, 'KmsKeyId'),
          Tags: optionalTags(input),
        }),
      );
    },

    PutSecretValue(input: JsonObject) {
      return store.putSecretValue(
        definedOnly<PutSecretValueInput>({
          SecretId: requiredString(input, 'SecretId'),
          ClientRequestToken: optionalString(input, 'ClientRequestToken'),
          SecretString: optionalString(input, 'SecretString'),
          SecretBinary: optionalBlob(input, 'SecretBinary'),
          VersionStages: optionalStringList(input, 'VersionStages'),
        }),
      );
    },

    UpdateSecret(input: JsonObject) {
      const secretId = requiredString(input, 'SecretId');
      const secretString = optionalString(input, 'SecretString');
      const secretBinary = optionalBlob(input, 'SecretBinary');
      const secret = store.updateSecretMetadata(
        secretId,
        definedOnly<{ Description?: string; KmsKeyId?: string }>({
          Description: optionalString(input, 'Description'),
          KmsKeyId: optionalString(input, 'KmsKeyId'),
        }),
      );
      if (secretString === undefined && secretBinary === undefined) return { ARN: secret.arn, Name: secret.name };
      const token = optionalString(input, 'ClientRequestToken') ?? randomUUID();
      validateToken(token);
      const result = store.putSecretValue(
        definedOnly<PutSecretValueInput>({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: secretString,
          SecretBinary: secretBinary,
          VersionStages: undefined,
        }),
      );
      return { ARN: result.ARN, Name: result.Name, VersionId: result.VersionId };
    },

    UpdateSecretVersionStage(input: JsonObject) {
      const secret = store.resolve(requiredString(input, 'SecretId'));
      secret.versions.moveStage(
        requiredString(input, 'VersionStage'),
        optionalString(input, 'RemoveFromVersionId'),
        optionalString(input, 'MoveToVersionId'),
      );
      return { ARN: secret.arn, Name: secret.name };
    },

    DeleteSecret(input: JsonObject) {
      const result = store.deleteSecret(
        requiredString(input, 'SecretId'),
        optionalInteger(input, 'RecoveryWindowInDays', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
        optionalBoolean(input, 'ForceDeleteWithoutRecovery') ?? false,
      );
      return { ...result, DeletionDate: epochSeconds(result.DeletionDate) };
    },

    RestoreSecret(input: JsonObject) {
      return store.restoreSecret(requiredString(input, 'SecretId'));
    },

    TagResource(input: JsonObject) {
      const secret = store.resolve(requiredString(input, 'SecretId'));
      const tags = optionalTags(input);
      if (tags === undefined) throw constraintError('tags', undefined, 'Member must not be null');
      for (const tag of tags) {
        secret.tags = [...secret.tags.filter((existing) => existing.Key !== tag.Key), tag];
      }
      return {};
    },

    UntagResource(input: JsonObject) {
      const secret = store.resolve(requiredString(input, 'SecretId'));
      const keys = optionalStringList(input, 'TagKeys');
      if (keys === undefined) throw constraintError('tagKeys', undefined, 'Member must not be null');
      secret.tags = secret.tags.filter((tag) => !keys.includes(tag.Key));
      return {};
    },
  };
}
