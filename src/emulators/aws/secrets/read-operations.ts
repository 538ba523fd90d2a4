import { AwsServiceError, constraintError } from '../errors.js';
import {
  type JsonObject,
  optionalBoolean,
  optionalInteger,
  optionalObjectList,
  optionalString,
  optionalStringList,
  requiredString,
} from '../input.js';
import type { OperationTable } from '../operation.js';
import { scanWindow, sortableNumber } from '../paging.js';
import { matchesSecretFilters, parseSecretFilters } from './filters.js';
import type { SecretStore, StoredSecret } from './secret-store.js';
import { describeShape, listEntryShape, secretValueShape, versionEntryShape } from './shapes.js';
import { smError } from './validation.js';

const invalidToken = () => smError('InvalidNextTokenException', 'The NextToken value is invalid.');

type SortBy = 'created-date' | 'name' | 'last-changed-date' | 'last-accessed-date';

function sortKey(secret: StoredSecret, sortBy: SortBy): string {
  const tieBreak = `:${sortableNumber(secret.seq)}`;
  if (sortBy === 'name') return secret.name;
  if (sortBy === 'last-changed-date') return sortableNumber(secret.lastChangedAt) + tieBreak;
  if (sortBy === 'last-accessed-date') return sortableNumber(secret.lastAccessedAt ?? 0) + tieBreak;
  return sortableNumber(secret.createdAt) + tieBreak;
}

/** Secrets matching a listing request, sorted, and one window of them. */
function listWindow(store: SecretStore, input: JsonObject, op: string, maxResults: number, includeDeleted: boolean) {
  const filters = parseSecretFilters(optionalObjectList(input, 'Filters'));
  const sortBy = (optionalString(input, 'SortBy') ?? 'created-date') as SortBy;
  if (!['created-date', 'name', 'last-changed-date', 'last-accessed-date'].includes(sortBy)) {
    throw constraintError(
      'sortBy',
      sortBy,
      'Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]',
    );
  }
  const descending = optionalString(input, 'SortOrder') === 'desc';
  const keyOf = (secret: StoredSecret) => sortKey(secret, sortBy);
  const sorted = store
    .all()
    .filter((secret) => (includeDeleted || secret.deletedAt === undefined) && matchesSecretFilters(secret, filters))
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  if (descending) sorted.reverse();
  return scanWindow(op, sorted, keyOf, maxResults, optionalString(input, 'NextToken'), invalidToken, descending);
}

function batchEntry(store: SecretStore, secretId: string) {
  try {
    const { secret, version } = store.getSecretValue(secretId);
    return { value: secretValueShape(secret, version) };
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    return { error: { SecretId: secretId, ErrorCode: error.code, Message: error.message } };
  }
}

/** Secrets Manager's read operations. */
export function smReadOperations(store: SecretStore): OperationTable {
  return {
    GetSecretValue(input: JsonObject) {
      const { secret, version } = store.getSecretValue(
        requiredString(input, 'SecretId'),
        optionalString(input, 'VersionId'),
        optionalString(input, 'VersionStage'),
      );
      return secretValueShape(secret, version);
    },

    DescribeSecret(input: JsonObject) {
      return describeShape(store.resolve(requiredString(input, 'SecretId'), true));
    },

    ListSecrets(input: JsonObject) {
      const size = optionalInteger(input, 'MaxResults', 1, 100) ?? 100;
      const window = listWindow(
        store,
        input,
        'ListSecrets',
        size,
        optionalBoolean(input, 'IncludePlannedDeletion') ?? false,
      );
      return {
        SecretList: window.items.map(listEntryShape),
        ...(window.nextToken !== undefined && { NextToken: window.nextToken }),
      };
    },

    ListSecretVersionIds(input: JsonObject) {
      const secret = store.resolve(requiredString(input, 'SecretId'), true);
      const size = optionalInteger(input, 'MaxResults', 1, 100) ?? 100;
      const includeDeprecated = optionalBoolean(input, 'IncludeDeprecated') ?? false;
      const versions = secret.versions.all().filter((v) => includeDeprecated || v.stages.length > 0);
      const window = scanWindow(
        'ListSecretVersionIds',
        versions,
        (v) => sortableNumber(v.seq),
        size,
        optionalString(input, 'NextToken'),
        invalidToken,
      );
      return {
        Versions: window.items.map(versionEntryShape),
        ...(window.nextToken !== undefined && { NextToken: window.nextToken }),
        ARN: secret.arn,
        Name: secret.name,
      };
    },

    BatchGetSecretValue(input: JsonObject) {
      const ids = optionalStringList(input, 'SecretIdList');
      const hasFilters = input.Filters !== undefined && input.Filters !== null;
      if ((ids === undefined) === !hasFilters) {
        throw smError('InvalidParameterException', 'You must include Filters or SecretIdList, but not both.');
      }
      const maxResults = optionalInteger(input, 'MaxResults', 1, 20);
      if (ids !== undefined) {
        if (ids.length < 1 || ids.length > 20) {
          throw constraintError(
            'secretIdList',
            `[${ids.join(', ')}]`,
            'Member must have length less than or equal to 20',
          );
        }
        if (maxResults !== undefined) {
          throw smError('InvalidParameterException', 'To use MaxResults, you must also use the Filters parameter.');
        }
        const entries = [...new Set(ids)].map((id) => batchEntry(store, id));
        return {
          SecretValues: entries.flatMap((entry) => (entry.value ? [entry.value] : [])),
          Errors: entries.flatMap((entry) => (entry.error ? [entry.error] : [])),
        };
      }
      const window = listWindow(store, input, 'BatchGetSecretValue', maxResults ?? 20, false);
      const entries = window.items.map((secret) => batchEntry(store, secret.arn));
      return {
        SecretValues: entries.flatMap((entry) => (entry.value ? [entry.value] : [])),
        ...(window.nextToken !== undefined && { NextToken: window.nextToken }),
        Errors: entries.flatMap((entry) => (entry.error ? [entry.error] : [])),
      };
    },
  };
}
