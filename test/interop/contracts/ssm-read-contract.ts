// The read side of the Parameter Store interop contract: getMany, listings, history, watch, get, exists. Every
// provider operation runs through `createSecrets` and the calls it makes are counted by the world's proxy. Where
// moto departs from AWS's documented behaviour, the test says so: the emulator is held to AWS, moto tolerated.
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { firstValueFrom, take, toArray } from 'rxjs';
import { isSecretNotFoundError, type SecretInfo } from '../../../src/index.js';
import type { ParameterStoreProvider } from '../../../src/providers/aws/index.js';
import type { AwsInteropWorld } from '../../support/aws-interop-fixture.js';
import { nextEvents, rejection } from '../../support/aws-provider-fixture.js';
import { ssmSeed } from './ssm-seed.js';

const GET_MANY = 'AmazonSSM.GetParameters';
const BY_PATH = 'AmazonSSM.GetParametersByPath';
const HISTORY = 'AmazonSSM.GetParameterHistory';

/** Registers the read scenarios of Parameter Store for one backend. */
export function ssmReadContract(world: AwsInteropWorld): void {
  const { put, label, get } = ssmSeed(world);
  const moto = world.backend === 'moto';

  world.serial(
    'getMany: 10 names per GetParameters, unknown names and versions fail alone, selectors pair',
    async (t) => {
      const names = Array.from({ length: 25 }, (_, i) => `/many/p${String(i).padStart(2, '0')}`);
      for (const name of names) await put(name, `v-${name}`);
      await put('/many/p00', 'second');
      await label('/many/p00', 1, 'live');
      // The same name plain, by version and by label, in one chunk: AWS marks the selected ones with `Selector`
      // (':1', ':live'); moto marks none of them, so the provider pairs them by version.
      const direct = await world.ssm.send(new GetParametersCommand({ Names: ['/many/p00:1', '/many/p00:live'] }));
      const selectors = direct.Parameters?.map((p) => p.Selector ?? 'none').sort();
      t.deepEqual(selectors, moto ? ['none', 'none'] : [':1', ':live']);
      world.proxy.reset();
      const refs = [
        'aws-ssm:/many/p00',
        'aws-ssm:/many/p00@1',
        'aws-ssm:/many/p00@live',
        ...names.slice(1).map((n) => `aws-ssm:${n}`),
        'aws-ssm:/many/missing',
        'aws-ssm:/many/p01@9',
      ];
      const results = await firstValueFrom(world.secrets.getMany(refs));
      t.is(world.proxy.count(GET_MANY), 3, '29 refs in chunks of 10');
      t.is(world.proxy.total, 3, 'no read one by one');
      t.deepEqual(
        results.slice(0, 3).map((r) => (r.ok ? [r.secret.value, r.secret.version] : 'error')),
        [
          ['second', '2'],
          ['v-/many/p00', '1'],
          ['v-/many/p00', '1'],
        ],
      );
      t.deepEqual(
        results.slice(3, 27).map((r) => (r.ok ? r.secret.value : 'error')),
        names.slice(1).map((n) => `v-${n}`),
      );
      const [missing, badVersion] = results.slice(27);
      t.true(missing?.ok === false && isSecretNotFoundError(missing.error));
      t.true(badVersion?.ok === false && isSecretNotFoundError(badVersion.error) && badVersion.error.version === '9');
    },
  );

  world.serial(
    'a by-path listing is lazy: nothing before the first pull, one page when the consumer breaks',
    async (t) => {
      for (let i = 0; i < 25; i++) await put(`/lazy/item${String(i).padStart(2, '0')}`, `secret-${i}`);
      world.proxy.reset();
      const listing = world.secrets.list('aws-ssm:/lazy/');
      t.is(world.proxy.total, 0);
      for await (const _ of listing) break;
      t.is(world.proxy.count(BY_PATH), 1);
      world.proxy.reset();
      const values: string[] = [];
      for await (const secret of world.secrets.list('aws-ssm:/lazy/', { withValues: true })) {
        values.push(String(secret.value));
      }
      t.is(values.length, 25);
      t.true(values.includes('secret-24'), 'SecureStrings decrypted');
      // 25 in pages of 10. moto also answers a NextToken after a full last page (AWS may too): 3 or 4 pages there.
      const pages = world.proxy.count(BY_PATH);
      if (moto) t.true(pages >= 3 && pages <= 4);
      else t.is(pages, 3);
      t.is(world.proxy.total, pages, 'values come with the pages: no second read');
    },
  );

  world.serial('history pages lazily with labels, values on request', async (t) => {
    const name = '/hist/p';
    for (let i = 1; i <= 12; i++) await put(name, `v${i}`);
    await label(name, 11, 'stable');
    const ssm = world.secrets.provider<ParameterStoreProvider>('aws-ssm');
    const versions: SecretInfo[] = [];
    for await (const info of ssm.versions(`aws-ssm:${name}`)) versions.push(info);
    t.deepEqual(
      versions.map((v) => v.version),
      Array.from({ length: 12 }, (_, i) => String(i + 1)),
    );
    t.deepEqual(versions[10]?.metadata.labels, ['stable']);
    world.proxy.reset();
    const values: string[] = [];
    for await (const secret of ssm.versions(`aws-ssm:${name}`, { withValues: true, pageSize: 5 })) {
      values.push(String(secret.value));
      if (values.length === 7) break;
    }
    t.deepEqual(values, ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
    t.is(world.proxy.count(HISTORY), 2, 'two pages of 5 for 7 versions');
  });

  world.serial('a watch sees a new version and follows a label', async (t) => {
    await put('/watch/p', 'v1');
    const seen = firstValueFrom(world.secrets.watch('aws-ssm:/watch/p', { interval: 30 }).pipe(take(2), toArray()));
    await nextEvents(world.secrets.events, 'watch-changed');
    await put('/watch/p', 'v2');
    t.deepEqual(
      (await seen).map((s) => [s.version, s.value]),
      [
        ['1', 'v1'],
        ['2', 'v2'],
      ],
    );
    await label('/watch/p', 1, 'live');
    const live = firstValueFrom(
      world.secrets.watch('aws-ssm:/watch/p@live', { interval: 30 }).pipe(take(2), toArray()),
    );
    await nextEvents(world.secrets.events, 'watch-changed');
    await label('/watch/p', 2, 'live');
    t.deepEqual(
      (await live).map((s) => [s.version, s.value]),
      [
        ['1', 'v1'],
        ['2', 'v2'],
      ],
    );
  });

  world.test('get: SecureString decrypted by default, String, StringList as string[], JSON key paths', async (t) => {
    await put('/types/secure', 's3cret');
    await put('/types/plain', 'hello', { Type: 'String' });
    await put('/types/list', 'a,b,c', { Type: 'StringList' });
    await put('/types/json', JSON.stringify({ user: 'root', port: 5432 }));
    const secure = await get('aws-ssm:/types/secure');
    t.is(secure.value, 's3cret');
    t.is(secure.version, '1');
    t.is(secure.metadata.type, 'SecureString');
    t.true(secure.updatedAt instanceof Date);
    t.is((await get('aws-ssm:/types/plain')).value, 'hello');
    const list = await get('aws-ssm:/types/list');
    t.deepEqual(list.value, ['a', 'b', 'c']);
    t.is((await get('aws-ssm:/types/list#1')).value, 'b');
    t.is((await get('aws-ssm:/types/json#user')).value, 'root');
    const json = await firstValueFrom(world.secrets.get('aws-ssm:/types/json', { transform: 'json' }));
    t.deepEqual(json.value, { user: 'root', port: 5432 });
  });

  world.test('@version and @label select versions; unknown ones are SecretNotFoundError', async (t) => {
    const name = '/versions/p';
    for (const value of ['one', 'two', 'three']) await put(name, value);
    await label(name, 2, 'live');
    t.is((await get(`aws-ssm:${name}@1`)).value, 'one');
    const live = await get(`aws-ssm:${name}@live`);
    t.deepEqual([live.value, live.version], ['two', '2']);
    t.is((await get(`aws-ssm:${name}`)).value, 'three');
    const missing = await rejection(get(`aws-ssm:${name}@7`));
    t.true(isSecretNotFoundError(missing));
    t.is((missing as { version?: string }).version, '7');
    t.is((missing.cause as Error).name, 'ParameterVersionNotFound');
    t.true(isSecretNotFoundError(await rejection(get(`aws-ssm:${name}@nolabel`))));
  });

  world.test('exists: a key, a version, a path with anything below it', async (t) => {
    await put('/exists/app/deep/key', 'x');
    const exists = (ref: string) => firstValueFrom(world.secrets.exists(ref));
    t.true(await exists('aws-ssm:/exists/app/deep/key'));
    t.true(await exists('aws-ssm:/exists/app/deep/key@1'));
    t.false(await exists('aws-ssm:/exists/app/deep/key@2'));
    t.true(await exists('aws-ssm:/exists/app'));
    t.false(await exists('aws-ssm:/exists/other'));
  });

  world.test('by-path listing: one level or recursive', async (t) => {
    for (let i = 0; i < 13; i++) await put(`/tree/deep/k${String(i).padStart(2, '0')}`, 'x', { Type: 'String' });
    await put('/tree/top', 'x');
    const top: string[] = [];
    for await (const info of world.secrets.list('aws-ssm:/tree/')) top.push(info.name);
    t.deepEqual(top, ['/tree/top']);
    const all: string[] = [];
    for await (const info of world.secrets.list('aws-ssm:/tree', { recursive: true })) all.push(info.name);
    t.is(all.length, 14);
    t.true(all.includes('/tree/deep/k12'));
  });
}
