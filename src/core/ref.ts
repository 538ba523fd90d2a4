import { InvalidSecretRefError } from './errors/index.js';
import { formatKeyPath, type KeyPathSegment, parseKeyPath } from './key-path.js';

/**
 * A parsed reference to a secret: `scheme:name[@version][#json.key.path]`.
 *
 * - `scheme` picks the provider (`memory`, `aws-ssm`, `aws-sm`, `azure-kv`, `secret-service`).
 * - `name` is provider-specific (an SSM path, a Key Vault name, a Secret Service attribute query).
 * - `version` selects a version, stage or label; absent means the current one.
 * - `keyPath` selects a value inside the secret's JSON.
 *
 * `@` and `#` split the parts; a name or version containing them escapes them as `%40` and `%23` (and `%` as `%25`).
 */
export interface SecretRef {
  /** The provider's scheme, lower case, without the colon. */
  readonly scheme: string;
  /** The secret's name, with `%40`, `%23` and `%25` decoded. */
  readonly name: string;
  /** The version, stage or label asked for; undefined for the current version. */
  readonly version: string | undefined;
  /** Where to look inside the JSON value; undefined for the whole value. */
  readonly keyPath: readonly KeyPathSegment[] | undefined;
  /** The canonical text of the ref, including the key path. */
  readonly text: string;
}

/** Whether `text` is a scheme: a lower-case letter, then lower-case letters, digits, `+`, `.` or `-`. */
function isScheme(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = c >= 0x61 && c <= 0x7a;
    if (i === 0 ? !letter : !(letter || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d)) {
      return false;
    }
  }
  return text.length > 0;
}

/** Whether `text` has an `@`, `#` or `%` at or after `from`: a part that parsing or escaping would change. */
function hasMarks(text: string, from = 0): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x40 || c === 0x23 || c === 0x25) return true;
  }
  return false;
}

function unescapePart(part: string): string {
  if (!part.includes('%')) return part;
  return part.replace(/%(40|23|25)/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function escapePart(part: string): string {
  if (!hasMarks(part)) return part;
  return part
    .replace(/%(?=40|23|25)/gi, '%25')
    .replace(/@/g, '%40')
    .replace(/#/g, '%23');
}

/** The refs this module built: their text agrees with their parts by construction. */
const built = new WeakSet<SecretRef>();

/** How many characters of a ref's text an error message quotes. */
const QUOTED_MAX = 200;

/** A ref's text as an error message quotes it: in quotes, and only its first characters when it is overlong. */
export function quoteRef(text: string): string {
  if (text.length <= QUOTED_MAX) return `'${text}'`;
  return `'${text.slice(0, QUOTED_MAX)}…' (${text.length} characters)`;
}

/**
 * Parses a ref. A {@link SecretRef} this module built passes through unchanged; any other object (hand-built) is
 * checked part by part and rebuilt, so its text always agrees with its parts. Throws {@link InvalidSecretRefError}.
 */
export function parseSecretRef(input: string | SecretRef): SecretRef {
  if (typeof input === 'string') return parseRefText(input, false);
  if (typeof input === 'object' && input !== null && built.has(input)) return input;
  return rebuild(input);
}

/** Checks the parts of a hand-built ref object and builds the canonical ref from them (its `text` is ignored). */
function rebuild(input: unknown): SecretRef {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidSecretRefError(`a ref must be a string like 'scheme:name' or a SecretRef; got ${describe(input)}`);
  }
  const { scheme, name, version, keyPath } = input as Record<string, unknown>;
  if (typeof scheme !== 'string' || !isScheme(scheme)) {
    throw new InvalidSecretRefError('a SecretRef needs a scheme (lower case letters, digits, + . -)');
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidSecretRefError(`a SecretRef of '${scheme}:' needs a non-empty name`);
  }
  if (version !== undefined && (typeof version !== 'string' || version.length === 0)) {
    throw new InvalidSecretRefError(`a SecretRef's version must be a non-empty string or undefined`);
  }
  if (
    keyPath !== undefined &&
    (!Array.isArray(keyPath) ||
      keyPath.length === 0 ||
      !keyPath.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s) && s >= 0)))
  ) {
    throw new InvalidSecretRefError(`a SecretRef's keyPath must be a non-empty array of keys and indexes`);
  }
  return makeRef(scheme, name, version as string | undefined, keyPath as KeyPathSegment[] | undefined);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * Parses a listing prefix: `scheme:` or `scheme:prefix`. The name may be empty; versions and key paths are not
 * allowed. Throws {@link InvalidSecretRefError}.
 */
