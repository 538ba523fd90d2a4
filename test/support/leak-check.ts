// Checks that an error discloses nothing of a secret value: every text a user or a log can see of it (message,
// stack, the cause chain's messages and stacks, util.inspect, JSON.stringify) is searched for the value's fragments,
// and compared across values: an error whose text is the same whatever the value cannot disclose it, nor its length.
import { inspect } from 'node:util';
import type { ExecutionContext } from 'ava';

/** The short values every leak test writes: 1 to 8 characters, letters, digits and symbols. */
export const SHORT_VALUES = ['a', 'ab', 'ssm', 'pass', 'p@ss1', 'hunter', 's3cr3t!', '12345678'] as const;

/** A JSON value whose one field a backend message may quote on its own. */
export const JSON_VALUE = '{"user":"app","password":"Zq9#kLm2"}';
/** The field of {@link JSON_VALUE} that is quoted. */
export const JSON_FIELD = 'Zq9#kLm2';

/** A binary value, and the encodings of it a backend message may quote. */
export const BINARY_VALUE = new Uint8Array([0xfb, 0xef, 0xbe, 0x00, 0x7f, 0x10, 0x42, 0x99, 0xaa, 0x55, 0xc3]);
export const BINARY_FRAGMENTS = [
  Buffer.from(BINARY_VALUE).toString('base64'),
  Buffer.from(BINARY_VALUE).toString('base64url'),
  Buffer.from(BINARY_VALUE).toString('hex'),
];

/** Every text of an error a user or a log can see. */
export function errorTexts(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    out.push(current.message, current.stack ?? '');
    current = current.cause;
  }
  out.push(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
  out.push(JSON.stringify(error) ?? '');
  out.push(String(error));
  return out;
}

/** Asserts that no text of `error` contains any of `fragments`. */
export function assertNoFragment(t: ExecutionContext, error: unknown, fragments: readonly string[], what = ''): void {
  const texts = errorTexts(error);
  for (const fragment of fragments) {
    const leak = texts.find((text) => text.includes(fragment));
    t.is(leak, undefined, `${what} discloses '${fragment}'`);
  }
}

/**
 * The texts of an error with what differs from call to call regardless of the value (request ids, timings, line
 * numbers) normalised away: equal views for different values prove that the error depends on none of them.
 */
export function valueIndependentView(error: unknown): string {
  return errorTexts(error)
    .join('\n---\n')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\d+/g, '#');
}

/** Asserts that the errors (one per value) read the same, apart from ids and numbers. */
export function assertSameTexts(t: ExecutionContext, errors: readonly unknown[], what: string): void {
  t.true(errors.length > 1);
  const views = errors.map(valueIndependentView);
  for (const [index, view] of views.entries()) {
    t.is(
      view,
      views[0] ?? '',
      `${what}: the error for value #${index} differs from the first, so it depends on the value`,
    );
  }
}
