import { constraintError } from '../errors.js';
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
import type { ParameterStore, PutParameterInput } from './parameter-store.js';
import { taggedParameter } from './read-operations.js';

/** Drops undefined members, so optional inputs stay absent (exactOptionalPropertyTypes). */
function definedOnly<R extends object>(value: { [K in keyof R]-?: R[K] | undefined }): R {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as R;
}

function labelList(input: JsonObject): string[] {
  const labels = optionalStringList(input, 'Labels');
  if (labels === undefined) throw constraintError('labels', undefined, 'Member must not be null');
  if (labels.length < 1 || labels.length > 10) {
    throw constraintError('labels', `[${labels.join(', ')}]`, 'Member must have length between 1 and 10');
  }
  return labels;
}

/** Parameter Store's write operations: PutParameter, DeleteParameter(s), (Un)LabelParameterVersion, tagging. */
export function ssmWriteOperations(store: ParameterStore): OperationTable {
  return {
    PutParameter(input: JsonObject) {
      return store.putParameter(
        definedOnly<PutParameterInput>({
          Name: requiredString(input, 'Name'),
          Value: requiredString(input, 'Value'),
          Type: optionalString(input, 'Type'),
          Overwrite: optionalBoolean(input, 'Overwrite'),
          Description: optionalString(input, 'Description'),
          KeyId: optionalString(input, 'KeyId'),
          AllowedPattern: optionalString(input, 'AllowedPattern'),
          Tier: optionalString(input, 'Tier'),
          DataType: optionalString(input, 'DataType'),
          Tags: optionalTags(input),
        }),
      );
    },

    DeleteParameter(input: JsonObject) {
      store.deleteParameter(requiredString(input, 'Name'));
      return {};
    },

    DeleteParameters(input: JsonObject) {
      const names = optionalStringList(input, 'Names');
      if (names === undefined) throw constraintError('names', undefined, 'Member must not be null');
      if (names.length < 1 || names.length > 10) {
        throw constraintError('names', `[${names.join(', ')}]`, 'Member must have length less than or equal to 10');
      }
      const deleted: string[] = [];
      const invalid: string[] = [];
      for (const name of new Set(names)) {
        if (store.find(name)) {
          store.deleteParameter(name);
          deleted.push(name);
        } else invalid.push(name);
      }
      return { DeletedParameters: deleted, InvalidParameters: invalid };
    },

    LabelParameterVersion(input: JsonObject) {
      const version = optionalInteger(input, 'ParameterVersion', 1, Number.MAX_SAFE_INTEGER);
      return store.labelParameterVersion(requiredString(input, 'Name'), labelList(input), version);
    },

    UnlabelParameterVersion(input: JsonObject) {
      const name = requiredString(input, 'Name');
      const version = optionalInteger(input, 'ParameterVersion', 1, Number.MAX_SAFE_INTEGER);
      if (version === undefined) throw constraintError('parameterVersion', undefined, 'Member must not be null');
      const labels = labelList(input);
      const invalid = store.unlabelParameterVersion(name, version, labels);
      return { RemovedLabels: labels.filter((label) => !invalid.includes(label)), InvalidLabels: invalid };
    },

    AddTagsToResource(input: JsonObject) {
      const parameter = taggedParameter(store, input);
      const tags = optionalTags(input);
      if (tags === undefined) throw constraintError('tags', undefined, 'Member must not be null');
      for (const tag of tags) parameter.tags.set(tag.Key, tag.Value);
      return {};
    },

    RemoveTagsFromResource(input: JsonObject) {
      const parameter = taggedParameter(store, input);
      const keys = optionalStringList(input, 'TagKeys');
      if (keys === undefined) throw constraintError('tagKeys', undefined, 'Member must not be null');
      for (const key of keys) parameter.tags.delete(key);
      return {};
    },
  };
}
