import { constraintError } from '../errors.js';
import { type JsonObject, optionalString, optionalStringList, requiredString } from '../input.js';
import { currentVersion, type ParameterVersion, type StoredParameter } from './parameter-store.js';
import { normalizePath, PARAMETER_TYPES, ssmError } from './validation.js';

/** A validated `ParameterStringFilter`. */
export interface ParameterFilter {
  key: string;
  option: string;
  values: string[];
}

/** Which operation the filters belong to: each accepts different keys. */
export type FilterContext = 'DescribeParameters' | 'GetParametersByPath';

const KEY_PATTERN = /^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$/;
const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'];

function checkKeyAllowed(key: string, context: FilterContext): void {
  if (context === 'DescribeParameters' && key === 'Label') {
    throw ssmError(
      'InvalidFilterKey',
      'The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].',
    );
  }
  if (context === 'GetParametersByPath' && ['Name', 'Path', 'Tier'].includes(key)) {
    throw ssmError(
      'InvalidFilterKey',
      `The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId, Label, tag].`,
    );
  }
}

function checkValues(filter: ParameterFilter): void {
  const { key, values } = filter;
  if (key === 'Path') {
    for (const value of values) {
      if (/^\/(aws|ssm)/i.test(value)) {
        throw ssmError(
          'ValidationException',
          'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
        );
      }
      normalizePath(value);
    }
  }
  const allowed = key === 'Tier' ? TIERS : key === 'Type' ? [...PARAMETER_TYPES] : undefined;
  const bad = allowed && values.find((value) => !allowed.includes(value));
  if (bad !== undefined) {
    throw ssmError(
      'InvalidFilterValue',
      `The following filter value is not valid: ${bad}. Valid values include: [${allowed?.join(', ')}].`,
    );
  }
}

/** Validates `ParameterFilters` as AWS does for the given operation. */
export function parseParameterFilters(
  raw: readonly JsonObject[] | undefined,
  context: FilterContext,
): ParameterFilter[] {
  const filters: ParameterFilter[] = [];
  for (const item of raw ?? []) {
    const key = requiredString(item, 'Key');
    if (!KEY_PATTERN.test(key)) {
      throw constraintError(
        'parameterFilters.member.key',
        key,
        'Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType',
      );
    }
    checkKeyAllowed(key, context);
    const values = optionalStringList(item, 'Values') ?? [];
    if (values.length === 0 && !key.startsWith('tag:')) {
      throw ssmError('InvalidFilterValue', `The following filter values are missing : null for filter key ${key}.`);
    }
    if (filters.some((filter) => filter.key === key)) {
      throw ssmError(
        'InvalidFilterKey',
        `The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`,
      );
    }
    const option = optionalString(item, 'Option') ?? (key === 'Path' ? 'OneLevel' : 'Equals');
    const options =
      key === 'Path'
        ? ['Recursive', 'OneLevel']
        : key === 'Name'
          ? ['Equals', 'BeginsWith', 'Contains']
          : ['Equals', 'BeginsWith'];
    if (!options.includes(option)) {
      throw ssmError(
        'InvalidFilterOption',
        `The following filter option is not valid: ${option}. Valid options include: [${options.join(', ')}].`,
      );
    }
    const filter = { key, option, values };
    checkValues(filter);
    filters.push(filter);
  }
  return filters;
}

/** Converts DescribeParameters' deprecated `Filters` (Name/Type/KeyId, equality) to parameter filters. */
export function legacyFilters(raw: readonly JsonObject[] | undefined): ParameterFilter[] {
  return (raw ?? []).map((item) => ({
    key: requiredString(item, 'Key'),
    option: 'Equals',
    values: optionalStringList(item, 'Values') ?? [],
  }));
}

function withSlash(name: string): string {
  return `/${name.replace(/^\/+/, '')}`;
}

function isUnderPath(name: string, path: string, recursive: boolean): boolean {
  const full = withSlash(name);
  const prefix = path === '/' ? '/' : `${path}/`;
  if (!full.startsWith(prefix)) return false;
  return recursive || !full.slice(prefix.length).includes('/');
}

function matchText(actual: string | undefined, filter: ParameterFilter): boolean {
  if (actual === undefined) return false;
  return filter.values.some((value) => {
    if (filter.option === 'BeginsWith') return actual.startsWith(value);
    if (filter.option === 'Contains') return actual.includes(value);
    return actual === value;
  });
}

function matchOne(parameter: StoredParameter, version: ParameterVersion, filter: ParameterFilter): boolean {
  const { key, values } = filter;
  if (key === 'Name') {
    const normalized = filter.option === 'Contains' ? filter : { ...filter, values: values.map(withSlash) };
    return matchText(filter.option === 'Contains' ? version.name : withSlash(version.name), normalized);
  }
  if (key === 'Path') {
    return values.some((value) => isUnderPath(version.name, normalizePath(value), filter.option === 'Recursive'));
  }
  if (key === 'Type') return matchText(version.type, filter);
  if (key === 'KeyId') return matchText(version.keyId, filter);
  if (key === 'Tier') return matchText(version.tier, filter);
  if (key === 'DataType') return matchText(version.dataType, filter);
  if (key === 'Label') return version.labels.some((label) => values.includes(label));
  if (key.startsWith('tag:')) {
    const tag = parameter.tags.get(key.slice(4));
    return tag !== undefined && (values.length === 0 || matchText(tag, filter));
  }
  return false;
}

/**
 * The version of `parameter` that the filters select, or `undefined` when it does not match.
 * It is the current version, except with a `Label` filter (GetParametersByPath), which selects the labelled version.
 */
export function selectVersion(
  parameter: StoredParameter,
  filters: readonly ParameterFilter[],
): ParameterVersion | undefined {
  const label = filters.find((filter) => filter.key === 'Label');
  const version = label
    ? [...parameter.versions].reverse().find((v) => v.labels.some((l) => label.values.includes(l)))
    : currentVersion(parameter);
  if (!version) return undefined;
  return filters.every((filter) => matchOne(parameter, version, filter)) ? version : undefined;
}

/** Whether a parameter lies under a normalized path (directly, or at any depth when recursive). */
export { isUnderPath };
