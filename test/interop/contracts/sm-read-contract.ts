// The read side of the Secrets Manager interop contract: getMany, watches, get, listings, versions, exists. Every
// provider operation runs through `createSecrets` and the calls it makes are counted by the world's proxy. Where
// moto departs from AWS's documented behaviour, the test says so: the emulator is held to AWS, moto tolerated.
import { ListSecretVersionIdsCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { isSecretDeletedError, isSecretNotFoundError, type SecretInfo } from '../../../src/index.js';
import type { SecretsManagerProbe, SecretsManagerProvider } from '../../../src/providers/aws/index.js';
import type { AwsInteropWorld } from '../../support/aws-interop-fixture.js';
import { nextEvents, rejection } from '../../support/aws-provider-fixture.js';
import { smSeed } from './sm-seed.js';

const BATCH = 'secretsmanager.BatchGetSecretValue';
const VERSION_IDS = 'secretsmanager.ListSecretVersionIds';

/** Registers the read scenarios of Secrets Manager for one backend. */
export function smReadContract(world: AwsInteropWorld): void {
  const { create, rotate, schedule, get } = smSeed(world);
  const moto = world.backend === 'moto';

  world.serial('getMany of 45 secrets: 3 BatchGetSecretValue calls, per-secret errors per ref', async (t) => {
    const names = Array.from({ length: 45 }, (_, i) => `batch/s${String(i).padStart(2, '0')}`);
    for (const name of names) await create(name, `value-${name}`);
    await create('batch/deleted');
    await schedule('batch/deleted');
    world.proxy.reset();
    const results = await firstValueFrom(
      world.secrets.getMany([...names.map((n) => `aws-sm:${n}`), 'aws-sm:batch/missing', 'aws-sm:batch/deleted']),
    );
    t.is(world.proxy.count(BATCH), 3, '47 ids in chunks of 20');
    t.is(world.proxy.total, 3);
    t.deepEqual(
      results.slice(0, 45).map((r) => (r.ok ? r.secret.value : 'error')),
      names.map((n) => `value-${n}`),
    );
    const [missing, gone] = results.slice(45);
    t.true(missing?.ok === false && isSecretNotFoundError(missing.error));
    // moto words the per-secret InvalidRequestException "…currently marked deleted" (AWS: "…marked for deletion").
    t.true(gone?.ok === false && isSecretDeletedError(gone.error));
  });

  for (const probe of ['list', 'batch-get', 'describe'] as const satisfies readonly SecretsManagerProbe[]) {
    world.serial(`probe '${probe}': a watch sees a rotation and ends when the secret is deleted`, async (t) => {
      const secrets = world.facade({ sm: { probe } });
      const name = `watch-${probe}/s`;
      await create(name, 'a');
      const seen = firstValueFrom(secrets.watch(`aws-sm:${name}`, { interval: 30 }).pipe(take(2), toArray()));
      await nextEvents(secrets.events, 'watch-changed');
      const rotated = await rotate(name, 'b');
      t.deepEqual(
        (await seen).map((s) => [s.value, s.version === rotated]),
        [
          ['a', false],
          ['b', true],
        ],
      );
      const ended = rejection(lastValueFrom(secrets.watch(`aws-sm:${name}`, { interval: 30 })));
      await nextEvents(secrets.events, 'watch-changed');
      await schedule(name);
      t.true(isSecretDeletedError(await ended));
    });
  }

  world.serial('a watch of an AWSPREVIOUS ref follows the stage', async (t) => {
    await create('watch/prev', 'a');
    await rotate('watch/prev', 'b');
    const seen = firstValueFrom(
      world.secrets.watch('aws-sm:watch/prev@AWSPREVIOUS', { interval: 30 }).pipe(take(2), toArray()),
    );
    await nextEvents(world.secrets.events, 'watch-changed');
    await rotate('watch/prev', 'c');
    t.deepEqual(
      (await seen).map((s) => s.value),
      ['a', 'b'],
    );
  });

  world.serial(
    'a listing is lazy: nothing before the first pull, one ListSecrets page when the consumer breaks',
    async (t) => {
      for (let i = 0; i < 5; i++) await create(`lazy/s${i}`);
      world.proxy.reset();
      const listing = world.secrets.list('aws-sm:lazy/', { pageSize: 2 });
      t.is(world.proxy.total, 0);
      for await (const _ of listing) break;
      t.deepEqual(world.proxy.calls, ['secretsmanager.ListSecrets']);
    },
  );

  world.serial('versions lists versions with their stages; deprecated ones on request', async (t) => {
    const name = 'versions/s';
    const first = (await create(name, 'a')).VersionId;
    const second = await rotate(name, 'b');
    const third = await rotate(name, 'c');
    // AWS lists deprecated (unlabelled) versions only with IncludeDeprecated; moto lists the first one anyway.
    const direct = await world.sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    t.is(direct.Versions?.length, moto ? 3 : 2);
    const sm = world.secrets.provider<SecretsManagerProvider>('aws-sm');
    const versions: SecretInfo[] = [];
    for await (const info of sm.versions(`aws-sm:${name}`)) versions.push(info);
    t.deepEqual(
      versions.map((v) => [v.version, v.metadata.stages]).sort(),
      [
        [second, ['AWSPREVIOUS']],
        [third, ['AWSCURRENT']],
      ].sort(),
      'the provider drops what moto should not have listed',
    );
    world.proxy.reset();
    const all: SecretInfo[] = [];
    for await (const info of sm.versions(`aws-sm:${name}`, { includeDeprecated: true, pageSize: 1 })) all.push(info);
    t.deepEqual(all.map((v) => v.version).sort(), [first, second, third].sort());
    // AWS pages by MaxResults. moto ignores it and ends with NextToken "" (AWS omits it): the listing still ends.
    if (moto) t.is(world.proxy.count(VERSION_IDS), 1);
    else t.is(world.proxy.count(VERSION_IDS), 3, 'one page per version');
  });

  world.test('get by stage (AWSCURRENT, AWSPREVIOUS, custom) or VersionId', async (t) => {
    const name = 'stages/s';
    const first = (await create(name, 'one')).VersionId as string;
    const second = await rotate(name, 'two');
    const current = await get(`aws-sm:${name}`);
    t.deepEqual([current.value, current.version, current.metadata.stages], ['two', second, ['AWSCURRENT']]);
    t.is((await get(`aws-sm:${name}@AWSPREVIOUS`)).value, 'one');
    t.is((await get(`aws-sm:${name}@${first}`)).value, 'one');
    await world.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'blue', VersionStages: ['blue'] }));
    t.is((await get(`aws-sm:${name}@blue`)).value, 'blue');
    t.is((await get(`aws-sm:${name}@stage:blue`)).value, 'blue');
    t.is((await get(`aws-sm:${name}`)).value, 'two', 'a custom stage leaves AWSCURRENT');
    const noStage = await rejection(get(`aws-sm:${name}@green`));
    t.true(isSecretNotFoundError(noStage));
    t.is((noStage as { version?: string }).version, 'green');
  });

  world.test('binary secrets read as Uint8Array; key paths read into JSON; ARNs designate secrets', async (t) => {
    await create('bin/s', new Uint8Array([0, 1, 2, 255]));
    const secret = await get('aws-sm:bin/s');
    t.true(secret.value instanceof Uint8Array);
    t.deepEqual([...(secret.value as Uint8Array)], [0, 1, 2, 255]);
    t.true(secret.metadata.binary);
    const { ARN } = await create('json/s', JSON.stringify({ password: 'pw', nested: { port: 5432 } }));
    t.is((await get('aws-sm:json/s#password')).value, 'pw');
    t.is((await get('aws-sm:json/s#nested.port')).value, 5432);
    t.is((await get(`aws-sm:${ARN}#password`)).value, 'pw');
  });

  world.test('listing by name prefix: paged, with stages and tags; values on request', async (t) => {
    for (let i = 0; i < 7; i++) await create(`list/app/s${i}`, `x${i}`, { Tags: [{ Key: 'i', Value: `${i}` }] });
    await create('list/application');
    await create('x/list/app/s');
    const pages: Array<readonly SecretInfo[]> = [];
    for await (const page of world.secrets.list('aws-sm:list/app/', { pageSize: 3 }).pages()) pages.push(page);
    t.deepEqual(
      pages.map((page) => page.length),
      [3, 3, 1],
    );
    const all = pages.flat().sort((a, b) => a.name.localeCompare(b.name));
    t.deepEqual(
      all.map((info) => info.name),
      Array.from({ length: 7 }, (_, i) => `list/app/s${i}`),
    );
    t.is(all[0]?.tags.i, '0');
    t.truthy(all[0]?.version);
    t.deepEqual(Object.values(all[0]?.metadata.versionsToStages as object), [['AWSCURRENT']]);
    const values: string[] = [];
    for await (const secret of world.secrets.list('aws-sm:list/app/', { withValues: true })) {
      values.push(String(secret.value));
    }
    t.deepEqual(values.sort(), ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
  });

  world.test('exists: a secret, a VersionId, a stage; not a missing or deleted one', async (t) => {
    const first = (await create('exists/s')).VersionId as string;
    const exists = (ref: string) => firstValueFrom(world.secrets.exists(ref));
    t.true(await exists('aws-sm:exists/s'));
    t.true(await exists(`aws-sm:exists/s@${first}`));
    t.false(await exists('aws-sm:exists/s@AWSPREVIOUS'));
    t.false(await exists('aws-sm:exists/none'));
    await create('exists/deleted');
    await schedule('exists/deleted');
    t.false(await exists('aws-sm:exists/deleted'));
  });
}
