// The lazy listing's guard: a backend that hands back a page cursor it already gave would page forever.
import test from 'ava';
import { of } from 'rxjs';
import { createListing } from '../../src/core/listing.js';
import type { SecretInfo } from '../../src/core/secret.js';
import { isProviderError, makeRef } from '../../src/index.js';

const info = (name: string) => ({ name }) as unknown as SecretInfo;

test('a repeated page cursor ends the listing with a ProviderError after the pages before it', async (t) => {
  const cursors: Array<string | undefined> = [];
  const next: Record<string, string> = { first: 'a', a: 'b', b: 'a' }; // b points back to a
  const listing = createListing(makeRef('memory', ''), (cursor) => {
    cursors.push(cursor);
    return of({ items: [info(cursor ?? 'first')], next: next[cursor ?? 'first'] });
  });
  const names: string[] = [];
  const error = await t.throwsAsync(async () => {
    for await (const item of listing) names.push(item.name);
  });
  t.true(isProviderError(error), String(error));
  t.regex(String(error?.message), /repeated a page cursor/);
  t.deepEqual(names, ['first', 'a', 'b'], 'every page up to the repeat was yielded once');
  t.deepEqual(cursors, [undefined, 'a', 'b'], 'the repeated cursor is never fetched again');
});
