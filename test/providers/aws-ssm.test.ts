import test from 'ava';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import {
  isConflictError,
  isInvalidSecretRefError,
  isSecretNotFoundError,
  isValidationError,
  type SecretInfo,
  type Secrets,
} from '../../src/index.js';
import type { ParameterStoreProvider } from '../../src/providers/aws/index.js';
import { awsSecrets, messages, nextEvents, rejection, startEmulator } from '../support/aws-provider-fixture.js';
import { unique } from '../support/unique-name.js';

let emulator: AwsEmulator;
let secrets: Secrets;
let ssm: ParameterStoreProvider;

test.before(async () => {
  emulator = await startEmulator();
  secrets = awsSecrets(emulator, { cache: false, watch: { maxBackoff: 50 } });
  ssm = secrets.provider<ParameterStoreProvider>('aws-ssm');
});

test.after.always(async () => {
  await secrets?.close();
  await emulator?.stop();
});

const put = (Name: string, Value: string, extra: Record<string, unknown> = {}) =>
  emulator.store.parameters.putParameter({ Name, Value, Type: 'SecureString', Overwrite: true, ...extra });

test.serial('getMany of 25 parameters makes 3 GetParameters calls; unknown names fail alone', async (t) => {
  const names = Array.from({ length: 25 }, (_, i) => `/many/p${i}`);
  for (const name of names) put(name, `v-${name}`);
  emulator.stats.reset();
  const results = await firstValueFrom(
    secrets.getMany([...names.map((n) => `aws-ssm:${n}`), 'aws-ssm:/many/missing', 'aws-ssm:/many/p1@9']),
  );
  t.is(emulator.stats.count('ssm.GetParameters'), 3);
  t.is(emulator.stats.total, 3);
  t.deepEqual(
    results.slice(0, 25).map((r) => (r.ok ? r.secret.value : 'error')),
    names.map((n) => `v-${n}`),
  );
  const [missing, badVersion] = results.slice(25);
  t.true(missing?.ok === false && isSecretNotFoundError(missing.error));
  t.true(badVersion?.ok === false && isSecretNotFoundError(badVersion.error) && badVersion.error.version === '9');
});

test.serial(
  'a watch of 12 parameters probes with 2 GetParameters per interval and reads only what changed',
  async (t) => {
    const names = Array.from({ length: 12 }, (_, i) => `/watched/p${String(i).padStart(2, '0')}`);
    for (const name of names) put(name, 'v1');
    const subscriptions = names.map((name) => secrets.watch(`aws-ssm:${name}`, { interval: 40 }).subscribe());
    const firstValues = nextEvents(secrets.events, 'watch-changed', 12);
    await firstValues;
    const probes = nextEvents(secrets.events, 'watch-probe', 3);
    emulator.stats.reset();
    const ticks = await probes;
    t.deepEqual(
      ticks.map((tick) => [tick.refs, tick.calls]),
      [
        [12, 2],
        [12, 2],
        [12, 2],
      ],
    );
    const rotated = firstValueFrom(secrets.watch('aws-ssm:/watched/p03').pipe(take(2), toArray()));
    put('/watched/p03', 'v2');
    const seen = await rotated;
    t.deepEqual(
      seen.map((s) => s.value),
      ['v1', 'v2'],
    );
    t.is(emulator.stats.count('ssm.GetParameter'), 1, 'one read for the one change');
    t.is(emulator.stats.count('ssm.GetParameters') % 2, 0, 'probes come in pairs of 10 + 2 names');
    for (const s of subscriptions) s.unsubscribe();
  },
);

test.serial(
  'a by-path listing fetches no page before it is pulled and one page when the consumer breaks',
  async (t) => {
    for (let i = 0; i < 35; i++) put(`/lazy/item${String(i).padStart(2, '0')}`, 'x');
    emulator.stats.reset();
    const listing = secrets.list('aws-ssm:/lazy/');
    t.is(emulator.stats.total, 0);
    for await (const _ of listing) break;
    t.is(emulator.stats.count('ssm.GetParametersByPath'), 1);
  },
);

test.serial('a listing with values reads them from the by-path pages: no second read per page', async (t) => {
  for (let i = 0; i < 25; i++) put(`/withvalues/item${String(i).padStart(2, '0')}`, `secret-${i}`);
  emulator.stats.reset();
  const values: string[] = [];
  for await (const secret of secrets.list('aws-ssm:/withvalues/', { withValues: true }))
    values.push(String(secret.value));
  t.is(values.length, 25);
  t.is(values[24], 'secret-24');
  t.is(emulator.stats.count('ssm.GetParametersByPath'), 3);
  t.is(emulator.stats.count('ssm.GetParameters'), 0);
  t.is(emulator.stats.count('ssm.GetParameter'), 0);
});

