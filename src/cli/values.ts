/**
 * How values and metadata are printed: text for strings, JSON for decoded JSON, binary only when asked for
 * (`--base64`, `--out-file`), environment names derived from refs, and dotenv / shell quoting.
 * @module
 */

import type { Secret, SecretValue } from '../index.js';
import { ValidationError } from '../index.js';

/** The text of a value: strings as they are, decoded JSON as JSON, bytes refused unless `base64`. */
export function valueText(secret: Secret, base64 = false): string {
  const value: SecretValue = secret.value;
  if (value instanceof Uint8Array) {
    if (base64) return Buffer.from(value).toString('base64');
    throw new ValidationError(
      `${secret.ref.text} holds binary data: print it with --base64 or write it with --out-file`,
      {
        ref: secret.ref.text,
      },
    );
  }
  if (base64) return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The bytes of a value, for `--out-file`. */
export function valueBytes(secret: Secret): Uint8Array {
  const value = secret.value;
  if (value instanceof Uint8Array) return value;
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}

/** What is known about a secret, as a JSON document without its value (the same fields as `Secret.toJSON`). */
export { secretInfoJSON as infoDocument } from '../core/secret.js';

/**
 * An environment variable name for a secret: its name relative to `base` (a listing prefix), or its whole name
 * followed by its key path, upper-cased with every other character as `_` (`aws-sm:prod/db#password` →
 * `PROD_DB_PASSWORD`).
 */
export function envNameOf(
  ref: { readonly name: string; readonly keyPath?: readonly unknown[] | undefined },
  base = '',
): string {
  const parts = [
    ref.name.startsWith(base) ? ref.name.slice(base.length) : ref.name,
    ...(ref.keyPath ?? []).map(String),
  ];
  const name = parts
    .join('_')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[0-9]/.test(name) ? `_${name}` : name || '_';
}

/** Quotes a value for a POSIX shell (`'…'`). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Quotes a value for a dotenv file (`"…"` with `\n`, `\"`, `\\` escapes). */
export function dotenvQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** Formats name/value pairs as `env` / `dotenv` (`NAME="value"`), `shell` (`export NAME='value'`) or JSON. */
export function formatPairs(pairs: ReadonlyArray<readonly [string, string]>, format: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(Object.fromEntries(pairs), null, 2)}\n`;
    case 'shell':
      return pairs.map(([name, value]) => `export ${name}=${shellQuote(value)}\n`).join('');
    default:
      return pairs.map(([name, value]) => `${name}=${dotenvQuote(value)}\n`).join('');
  }
}
