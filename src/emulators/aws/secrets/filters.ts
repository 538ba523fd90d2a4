import { constraintError } from '../errors.js';
import { type JsonObject, optionalString, optionalStringList } from '../input.js';
import type { StoredSecret } from './secret-store.js';

/** A validated ListSecrets / BatchGetSecretValue filter. */
export interface SecretFilter {
  key: string;
  values: string[];
}

const KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];
const VALUE_PATTERN = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;

/** Validates `Filters` against the model (keys, 1–10 values of at most 512 characters). */
export function parseSecretFilters(raw: readonly JsonObject[] | undefined): SecretFilter[] {
  return (raw ?? []).map((item, index) => {
    const key = optionalString(item, 'Key') ?? '';
    if (!KEYS.includes(key)) {
      throw constraintError(
        `filters.${index + 1}.member.key`,
        key,
        `Member must satisfy enum value set: [${KEYS.join(', ')}]`,
      );
    }
    const values = optionalStringList(item, 'Values') ?? [];
    if (values.length < 1 || values.length > 10) {
      throw constraintError(
        `filters.${index + 1}.member.values`,
        `[${values.join(', ')}]`,
        'Member must have length between 1 and 10',
      );
    }
    const bad = values.find((value) => value.length > 512 || !VALUE_PATTERN.test(value));
    if (bad !== undefined) {
      throw constraintError(
        `filters.${index + 1}.member.values`,
        bad,
        'Member must satisfy regular expression pattern',
      );
    }
    return { key, values };
  });
}

function attributes(secret: StoredSecret, key: string): string[] {
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return secret.description === undefined ? [] : [secret.description];
    case 'tag-key':
      return secret.tags.map((tag) => tag.Key);
    case 'tag-value':
      return secret.tags.map((tag) => tag.Value);
    case 'all':
      return [secret.name, secret.description ?? '', ...secret.tags.flatMap((tag) => [tag.Key, tag.Value])];
    default:
      return []; // primary-region, owning-service: the emulator has no replicas or managed secrets
  }
}

// `all` splits the search string into words; any word found in any attribute matches (not case-sensitive).
function matchesAll(values: string[], term: string): boolean {
  const words = term
    .split(/[^a-zA-Z0-9]+|(?<=[a-z])(?=[A-Z])|(?<=[a-zA-Z])(?=[0-9])|(?<=[0-9])(?=[a-zA-Z])/)
    .filter(Boolean);
  const haystack = values.map((value) => value.toLowerCase());
  return words.some((word) => haystack.some((value) => value.includes(word.toLowerCase())));
}

function matchesValue(secret: StoredSecret, key: string, value: string): boolean {
  const negate = value.startsWith('!');
  const term = negate ? value.slice(1) : value;
  const values = attributes(secret, key);
  let found: boolean;
  if (key === 'all') found = matchesAll(values, term);
  else if (key === 'description') found = values.some((v) => v.toLowerCase().startsWith(term.toLowerCase()));
  else found = values.some((v) => v.startsWith(term));
  return negate ? !found : found;
}

/** Whether a secret passes every filter (values of one filter are alternatives; `!` negates a value). */
export function matchesSecretFilters(secret: StoredSecret, filters: readonly SecretFilter[]): boolean {
  return filters.every((filter) => filter.values.some((value) => matchesValue(secret, filter.key, value)));
}