test('get decrypts SecureStrings and reads String and StringList (as a JSON array)', async (t) => {
  put('/types/secure', 's3cret', { KeyId: 'alias/custom' });
  put('/types/plain', 'hello', { Type: 'String' });
  put('/types/list', 'a,b,c', { Type: 'StringList' });
  const secure = await firstValueFrom(secrets.get('aws-ssm:/types/secure'));
  t.is(secure.value, 's3cret');
  t.is(secure.version, '1');
  t.is(secure.metadata.type, 'SecureString');
  t.true(secure.updatedAt instanceof Date);
  t.is((await firstValueFrom(secrets.get('aws-ssm:/types/plain'))).value, 'hello');
  const list = await firstValueFrom(secrets.get('aws-ssm:/types/list'));
  t.deepEqual(list.value, ['a', 'b', 'c']);
  t.is(list.metadata.type, 'StringList');
  t.is((await firstValueFrom(secrets.get('aws-ssm:/types/list#1'))).value, 'b');
});

test('JSON values and key paths', async (t) => {
  put('/json/db', JSON.stringify({ user: 'root', port: 5432 }));
  t.is((await firstValueFrom(secrets.get('aws-ssm:/json/db#user'))).value, 'root');
  t.deepEqual((await firstValueFrom(secrets.get('aws-ssm:/json/db', { transform: 'json' }))).value, {
    user: 'root',
    port: 5432,
  });
});

test('@version and @label select versions; a ref tells them apart by digits', async (t) => {
  const name = unique('/versions/p');
  put(name, 'one');
  put(name, 'two');
  put(name, 'three');
  emulator.store.parameters.labelParameterVersion(name, ['live'], 2);
  t.is((await firstValueFrom(secrets.get(`aws-ssm:${name}@1`))).value, 'one');
  const live = await firstValueFrom(secrets.get(`aws-ssm:${name}@live`));
  t.is(live.value, 'two');
  t.is(live.version, '2');
  t.is((await firstValueFrom(secrets.get(`aws-ssm:${name}`))).value, 'three');
  const missing = await rejection(firstValueFrom(secrets.get(`aws-ssm:${name}@7`)));
  t.true(isSecretNotFoundError(missing));
  t.is((missing as { version?: string }).version, '7');
  t.is((missing.cause as Error).name, 'ParameterVersionNotFound');
  const noLabel = await rejection(firstValueFrom(secrets.get(`aws-ssm:${name}@nolabel`)));
  t.true(isSecretNotFoundError(noLabel));
});

test('refs are validated before any call', async (t) => {
  const before = emulator.stats.total;
  for (const bad of [
    'aws-ssm:a/b',
    'aws-ssm:/a//b',
    'aws-ssm:/a b',
    'aws-ssm:/x@1abc',
    `aws-ssm:/${'x/'.repeat(16)}y`,
  ]) {
    const error = await rejection(firstValueFrom(secrets.get(bad)));
    t.true(isInvalidSecretRefError(error), bad);
  }
  t.true(isValidationError(await rejection(firstValueFrom(secrets.set('aws-ssm:/aws/mine', 'v')))));
  t.is(emulator.stats.total, before);
});

test('missing parameters are SecretNotFoundError with the native error as cause', async (t) => {
  const error = await rejection(firstValueFrom(secrets.get('aws-ssm:/nothing/here')));
  t.true(isSecretNotFoundError(error));
  t.is((error.cause as Error).name, 'ParameterNotFound');
  t.is((error as { provider?: string }).provider, 'aws-ssm');
});

test('set creates a SecureString, and an update keeps the type and KMS key', async (t) => {
  const name = unique('/set/p');
  const created = await firstValueFrom(secrets.set(`aws-ssm:${name}`, 'first', { tags: { team: 'db' } }));
  t.is(created.version, '1');
  t.is(emulator.store.parameters.getParameter(name).type, 'SecureString');
  put(name, 'second', { Type: 'SecureString', KeyId: 'alias/team-key' });
  const updated = await firstValueFrom(secrets.set(`aws-ssm:${name}`, 'third'));
  t.is(updated.version, '3');
  const stored = emulator.store.parameters.getParameter(name);
  t.is(stored.value, 'third');
  t.is(stored.type, 'SecureString');
  t.is(stored.keyId, 'alias/team-key');
  t.is(emulator.store.parameters.find(name)?.tags.get('team'), 'db');

  const plain = unique('/set/plain');
  put(plain, 'x', { Type: 'String' });
  await firstValueFrom(secrets.set(`aws-ssm:${plain}`, 'y'));
  t.is(emulator.store.parameters.getParameter(plain).type, 'String');
});

