import { InvalidSecretRefError } from './errors/index.js';

/** One step of a key path: an object key, or an array index. */
export type KeyPathSegment = string | number;

/**
 * Parses a key path such as `db.password`, `hosts[0].name` or `["key.with.dots"].x` into segments.
 * Dotted segments that are whole numbers also index arrays (`hosts.0`).
 */
export function parseKeyPath(text: string): KeyPathSegment[] {
  const segments: KeyPathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new InvalidSecretRefError(`invalid key path '${text}': ${why}`);
  };
  if (text.length === 0) fail('empty');
  while (i < text.length) {
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) fail('unclosed [');
      const inner = text.slice(i + 1, close);
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) segments.push(JSON.parse(inner) as string);
      else fail(`'[${inner}]' is neither an index nor a quoted key`);
      i = close + 1;
      if (i < text.length && text[i] === '.') i += 1;
      continue;
    }
    let end = i;
    while (end < text.length && text[end] !== '.' && text[end] !== '[') end += 1;
    const key = text.slice(i, end);
    if (key.length === 0) fail('empty segment');
    segments.push(key);
    i = end < text.length && text[end] === '.' ? end + 1 : end;
    if (text[end] === '.' && i === text.length) fail('trailing dot');
  }
  return segments;
}

/** Formats segments back into the canonical key path text. */
export function formatKeyPath(segments: readonly KeyPathSegment[]): string {
  return segments
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[^.[\]"]+$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}
