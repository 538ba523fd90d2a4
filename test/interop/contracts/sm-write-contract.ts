// The write side of the Secrets Manager interop contract: errors, set, delete and restore. Where moto departs from
// AWS's documented behaviour, the test says so: the emulator is held to AWS, moto tolerated or not asked.
import {
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import {
  isConflictError,
  isInvalidSecretRefError,
  isSecretDeletedError,
  isSecretNotFoundError,
  isValidationError,
  type SecretValue,
  type SetOptions,
} from '../../../src/index.js';
import type { SecretSetOptions, SecretsManagerProvider } from '../../../src/providers/aws/index.js';
import type { AwsInteropWorld } from '../../support/aws-interop-fixture.js';
import { rejection } from '../../support/aws-provider-fixture.js';
import { smSeed } from './sm-seed.js';

/** Registers the write and error scenarios of Secrets Manager for one backend. */
export function smWriteContract(world: AwsInteropWorld): void {
  const { create, schedule, get } = smSeed(world);
  const moto = world.backend === 'moto';
  const set = (ref: string, value: SecretValue, options: SetOptions & SecretSetOptions = {}) =>
    firstValueFrom(world.secrets.set(ref, value, options));

  world.test('errors map into the core hierarchy, with the native error as cause', async (t) => {
    const missing = await rejection(get('aws-sm:errors/none'));
    t.true(isSecretNotFoundError(missing));
    t.is((missing.cause as Error).name, 'ResourceNotFoundException');
    // AWS documents ResourceNotFoundException as HTTP 400; moto answers 404. The SDK maps both by `__type`.
    const status = (missing.cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    t.is(status, moto ? 404 : 400);
    for (const bad of ['aws-sm:has space', 'aws-sm:a@id:short', 'aws-sm:a!b']) {
      t.true(isInvalidSecretRefError(await rejection(get(bad))), bad);
    }
    await create('errors/s');
    const badToken = await rejection(set('aws-sm:errors/s', 'x', { clientToken: 'short' }));
    t.true(isValidationError(badToken));
    // AWS's length constraint on ClientRequestToken (32–64) answers ValidationException; moto answers
    // InvalidParameterException. Both are a ValidationError.
    t.is((badToken.cause as Error).name, moto ? 'InvalidParameterException' : 'ValidationException');
  });

  world.serial(
    'set: CreateSecret for a new name (after PutSecretValue finds none), PutSecretValue after',
    async (t) => {
      world.proxy.reset();
      await set('aws-sm:calls/s', 'one');
      t.deepEqual(world.proxy.calls, ['secretsmanager.PutSecretValue', 'secretsmanager.CreateSecret']);
      world.proxy.reset();
      await set('aws-sm:calls/s', 'two');
      t.deepEqual(world.proxy.calls, ['secretsmanager.PutSecretValue']);
      world.proxy.reset();
      await set('aws-sm:calls/new', 'one', { ifNotExists: true });
      t.deepEqual(world.proxy.calls, ['secretsmanager.CreateSecret']);
      t.is((await get('aws-sm:calls/s')).value, 'two');
    },
  );

  world.test('set: tags and description on creation; the client token makes retries idempotent', async (t) => {
    const name = 'set/s';
    const created = await set(`aws-sm:${name}`, 'one', { tags: { team: 'db' }, description: 'd' });
    t.truthy(created.version);
    const described = await world.sm.send(new DescribeSecretCommand({ SecretId: name }));
    t.deepEqual([described.Tags, described.Description], [[{ Key: 'team', Value: 'db' }], 'd']);
    const token = globalThis.crypto.randomUUID();
    const second = await set(`aws-sm:${name}`, 'two', { clientToken: token });
    const again = await set(`aws-sm:${name}`, 'two', { clientToken: token });
    t.deepEqual([second.version, again.version], [token, token]);
    const listed = await world.sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
    t.is(listed.Versions?.length, 2, 'the repeated token made no new version');
    const reused = await rejection(set(`aws-sm:${name}`, 'three', { clientToken: token }));
    t.true(isConflictError(reused));
    t.is((reused.cause as Error).name, 'ResourceExistsException');
    t.true(isConflictError(await rejection(set(`aws-sm:${name}`, 'x', { ifNotExists: true }))));
    await set(`aws-sm:${name}`, { json: true });
    t.deepEqual((await firstValueFrom(world.secrets.get(`aws-sm:${name}`, { transform: 'json' }))).value, {
      json: true,
    });
    await set(`aws-sm:${name}`, new Uint8Array([9, 8]));
    t.deepEqual([...((await get(`aws-sm:${name}`)).value as Uint8Array)], [9, 8]);
  });

  world.test('delete with a recovery window, restore, force delete', async (t) => {
    const name = 'del/s';
    await create(name, 'keep');
    await lastValueFrom(world.secrets.delete(`aws-sm:${name}`, { recoveryWindow: '7d' }));
    // DescribeSecret's DeletedDate marks the scheduled deletion. Its value is not compared: AWS documents it both as
    // the time of the request (ListSecrets) and as the deletion date (DescribeSecret); moto reports the deletion
    // date, our emulator the request time. The provider only reads whether it is there.
    const described = await world.sm.send(new DescribeSecretCommand({ SecretId: name }));
    t.true(described.DeletedDate instanceof Date);
    const read = await rejection(get(`aws-sm:${name}`));
    t.true(isSecretDeletedError(read), 'a read during the recovery window is SecretDeletedError');
    t.is((read.cause as Error).name, 'InvalidRequestException');
    const listed: string[] = [];
    for await (const info of world.secrets.list('aws-sm:del/')) listed.push(info.name);
    t.deepEqual(listed, []);
    for await (const info of world.secrets.list('aws-sm:del/', { includePlannedDeletion: true })) {
      listed.push(info.name);
    }
    t.deepEqual(listed, [name]);
    const recovered = await firstValueFrom(
      world.secrets.provider<SecretsManagerProvider>('aws-sm').recover(`aws-sm:${name}`),
    );
    t.like(recovered, { status: 'recovered', done: true, name });
    t.is((await get(`aws-sm:${name}`)).value, 'keep');
    await lastValueFrom(world.secrets.delete(`aws-sm:${name}`, { force: true }));
    t.true(isSecretNotFoundError(await rejection(get(`aws-sm:${name}`))));
    t.true(isSecretNotFoundError(await rejection(lastValueFrom(world.secrets.delete(`aws-sm:${name}`)))));
    const window = await rejection(lastValueFrom(world.secrets.delete(`aws-sm:${name}`, { recoveryWindow: '3d' })));
    t.true(isValidationError(window), 'checked before any call');
  });

  // AWS behaviour moto 5.2 lacks, so asked of the emulator only: moto accepts PutSecretValue on a secret scheduled
  // for deletion, stores values over 64 KB, and its GetSecretValue and BatchGetSecretValue keep answering the old
  // AWSCURRENT after a Lambda-style rotation through UpdateSecretVersionStage.
  if (moto) return;

  world.test('a write to a secret scheduled for deletion is SecretDeletedError', async (t) => {
    await create('aws-only/deleted', 'x');
    await schedule('aws-only/deleted');
    const refused = await rejection(set('aws-sm:aws-only/deleted', 'y'));
    t.true(isSecretDeletedError(refused));
    t.is((refused.cause as Error).name, 'InvalidRequestException');
  });

  world.test('a value over 64 KB is refused', async (t) => {
    const refused = await rejection(set('aws-sm:aws-only/big', 'x'.repeat(65_537)));
    t.true(isValidationError(refused));
    t.is((refused.cause as Error).name, 'ValidationException');
    t.is(await firstValueFrom(world.secrets.exists('aws-sm:aws-only/big')), false);
  });

  world.test(
    'a Lambda-style rotation (AWSPENDING, then UpdateSecretVersionStage) is read by get and getMany',
    async (t) => {
      const old = (await create('aws-only/rotated', 'old')).VersionId as string;
      const pending = await world.sm.send(
        new PutSecretValueCommand({ SecretId: 'aws-only/rotated', SecretString: 'new', VersionStages: ['AWSPENDING'] }),
      );
      t.is((await get('aws-sm:aws-only/rotated')).value, 'old', 'AWSPENDING is not read');
      await world.sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'aws-only/rotated',
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: pending.VersionId,
          RemoveFromVersionId: old,
        }),
      );
      const current = await get('aws-sm:aws-only/rotated');
      t.deepEqual([current.value, current.version], ['new', pending.VersionId]);
      t.is((await get('aws-sm:aws-only/rotated@AWSPREVIOUS')).value, 'old');
      const [batched] = await firstValueFrom(world.secrets.getMany(['aws-sm:aws-only/rotated']));
      t.is(batched?.ok ? batched.secret.value : 'error', 'new');
    },
  );
}