test('set of an array to a StringList stores the comma list; ifNotExists conflicts', async (t) => {
  const name = unique('/set/list');
  await firstValueFrom(secrets.set(`aws-ssm:${name}`, ['a', 'b'], { type: 'StringList' }));
  t.is(emulator.store.parameters.getParameter(name).value, 'a,b');
  t.deepEqual((await firstValueFrom(secrets.get(`aws-ssm:${name}`))).value, ['a', 'b']);
  const conflict = await rejection(firstValueFrom(secrets.set(`aws-ssm:${name}`, 'z', { ifNotExists: true })));
  t.true(isConflictError(conflict));
  t.true(isValidationError(await rejection(firstValueFrom(secrets.set(`aws-ssm:${name}`, new Uint8Array([1]))))));
});

test('a value refused by AWS never appears in the error or its cause', async (t) => {
  const name = unique('/set/pattern');
  const value = 'Sup3r-Secret-Value';
  const error = await rejection(firstValueFrom(secrets.set(`aws-ssm:${name}`, value, { allowedPattern: '^[0-9]+$' })));
  t.true(isValidationError(error));
  t.false(messages(error).includes(value));
});

test('delete removes a parameter; deleting a missing one is SecretNotFoundError', async (t) => {
  const name = unique('/del/p');
  put(name, 'x');
  const states = await lastValueFrom(secrets.delete(`aws-ssm:${name}`));
  t.true(states.done);
  t.false(await firstValueFrom(secrets.exists(`aws-ssm:${name}`)));
  t.true(isSecretNotFoundError(await rejection(lastValueFrom(secrets.delete(`aws-ssm:${name}`)))));
});

test('exists: a key, a version, or a path with anything below it', async (t) => {
  put('/exists/app/deep/key', 'x');
  t.true(await firstValueFrom(secrets.exists('aws-ssm:/exists/app/deep/key')));
  t.true(await firstValueFrom(secrets.exists('aws-ssm:/exists/app/deep/key@1')));
  t.false(await firstValueFrom(secrets.exists('aws-ssm:/exists/app/deep/key@2')));
  t.true(await firstValueFrom(secrets.exists('aws-ssm:/exists/app')));
  t.false(await firstValueFrom(secrets.exists('aws-ssm:/exists/other')));
});

test('by-path listing: one level or recursive, paged by 10, empty pages with a NextToken followed', async (t) => {
  for (let i = 0; i < 23; i++) put(`/tree/deep/k${String(i).padStart(2, '0')}`, 'x');
  put('/tree/top', 'x');
  const pages: Array<readonly SecretInfo[]> = [];
  for await (const page of secrets.list('aws-ssm:/tree/').pages()) pages.push(page);
  t.true(
    pages.some((page) => page.length === 0),
    'the scan saw pages with nothing at this level',
  );
  t.deepEqual(
    pages.flat().map((info) => info.name),
    ['/tree/top'],
  );
  const all: string[] = [];
  for await (const info of secrets.list('aws-ssm:/tree', { recursive: true })) all.push(info.name);
  t.is(all.length, 24);
  t.true(all.includes('/tree/deep/k22'));
  const withValues: string[] = [];
  for await (const secret of secrets.list('aws-ssm:/tree/deep/', { withValues: true }))
    withValues.push(String(secret.value));
  t.is(withValues.length, 23);
  t.true(
    isInvalidSecretRefError(
      await rejection(
        (async () => {
          for await (const _ of secrets.list('aws-ssm:tree')) break;
        })(),
      ),
    ),
  );
});

test('history lists every version lazily, with labels, and values on request', async (t) => {
  const name = unique('/hist/p');
  for (let i = 1; i <= 60; i++) put(name, `v${i}`);
  emulator.store.parameters.labelParameterVersion(name, ['stable'], 59);
  const versions: SecretInfo[] = [];
  for await (const info of ssm.history(`aws-ssm:${name}`)) versions.push(info);
  t.is(versions.length, 60);
  t.is(versions[0]?.version, '1');
  t.deepEqual(versions[58]?.metadata.labels, ['stable']);
  const values: string[] = [];
  for await (const secret of ssm.history(`aws-ssm:${name}`, { withValues: true, pageSize: 5 })) {
    values.push(String(secret.value));
    if (values.length === 7) break;
  }
  t.deepEqual(values.slice(5), ['v6', 'v7']);
});

test('a watch of a labelled ref follows the label', async (t) => {
  const name = unique('/label/w');
  put(name, 'a');
  put(name, 'b');
  emulator.store.parameters.labelParameterVersion(name, ['live'], 1);
  const seen = firstValueFrom(secrets.watch(`aws-ssm:${name}@live`, { interval: 20 }).pipe(take(2), toArray()));
  await nextEvents(secrets.events, 'watch-changed');
  emulator.store.parameters.labelParameterVersion(name, ['live'], 2);
  t.deepEqual(
    (await seen).map((s) => [s.version, s.value]),
    [
      ['1', 'a'],
      ['2', 'b'],
    ],
  );
});
