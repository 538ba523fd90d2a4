// The lazy listing's guard (a backend that hands back a page cursor it already gave would page forever), and the
// read-ahead of listings whose pages need a second read (values).
import test from 'ava';
import { NEVER, Observable, of, Subject } from 'rxjs';
import { createListing, createReadAheadListing } from '../../src/core/listing.js';
import type { Page } from '../../src/core/provider.js';
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

/** Pages `first` → `a` → `b` (last), each fetch recorded; `hold` leaves the named cursor's fetch pending. */
function pagedSource(hold?: string) {
  const fetched: Array<string | undefined> = [];
  const aborted: Array<string | undefined> = [];
  const next: Record<string, string | undefined> = { first: 'a', a: 'b', b: undefined };
  const fetchPage = (cursor: string | undefined) =>
    new Observable<Page<SecretInfo>>((subscriber) => {
      fetched.push(cursor);
      if (cursor !== undefined && cursor === hold) return () => aborted.push(cursor);
      const name = cursor ?? 'first';
      subscriber.next({ items: [info(name)], next: next[name] });
      subscriber.complete();
      return undefined;
    });
  return { fetched, aborted, fetchPage };
}

test('read-ahead: the next page is listed while a page is completed, never more than one ahead', async (t) => {
  const source = pagedSource();
  const reads: Array<Subject<readonly SecretInfo[]>> = [];
  const listing = createReadAheadListing(makeRef('memory', ''), source.fetchPage, (items) => {
    const read = new Subject<readonly SecretInfo[]>();
    reads.push(read);
    setImmediate(() => {
      // While the first page's values are "read", the second page has been listed, and nothing beyond.
      if (reads.length === 1) t.deepEqual(source.fetched, [undefined, 'a']);
      read.next(items);
      read.complete();
    });
    return read;
  });
  const names: string[] = [];
  for await (const item of listing) {
    names.push(item.name);
    // The consumer holds a page: one page listed ahead of it at most.
    t.true(source.fetched.length <= names.length + 1);
  }
  t.deepEqual(names, ['first', 'a', 'b']);
  t.deepEqual(source.fetched, [undefined, 'a', 'b'], 'each page listed once');
});

test('read-ahead: break stops the page listed ahead', async (t) => {
  const source = pagedSource('a');
  const listing = createReadAheadListing(makeRef('memory', ''), source.fetchPage, (items) => of(items));
  for await (const item of listing) {
    t.is(item.name, 'first');
    break;
  }
  t.deepEqual(source.fetched, [undefined, 'a']);
  t.deepEqual(source.aborted, ['a'], 'the listing call in flight was unsubscribed (its signal aborted)');
});

test('read-ahead: a failed completion stops the page listed ahead', async (t) => {
  const source = pagedSource('a');
  const listing = createReadAheadListing(makeRef('memory', ''), source.fetchPage, () => {
    return new Observable<readonly SecretInfo[]>((subscriber) => subscriber.error(new Error('read failed')));
  });
  await t.throwsAsync(
    async () => {
      for await (const _ of listing) t.fail('nothing is yielded');
    },
    { message: 'read failed' },
  );
  t.deepEqual(source.aborted, ['a']);
});

test('read-ahead: pages that need no second read list nothing ahead', async (t) => {
  const source = pagedSource();
  const listing = createReadAheadListing(makeRef('memory', ''), source.fetchPage, (items) => items);
  for await (const _ of listing) break;
  t.deepEqual(source.fetched, [undefined]);
});

test('read-ahead: an aborted signal stops the listing and the page listed ahead', async (t) => {
  const source = pagedSource('a');
  const controller = new AbortController();
  const listing = createReadAheadListing(
    makeRef('memory', ''),
    source.fetchPage,
    (items) => (items[0]?.name === 'first' ? of(items) : NEVER),
    controller.signal,
  );
  const error = await t.throwsAsync(async () => {
    for await (const _ of listing) controller.abort(new Error('stop'));
  });
  t.is(error?.message, 'stop');
  t.deepEqual(source.aborted, ['a']);
});