export function parseSecretPrefix(input: string): SecretRef {
  const ref = parseRefText(input, true);
  if (ref.version !== undefined || ref.keyPath !== undefined) {
    throw new InvalidSecretRefError(`a listing prefix takes no @version or #key.path: ${quoteRef(input)}`, {
      ref: input,
    });
  }
  return ref;
}

function parseRefText(input: string, allowEmptyName: boolean): SecretRef {
  if (typeof input !== 'string') {
    throw new InvalidSecretRefError(`a ref must be a string like 'scheme:name', got ${describe(input)}`);
  }
  const colon = input.indexOf(':');
  if (colon <= 0) {
    throw new InvalidSecretRefError(
      `${quoteRef(input)} has no scheme: write 'scheme:name', e.g. 'memory:db/password'`,
      {
        ref: input,
      },
    );
  }
  const scheme = input.slice(0, colon);
  if (!isScheme(scheme)) {
    throw new InvalidSecretRefError(`${quoteRef(scheme)} is not a valid scheme (lower case letters, digits, + . -)`, {
      ref: input,
    });
  }
  if (!hasMarks(input, colon + 1)) {
    // No version, key path or escapes: the name is the rest, and the input is already the canonical text.
    if (colon === input.length - 1 && !allowEmptyName) {
      throw new InvalidSecretRefError(`${quoteRef(input)} names no secret`, { ref: input });
    }
    return frozenRef(scheme, input.slice(colon + 1), undefined, undefined, input);
  }
  let rest = input.slice(colon + 1);
  let keyPath: KeyPathSegment[] | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    keyPath = parseKeyPath(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    version = unescapePart(rest.slice(at + 1));
    rest = rest.slice(0, at);
    if (version.length === 0)
      throw new InvalidSecretRefError(`empty version after '@' in ${quoteRef(input)}`, { ref: input });
  }
  const name = unescapePart(rest);
  if (name.length === 0 && !allowEmptyName) {
    throw new InvalidSecretRefError(`${quoteRef(input)} names no secret`, { ref: input });
  }
  return makeRef(scheme, name, version, keyPath);
}

/** Builds a ref from its parts (no parsing, no escaping needed). */
export function makeRef(
  scheme: string,
  name: string,
  version?: string,
  keyPath?: readonly KeyPathSegment[],
): SecretRef {
  let text = `${scheme}:${escapePart(name)}`;
  if (version !== undefined) text += `@${escapePart(version)}`;
  if (keyPath !== undefined) text += `#${formatKeyPath(keyPath)}`;
  return frozenRef(scheme, name, version, keyPath, text);
}

function frozenRef(
  scheme: string,
  name: string,
  version: string | undefined,
  keyPath: readonly KeyPathSegment[] | undefined,
  text: string,
): SecretRef {
  const ref: SecretRef = Object.freeze({
    scheme,
    name,
    version,
    keyPath: keyPath && Object.freeze([...keyPath]),
    text,
  });
  built.add(ref);
  return ref;
}

/** The ref without its key path: what identifies one stored value (and one cache entry). */
export function withoutKeyPath(ref: SecretRef): SecretRef {
  return ref.keyPath === undefined ? ref : makeRef(ref.scheme, ref.name, ref.version);
}

/** The ref of the current version of the same secret. */
export function latestOf(ref: SecretRef): SecretRef {
  return ref.version === undefined && ref.keyPath === undefined ? ref : makeRef(ref.scheme, ref.name);
}
