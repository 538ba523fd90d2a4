import { KeyPathNotFoundError, SecretDecodeError } from './errors/index.js';
import { formatKeyPath, type KeyPathSegment } from './key-path.js';
import type { JsonValue, Secret, SecretValue } from './secret.js';

/**
 * How to decode a value after it is fetched (and cached: transforms never cost a backend call).
 * - `'json'`: parse text or UTF-8 bytes as JSON.
 * - `'binary'`: decode base64 text to bytes (bytes pass through).
 * - `'text'`: decode bytes as UTF-8 (text passes through).
 * - `'auto'`: `'json'` when the content type is JSON; when the backend stores no content type (none, or the
 *   Secret Service default `text/plain`), text that is a JSON object or array is decoded (as s1crets does) and
 *   any other text stays as it is; otherwise unchanged. It never fails.
 * - `'none'`: unchanged (the default, unless the ref has a `#key.path`, which implies `'json'`).
 */
export type Transform = 'json' | 'binary' | 'text' | 'auto' | 'none';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(secret: Secret, what: string): string {
  const value = secret.value;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) {
    try {
      return utf8.decode(value);
    } catch {
      throw new SecretDecodeError(`${secret} is not valid UTF-8, so it cannot be read as ${what}`, {
        ref: secret.ref.text,
      });
    }
  }
  return JSON.stringify(value);
}

/** Parses the value as JSON. The error never quotes the value (JSON.parse's own message does, so it is dropped). */
export function decodeJson(secret: Secret): Secret<JsonValue> {
  const value = secret.value;
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) return secret as Secret<JsonValue>;
  const text = asText(secret, 'JSON');
  try {
    return secret.withValue(JSON.parse(text) as JsonValue);
  } catch {
    // Neither the parser's message nor the text's length: both would tell something of the value.
    throw new SecretDecodeError(`${secret} is not valid JSON`, { ref: secret.ref.text });
  }
}

/** The `'auto'` transform: by content type, or by shape when the backend stores no content type. */
function decodeAuto(secret: Secret): Secret {
  const type = secret.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== undefined && /[/+]json$/.test(type)) return decodeJson(secret);
  if ((type !== undefined && type !== '' && type !== 'text/plain') || typeof secret.value !== 'string') return secret;
  const text = secret.value.trim();
  if (!(text.startsWith('{') && text.endsWith('}')) && !(text.startsWith('[') && text.endsWith(']'))) return secret;
  try {
    return secret.withValue(JSON.parse(text) as JsonValue);
  } catch {
    return secret;
  }
}

/** Decodes base64 (or base64url) text into bytes. */
export function decodeBinary(secret: Secret): Secret<Uint8Array> {
  const value = secret.value;
  if (value instanceof Uint8Array) return secret as Secret<Uint8Array>;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value.trim())) {
    throw new SecretDecodeError(`${secret} is not base64 text, so it cannot be decoded as binary`, {
      ref: secret.ref.text,
    });
  }
  return secret.withValue(new Uint8Array(Buffer.from(value.trim(), 'base64')));
}

/** Picks the value at `keyPath` inside a JSON value; a missing key is a {@link KeyPathNotFoundError}. */
export function selectKeyPath(secret: Secret, keyPath: readonly KeyPathSegment[]): Secret<JsonValue> {
  const json = decodeJson(secret);
  let current: JsonValue | undefined = json.value;
  for (let i = 0; i < keyPath.length; i++) {
    const segment = keyPath[i] as KeyPathSegment;
    if (Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : Number.NaN;
      current = Number.isInteger(index) ? current[index] : undefined;
    } else if (current !== null && typeof current === 'object') {
      const key = String(segment);
      current = Object.hasOwn(current, key) ? current[key] : undefined;
    } else {
      current = undefined;
    }
    if (current === undefined) {
      const where = formatKeyPath(keyPath.slice(0, i + 1));
      throw new KeyPathNotFoundError(`${secret} has no key '${where}'`, {
        ref: secret.ref.text,
        keyPath: formatKeyPath(keyPath),
      });
    }
  }
  return json.withValue(current as JsonValue);
}

/** Applies a transform, then the ref's key path if it has one. */
export function applyTransform(secret: Secret, transform: Transform = 'none'): Secret {
  let out: Secret = secret;
  switch (transform) {
    case 'json':
      out = decodeJson(secret);
      break;
    case 'binary':
      out = decodeBinary(secret);
      break;
    case 'text':
      out = secret.withValue(asText(secret, 'text') as SecretValue);
      break;
    case 'auto':
      out = decodeAuto(secret);
      break;
    case 'none':
      break;
  }
  return secret.ref.keyPath === undefined ? out : selectKeyPath(out, secret.ref.keyPath);
}
