import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { firstValueFrom, NEVER } from 'rxjs';
import { sealCacheFile } from '../../src/core/cache/cache-file-format.js';
import { type CacheEvent, type PersistOptions, SecretCache } from '../../src/core/cache/index.js';
import { isValidationError } from '../../src/core/errors/index.js';
import { makeRef } from '../../src/core/ref.js';
import { Secret } from '../../src/core/secret.js';
import { recordEvents, secretOf, T0 } from '../support/cache-fixtures.js';
import { installFakeClock } from '../support/fake-clock.js';

const test = anyTest as TestFn<{ dir: string; path: string; key: Buffer }>;

test.beforeEach(async (t) => {
  t.context.dir = await mkdtemp(join(tmpdir(), 'rxsecrets-cache-'));
  t.context.path = join(t.context.dir, 'nested', 'cache.bin');
  t.context.key = randomBytes(32);
});
test.afterEach.always(async (t) => {
  await rm(t.context.dir, { recursive: true, force: true });
});

const TEXT = 'plaintext-password-4b1d';
const BYTES = new Uint8Array(Buffer.from('binary-secret-bytes-99f0'));
const JSON_VALUE = { user: 'admin', password: 'json-password-7c2e' };

function richSecret(): Secret {
  return new Secret(
    {
      ref: makeRef('aws-sm', 'prod/db', 'v-42'),
      name: 'prod/db',
      version: 'v-42',
      contentType: 'text/plain',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-02-01T00:00:00Z'),
      tags: { team: 'core' },
      metadata: { stages: ['AWSCURRENT'] },
    },
    TEXT,
  );
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function persisted(t: { context: { path: string; key: Buffer } }, extra: Partial<PersistOptions> = {}): SecretCache {
  return new SecretCache({ persist: { path: t.context.path, key: t.context.key, ...extra } });
}

async function writeThree(cache: SecretCache): Promise<void> {
  cache.put('text', richSecret());
  cache.put('bytes', secretOf('bin', BYTES));
  cache.put('json', secretOf('doc', JSON_VALUE));
  await cache.flush();
}

/** Reads a key from a cache whose fetch must not be called: only a stored entry can answer. */
function fromStore(cache: SecretCache, key: string): Promise<Secret> {
  return firstValueFrom(cache.read(key, () => NEVER));
}

test('entries survive a flush and a load, values and info intact', async (t) => {
  await writeThree(persisted(t));
  const reloaded = persisted(t);
  const events = recordEvents(reloaded);
  await reloaded.load();
  t.is(reloaded.size, 3);
  t.deepEqual(events.map((event) => event.type).sort(), ['load', 'load', 'load']);
  const text = await fromStore(reloaded, 'text');
  t.is(text.value, TEXT);
  t.is(text.ref.text, 'aws-sm:prod/db@v-42');
  t.is(text.version, 'v-42');
  t.is(text.contentType, 'text/plain');
  t.deepEqual(text.createdAt, new Date('2026-01-01T00:00:00Z'));
  t.deepEqual(text.updatedAt, new Date('2026-02-01T00:00:00Z'));
  t.deepEqual(text.tags, { team: 'core' });
  t.deepEqual(text.metadata, { stages: ['AWSCURRENT'] });
  const bytes = await fromStore(reloaded, 'bytes');
  t.true(bytes.value instanceof Uint8Array);
  t.deepEqual(Buffer.from(bytes.value as Uint8Array), Buffer.from(BYTES));
  t.deepEqual((await fromStore(reloaded, 'json')).value, JSON_VALUE);
});

test('the file is mode 0600, and an existing wider file is narrowed on load', async (t) => {
  await writeThree(persisted(t));
  t.is((await stat(t.context.path)).mode & 0o777, 0o600);
  await chmod(t.context.path, 0o644);
  await persisted(t).load();
  t.is((await stat(t.context.path)).mode & 0o777, 0o600);
});

test('no value, name or ref is in the file in plaintext', async (t) => {
  await writeThree(persisted(t));
  const bytes = await readFile(t.context.path);
  const latin1 = bytes.toString('latin1');
  for (const needle of [TEXT, 'json-password-7c2e', 'binary-secret-bytes-99f0', 'prod/db', 'AWSCURRENT']) {
    t.false(latin1.includes(needle), needle);
  }
  t.false(latin1.includes(Buffer.from(BYTES).toString('base64')));
  t.true(latin1.startsWith('RXSCACHE'));
});

test('two writes of the same entries differ (a fresh IV each time)', async (t) => {
  const cache = persisted(t);
  await writeThree(cache);
  const first = await readFile(t.context.path);
  await cache.flush();
  t.notDeepEqual(await readFile(t.context.path), first);
});

for (const [what, offset] of [
  ['in the ciphertext', 40],
  ['in the header', 8],
  ['in the IV', 12],
  ['in the tag', -1],
] as const) {
  test(`a file with one byte changed ${what} is rejected, not loaded, and does not throw`, async (t) => {
    await writeThree(persisted(t));
    const bytes = await readFile(t.context.path);
    const at = offset < 0 ? bytes.length + offset : offset;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(t.context.path, bytes);
    const cache = persisted(t);
    const events = recordEvents(cache);
    await t.notThrowsAsync(cache.load());
    t.is(cache.size, 0);
    t.is(events.length, 1);
    t.is(events[0]?.type, 'persist-rejected');
  });
}

test('a file written with another key is rejected', async (t) => {
  await writeThree(persisted(t));
  const cache = new SecretCache({ persist: { path: t.context.path, key: randomBytes(32) } });
  const events = recordEvents(cache);
  await cache.load();
  t.is(cache.size, 0);
  t.deepEqual(events, [{ type: 'persist-rejected', key: '', reason: 'tampered-or-wrong-key' }]);
});

test('a foreign file and an authenticated but corrupt document are rejected', async (t) => {
  await writeFile(`${t.context.dir}/foreign`, '{"entries": []}');
  const foreign = new SecretCache({ persist: { path: `${t.context.dir}/foreign`, key: t.context.key } });
  const foreignEvents = recordEvents(foreign);
  await foreign.load();
  t.deepEqual(foreignEvents, [{ type: 'persist-rejected', key: '', reason: 'foreign' }]);

  await writeFile(`${t.context.dir}/corrupt`, sealCacheFile(Buffer.from('not json at all'), t.context.key));
  const corrupt = new SecretCache({ persist: { path: `${t.context.dir}/corrupt`, key: t.context.key } });
  const corruptEvents = recordEvents(corrupt);
  await corrupt.load();
  t.deepEqual(corruptEvents, [{ type: 'persist-rejected', key: '', reason: 'corrupt' }]);
  t.is(corrupt.size, 0);
});

test('a missing file loads nothing, silently', async (t) => {
  const cache = persisted(t);
  const events = recordEvents(cache);
  await cache.load();
  t.is(cache.size, 0);
  t.deepEqual(events, []);
});

test('the key must be 32 bytes: bytes, 64 hex characters or base64', (t) => {
  const key = randomBytes(32);
  const path = join(t.context.dir, 'k');
  t.notThrows(() => new SecretCache({ persist: { path, key: key.toString('hex') } }));
  t.notThrows(() => new SecretCache({ persist: { path, key: key.toString('base64') } }));
  t.notThrows(() => new SecretCache({ persist: { path, key: new Uint8Array(key) } }));
  const secretish = 'my-short-passphrase';
  for (const bad of [randomBytes(31), randomBytes(33), secretish, key.toString('hex').slice(2)]) {
    const error = t.throws(() => new SecretCache({ persist: { path, key: bad } }));
    t.true(isValidationError(error));
    t.false(error?.message.includes(secretish));
  }
});

test.serial('entries past their stale window are not loaded; live ones keep their expiry', async (t) => {
  const clock = installFakeClock(undefined, { now: T0 });
  try {
    const cache = new SecretCache({
      ttl: '10m',
      jitter: 0,
      staleIfError: '1m',
      persist: { path: t.context.path, key: t.context.key },
    });
    cache.put('old', secretOf('old', 'o'));
    clock.tick(5 * 60_000);
    cache.put('new', secretOf('new', 'n'));
    await cache.flush();
    clock.tick(7 * 60_000); // old: 12 min (dead after 11), new: 7 min (fresh until 10)
    const reloaded = new SecretCache({
      ttl: '10m',
      jitter: 0,
      staleIfError: '1m',
      persist: { path: t.context.path, key: t.context.key },
    });
    const events: CacheEvent[] = recordEvents(reloaded);
    await reloaded.load();
    t.deepEqual(events, [{ type: 'load', key: 'new' }]);
    clock.tick(3 * 60_000 + 1);
    reloaded.read('new', () => NEVER).subscribe();
    t.deepEqual(
      events.slice(1).map((event) => event.type),
      ['expire', 'miss'],
      'the loaded entry expires when it would have',
    );
  } finally {
    clock.uninstall();
  }
});

test.serial('changes are written after the debounce delay, and close flushes', async (t) => {
  const clock = installFakeClock(t, { now: T0 });
  const cache = persisted(t, { flushDelay: '2s' });
  cache.put('a', secretOf('a', 'x'));
  await clock.tickAsync(1999);
  await new Promise((resolve) => setImmediate(resolve));
  await t.throwsAsync(stat(t.context.path), { code: 'ENOENT' }, 'nothing is written before the delay');
  await clock.tickAsync(1);
  // the timer fired: the write is real file I/O, so wait for the file (no flush: that would write it anyway). The
  // real-time bound only ends the wait if the write never comes; it is generous for a loaded machine.
  const giveUp = performance.now() + 10_000;
  while (!(await exists(t.context.path)) && performance.now() < giveUp) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.true(await exists(t.context.path), 'the debounced write happened once the delay passed');
  const reloaded = persisted(t);
  await reloaded.load();
  t.is(reloaded.size, 1);

  cache.put('b', secretOf('b', 'y'));
  await cache.close();
  const afterClose = persisted(t);
  await afterClose.load();
  t.is(afterClose.size, 2);
});

test('a write that fails is a persist-error event, not a rejection', async (t) => {
  await writeFile(join(t.context.dir, 'file'), 'x');
  const cache = new SecretCache({ persist: { path: join(t.context.dir, 'file', 'cache.bin'), key: t.context.key } });
  const events = recordEvents(cache);
  cache.put('a', secretOf('a', TEXT));
  await t.notThrowsAsync(cache.flush());
  const failure = events.find((event) => event.type === 'persist-error');
  t.truthy(failure);
  t.false(JSON.stringify(events).includes(TEXT));
  await cache.close();
});

test('a load does not overwrite an entry already in memory', async (t) => {
  await writeThree(persisted(t));
  const cache = persisted(t);
  cache.put('text', secretOf('db', 'newer-in-memory'));
  const events = recordEvents(cache);
  await cache.load();
  t.is((await fromStore(cache, 'text')).value, 'newer-in-memory');
  t.deepEqual(
    events
      .filter((event) => event.type === 'load')
      .map((event) => event.key)
      .sort(),
    ['bytes', 'json'],
  );
});
