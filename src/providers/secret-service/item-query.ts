import { InvalidSecretRefError, type SecretRef } from '../../provider-kit/index.js';
import type { Attributes } from './item.js';

/** Where a ref looks for items: every collection, a collection alias, or a collection by object path. */
export type CollectionSpec =
  | { readonly kind: 'all' }
  | { readonly kind: 'alias'; readonly alias: string }
  | { readonly kind: 'path'; readonly path: string };

/** A parsed Secret Service ref name: a collection and the attributes an item must have. */
export interface ItemQuery {
  readonly collection: CollectionSpec;
  readonly attributes: Attributes;
}

/** The prefix of collection object paths. */
export const COLLECTION_PATH_PREFIX = '/org/freedesktop/secrets/collection/';
const ALIAS = /^[A-Za-z0-9_-]+$/;
const COLLECTION_PATH = /^\/org\/freedesktop\/secrets\/collection\/[A-Za-z0-9_]+$/;

/**
 * Parses the name of a `secret-service:` ref:
 *
 * ```
 * secret-service:default?service=myapp&user=alice              the `default` alias, two attributes
 * secret-service:/org/freedesktop/secrets/collection/login?id=7  a collection by object path
 * secret-service:?service=myapp                                 every collection (Service.SearchItems)
 * ```
 *
 * Before `?`: nothing (every collection), an alias (`default`, `session`, `login`…: letters, digits, `_`, `-`), or
 * a collection's object path. After `?`: `key=value` attributes joined by `&`, URL-encoded (`%26` for `&`, `%3D`
 * for `=`; `+` is a plus, not a space). The core already decoded `%40`, `%23` and `%25` in the name, so an `@` in a
 * value is written `%40` and a literal `%` `%2525`. A ref that reads or writes one item needs at least one attribute;
 * a listing prefix (`allowEmpty`) may have none.
 */
export function parseItemQuery(ref: SecretRef, allowEmpty = false): ItemQuery {
  const question = ref.name.indexOf('?');
  const head = question < 0 ? ref.name : ref.name.slice(0, question);
  const query = question < 0 ? '' : ref.name.slice(question + 1);
  const attributes: Record<string, string> = {};
  for (const pair of query === '' ? [] : query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw invalid(ref, `'${pair}' is not key=value`);
    const key = decode(ref, pair.slice(0, equals));
    if (Object.hasOwn(attributes, key)) throw invalid(ref, `the attribute '${key}' is given twice`);
    attributes[key] = decode(ref, pair.slice(equals + 1));
  }
  if (!allowEmpty && Object.keys(attributes).length === 0) {
    throw invalid(ref, 'it names no attribute: write e.g. secret-service:default?service=myapp&user=alice');
  }
  return { collection: parseCollection(ref, head), attributes };
}

/** The canonical ref name of an item: its collection as the listing named it, then its attributes sorted by key. */
export function formatItemQuery(collection: CollectionSpec, attributes: Attributes): string {
  const head = collection.kind === 'all' ? '' : collection.kind === 'alias' ? collection.alias : collection.path;
  const pairs = Object.keys(attributes)
    .sort()
    .map((key) => `${encode(key)}=${encode(attributes[key] ?? '')}`);
  return `${head}?${pairs.join('&')}`;
}

/** Whether `attributes` include every pair of `wanted`. */
export function attributesMatch(attributes: Attributes, wanted: Attributes): boolean {
  return Object.entries(wanted).every(([key, value]) => attributes[key] === value);
}

/** The collection path an item path belongs to. */
export function collectionOf(itemPath: string): string {
  return itemPath.slice(0, itemPath.lastIndexOf('/'));
}

function parseCollection(ref: SecretRef, head: string): CollectionSpec {
  if (head === '') return { kind: 'all' };
  if (ALIAS.test(head)) return { kind: 'alias', alias: head };
  if (COLLECTION_PATH.test(head)) return { kind: 'path', path: head };
  throw invalid(
    ref,
    `'${head}' is neither a collection alias (default, session, login…) nor a path ${COLLECTION_PATH_PREFIX}<name>`,
  );
}

/** URL-encodes a key or value for a canonical name. */
function encode(text: string): string {
  return encodeURIComponent(text);
}

function decode(ref: SecretRef, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(ref, `'${text}' has a bad %-escape (write a literal % as %2525)`);
  }
}

function invalid(ref: SecretRef, why: string): InvalidSecretRefError {
  return new InvalidSecretRefError(`'${ref.text}' is not a Secret Service ref: ${why}`, {
    ref: ref.text,
    provider: ref.scheme,
  });
}
