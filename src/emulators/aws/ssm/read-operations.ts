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
import { isUnderPath, legacyFilters, parseParameterFilters, selectVersion } from './filters.js';
import type { ParameterStore, ParameterVersion } from './parameter-store.js';
import { historyShape, metadataShape, parameterShape } from './shapes.js';
import { normalizePath, parameterNotFound, parseSelector, ssmError } from './validation.js';

const invalidToken = () => ssmError('InvalidNextToken', 'The nextToken is not valid.');

function selectorSuffix(nameWithSelector: string): string | undefined {
  const { version, label } = parseSelector(nameWithSelector);
  if (version !== undefined) return `:${version}`;
  return label === undefined ? undefined : `:${label}`;
}

/** Parameter Store's read operations: GetParameter(s), GetParametersByPath, GetParameterHistory, DescribeParameters, ListTagsForResource. */
export function ssmReadOperations(store: ParameterStore): OperationTable {
  return {
    GetParameter(input: JsonObject) {
      const name = requiredString(input, 'Name');
      const version = store.getParameter(name);
      return {
        Parameter: parameterShape(
          store,
          version,
          optionalBoolean(input, 'WithDecryption') ?? false,
          selectorSuffix(name),
        ),
      };
    },

    GetParameters(input: JsonObject) {
      const names = optionalStringList(input, 'Names');
      if (names === undefined) throw constraintError('names', undefined, 'Member must not be null');
      if (names.length < 1 || names.length > 10) {
        throw constraintError(
          'names',
          `[${names.join(', ')}]`,
          `Member must have length ${names.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
        );
      }
      const withDecryption = optionalBoolean(input, 'WithDecryption') ?? false;
      const parameters: unknown[] = [];
      const invalid: string[] = [];
      for (const name of new Set(names)) {
        try {
          parameters.push(parameterShape(store, store.getParameter(name), withDecryption, selectorSuffix(name)));
        } catch (error) {
          if (
            !(error instanceof AwsServiceError) ||
            !['ParameterNotFound', 'ParameterVersionNotFound'].includes(error.code)
          )
            throw error;
          invalid.push(name);
        }
      }
      return { Parameters: parameters, InvalidParameters: invalid };
    },

    GetParametersByPath(input: JsonObject) {
      const path = normalizePath(requiredString(input, 'Path'));
      const recursive = optionalBoolean(input, 'Recursive') ?? false;
      const filters = parseParameterFilters(optionalObjectList(input, 'ParameterFilters'), 'GetParametersByPath');
      const withDecryption = optionalBoolean(input, 'WithDecryption') ?? false;
      const size = optionalInteger(input, 'MaxResults', 1, 10) ?? 10;
      // Like AWS, a page is a window of the scan over everything under the path, filtered afterwards: a page can
      // come back short or empty while a NextToken still follows.
      const scanned = store.sorted().filter((p) => isUnderPath(p.name, path, true));
      const window = scanWindow(
        'GetParametersByPath',
        scanned,
        (p) => p.name,
        size,
        optionalString(input, 'NextToken'),
        invalidToken,
      );
      const parameters = window.items
        .filter((p) => recursive || isUnderPath(p.name, path, false))
        .map((p) => selectVersion(p, filters))
        .filter((v): v is ParameterVersion => v !== undefined)
        .map((v) => parameterShape(store, v, withDecryption));
      return { Parameters: parameters, ...(window.nextToken !== undefined && { NextToken: window.nextToken }) };
    },

    GetParameterHistory(input: JsonObject) {
      const name = requiredString(input, 'Name');
      const parameter = store.find(parseSelector(name).name);
      if (!parameter) throw parameterNotFound(name);
      const size = optionalInteger(input, 'MaxResults', 1, 50) ?? 50;
      const withDecryption = optionalBoolean(input, 'WithDecryption') ?? false;
      const window = scanWindow(
        'GetParameterHistory',
        parameter.versions,
        (v) => sortableNumber(v.version),
        size,
        optionalString(input, 'NextToken'),
        invalidToken,
      );
      return {
        Parameters: window.items.map((v) => historyShape(store, v, withDecryption)),
        ...(window.nextToken !== undefined && { NextToken: window.nextToken }),
      };
    },

    DescribeParameters(input: JsonObject) {
      const filters = [
        ...legacyFilters(optionalObjectList(input, 'Filters')),
        ...parseParameterFilters(optionalObjectList(input, 'ParameterFilters'), 'DescribeParameters'),
      ];
      const size = optionalInteger(input, 'MaxResults', 1, 50) ?? 50;
      const window = scanWindow(
        'DescribeParameters',
        store.sorted(),
        (p) => p.name,
        size,
        optionalString(input, 'NextToken'),
        invalidToken,
      );
      const parameters = window.items
        .map((p) => selectVersion(p, filters))
        .filter((v): v is ParameterVersion => v !== undefined)
        .map((v) => metadataShape(store, v));
      return { Parameters: parameters, ...(window.nextToken !== undefined && { NextToken: window.nextToken }) };
    },

    ListTagsForResource(input: JsonObject) {
      const parameter = taggedParameter(store, input);
      return { TagList: [...parameter.tags].map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}

/** The parameter a tagging request designates (`ResourceType: 'Parameter'`, `ResourceId: name`). */
export function taggedParameter(store: ParameterStore, input: JsonObject) {
  const type = requiredString(input, 'ResourceType');
  const id = requiredString(input, 'ResourceId');
  if (type !== 'Parameter') throw ssmError('InvalidResourceType', 'The resource type is not valid for this operation.');
  const parameter = store.find(id);
  if (!parameter)
    throw ssmError(
      'InvalidResourceId',
      'The resource ID is not valid. Verify that you entered the correct ID and try again.',
    );
  return parameter;
}
