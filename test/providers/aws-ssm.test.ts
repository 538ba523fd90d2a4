// What only our emulator can show of this provider (call counts, store internals, exact recovery windows). The
// scenarios any AWS implementation must pass live once, in test/interop/contracts, run against moto and this emulator.
import test from 'ava';
import { firstValueFrom, take, toArray } from 'rxjs';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import {
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
    // On a busy machine a round can take longer than 40 ms: the refs of its late call then skip a round and rejoin
    // the batch at the next one. Whatever happens, three whole rounds in a row come within a few.
    const ticks = await nextEvents(secrets.events, 'watch-probe', 10);
    const whole = ticks.map((tick) => `${tick.refs}/${tick.calls}`).join(' ');
    t.true(whole.includes('12/2 12/2 12/2'), whole);
    emulator.stats.reset();
    const rotated = firstValueFrom(secrets.watch('aws-ssm:/watched/p03').pipe(take(2), toArray()));
    put('/watched/p03', 'v2');
    const seen = await rotated;
    t.deepEqual(
      seen.map((s) => s.value),
      ['v1', 'v2'],
    );
    t.is(emulator.stats.count('ssm.GetParameter'), 1, 'one read for the one change');
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

test('a value refused by AWS never appears in the error or its cause', async (t) => {
  const name = unique('/set/pattern');
  const value = 'Sup3r-Secret-Value';
  const error = await rejection(firstValueFrom(secrets.set(`aws-ssm:${name}`, value, { allowedPattern: '^[0-9]+$' })));
  t.true(isValidationError(error));
  t.false(messages(error).includes(value));
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
  for await (const info of ssm.versions(`aws-ssm:${name}`)) versions.push(info);
  t.is(versions.length, 60);
  t.is(versions[0]?.version, '1');
  t.deepEqual(versions[58]?.metadata.labels, ['stable']);
  const values: string[] = [];
  for await (const secret of ssm.versions(`aws-ssm:${name}`, { withValues: true, pageSize: 5 })) {
    values.push(String(secret.value));
    if (values.length === 7) break;
  }
  t.deepEqual(values.slice(5), ['v6', 'v7']);
});
