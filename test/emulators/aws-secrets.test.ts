import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  paginateBatchGetSecretValue,
  paginateListSecrets,
  paginateListSecretVersionIds,
  RestoreSecretCommand,
  type SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { secretsClient, uniqueName } from '../support/aws-clients.js';
import { rejection } from '../support/rejection.js';

let emulator: AwsEmulator;
let sm: SecretsManagerClient;

test.before(async () => {
  emulator = await startAwsEmulator({ region: 'eu-west-1', accountId: '111122223333' });
  sm = secretsClient(emulator);
});

test.after.always(async () => {
  sm?.destroy();
  await emulator?.stop();
});

/** The name and HTTP status of an SDK call's rejection. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const error = await rejection<Error & { $metadata?: { httpStatusCode?: number } }>(promise);
  return { name: error.name, status: error.$metadata?.httpStatusCode };
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  return (await failure(promise)).name;
}

function create(
  Name: string,
  SecretString = 'initial',
  extra: Partial<ConstructorParameters<typeof CreateSecretCommand>[0]> = {},
) {
  return sm.send(new CreateSecretCommand({ Name, SecretString, ...extra }));
}

const token = (n: number) => String(n).padStart(32, '0');

test('CreateSecret and GetSecretValue: AWSCURRENT by default, ARN with a 6-character suffix', async (t) => {
  const name = uniqueName('app/create/s');
  const created = await create(name, '{"user":"root"}');
  t.regex(
    created.ARN ?? '',
    new RegExp(`^arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}-[A-Za-z0-9]{6}$`),
  );
  t.truthy(created.VersionId);
  const value = await sm.send(new GetSecretValueCommand({ SecretId: name }));
  t.is(value.SecretString, '{"user":"root"}');
  t.is(value.VersionId, created.VersionId);
  t.deepEqual(value.VersionStages, ['AWSCURRENT']);
  t.is(value.Name, name);
  t.true(value.CreatedDate instanceof Date);
  const byArn = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN }));
  t.is(byArn.SecretString, '{"user":"root"}');
  const byPartialArn = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN?.slice(0, -7) }));
  t.is(byPartialArn.Name, name);
});

test('binary secrets round-trip as bytes', async (t) => {
  const name = uniqueName('app/binary/s');
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);
  await sm.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
  const value = await sm.send(new GetSecretValueCommand({ SecretId: name }));
  t.deepEqual([...(value.SecretBinary ?? [])], [...bytes]);
  t.is(value.SecretString, undefined);
  const both = sm.send(
    new CreateSecretCommand({ Name: uniqueName('app/binary/x'), SecretBinary: bytes, SecretString: 's' }),
  );
  t.is(await errorName(both), 'InvalidParameterException');
});

test('CreateSecret idempotency: same token and value returns the same version; another token is ResourceExistsException', async (t) => {
  const name = uniqueName('app/idem/s');
  const first = await create(name, 'v', { ClientRequestToken: token(1) });
  const retry = await create(name, 'v', { ClientRequestToken: token(1) });
  t.is(retry.VersionId, first.VersionId);
  t.is(retry.ARN, first.ARN);
  t.is(await errorName(create(name, 'v', { ClientRequestToken: token(2) })), 'ResourceExistsException');
  t.is(await errorName(create(name, 'other', { ClientRequestToken: token(1) })), 'ResourceExistsException');
});

test('errors: ResourceNotFoundException (HTTP 400), unknown version, secret without value, too large', async (t) => {
  t.deepEqual(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'app/none' }))), {
    name: 'ResourceNotFoundException',
    status: 400,
  });
  const name = uniqueName('app/errors/s');
  await create(name);
  t.is(
    await errorName(sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: token(9) }))),
    'ResourceNotFoundException',
  );
  t.is(
    await errorName(sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }))),
    'ResourceNotFoundException',
  );
  const empty = uniqueName('app/errors/empty');
  const created = await sm.send(new CreateSecretCommand({ Name: empty }));
  t.is(created.VersionId, undefined);
  t.is(await errorName(sm.send(new GetSecretValueCommand({ SecretId: empty }))), 'ResourceNotFoundException');
  t.is(await errorName(create(uniqueName('app/errors/big'), 'x'.repeat(65537))), 'ValidationException');
  t.is(await errorName(create('bad name!', 'x')), 'ValidationException');
});

test('PutSecretValue moves AWSCURRENT and AWSPREVIOUS; token retries are idempotent', async (t) => {
  const name = uniqueName('app/put/s');
  const v1 = await create(name, 'one');
  const v2 = await sm.send(
    new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: token(2) }),
  );
  t.deepEqual(v2.VersionStages, ['AWSCURRENT']);
  t.is((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'two');
  const previous = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
  t.deepEqual([previous.SecretString, previous.VersionId], ['one', v1.VersionId]);
  const byId = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1.VersionId }));
  t.is(byId.SecretString, 'one');

  const retry = await sm.send(
    new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: token(2) }),
  );
  t.is(retry.VersionId, v2.VersionId);
  const conflict = sm.send(
    new PutSecretValueCommand({ SecretId: name, SecretString: 'changed', ClientRequestToken: token(2) }),
  );
  t.is(await errorName(conflict), 'ResourceExistsException');

  const v3 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'three' }));
  const stages = (await sm.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages;
  t.deepEqual(stages, { [v2.VersionId ?? '']: ['AWSPREVIOUS'], [v3.VersionId ?? '']: ['AWSCURRENT'] });
});

test('PutSecretValue with VersionStages AWSPENDING, then UpdateSecretVersionStage promotes it', async (t) => {
  const name = uniqueName('app/stage/s');
  const v1 = await create(name, 'one');
  const pending = await sm.send(
    new PutSecretValueCommand({ SecretId: name, SecretString: 'two', VersionStages: ['AWSPENDING'] }),
  );
  t.is((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'one');
  t.is((await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPENDING' }))).SecretString, 'two');
  const withoutRemove = sm.send(
    new UpdateSecretVersionStageCommand({
      SecretId: name,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: pending.VersionId,
    }),
  );
  t.is(await errorName(withoutRemove), 'InvalidParameterException');
  await sm.send(
    new UpdateSecretVersionStageCommand({
      SecretId: name,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: pending.VersionId,
      RemoveFromVersionId: v1.VersionId,
    }),
  );
  const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
  t.deepEqual(current.VersionStages?.sort(), ['AWSCURRENT', 'AWSPENDING']);
  t.is(
    (await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }))).VersionId,
    v1.VersionId,
  );
  const mismatch = sm.send(
    new GetSecretValueCommand({ SecretId: name, VersionId: v1.VersionId, VersionStage: 'AWSCURRENT' }),
  );
  t.is(await errorName(mismatch), 'InvalidRequestException');
});

test('DescribeSecret: metadata, dates, tags, never the value', async (t) => {
  const name = uniqueName('app/describe/s');
  await create(name, 'hidden', {
    Description: 'db root',
    KmsKeyId: 'alias/mine',
    Tags: [{ Key: 'env', Value: 'prod' }],
  });
  await sm.send(new GetSecretValueCommand({ SecretId: name }));
  const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
  t.is(described.Description, 'db root');
  t.is(described.KmsKeyId, 'alias/mine');
  t.false(described.RotationEnabled);
  t.deepEqual(described.Tags, [{ Key: 'env', Value: 'prod' }]);
  t.true(described.CreatedDate instanceof Date);
  t.true(described.LastChangedDate instanceof Date);
  t.true(described.LastAccessedDate instanceof Date);
  t.is(described.DeletedDate, undefined);
  t.false(JSON.stringify(described).includes('hidden'));
});

test('DeleteSecret schedules deletion; reading is InvalidRequestException; RestoreSecret undoes it', async (t) => {
  const name = uniqueName('app/delete/s');
  await create(name, 'v');
  t.is(
    await errorName(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 6 }))),
    'InvalidParameterException',
  );
  const both = sm.send(
    new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }),
  );
  t.is(await errorName(both), 'InvalidParameterException');
  const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
  const days = ((deleted.DeletionDate?.getTime() ?? 0) - Date.now()) / 86_400_000;
  t.true(days > 6.9 && days <= 7);
  t.is(await errorName(sm.send(new GetSecretValueCommand({ SecretId: name }))), 'InvalidRequestException');
  t.is(
    await errorName(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'x' }))),
    'InvalidRequestException',
  );
  t.is(await errorName(create(name, 'again')), 'InvalidRequestException');
  t.true((await sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate instanceof Date);
  const listed = async (IncludePlannedDeletion: boolean) =>
    (await sm.send(new ListSecretsCommand({ IncludePlannedDeletion, Filters: [{ Key: 'name', Values: [name] }] })))
      .SecretList?.length;
  t.is(await listed(false), 0);
  t.is(await listed(true), 1);
  await sm.send(new RestoreSecretCommand({ SecretId: name }));
  t.is((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'v');
});

test('ForceDeleteWithoutRecovery removes at once, and the name can be reused', async (t) => {
  const name = uniqueName('app/force/s');
  const first = await create(name, 'v');
  await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
  t.is(await errorName(sm.send(new DescribeSecretCommand({ SecretId: name }))), 'ResourceNotFoundException');
  const second = await create(name, 'w');
  t.not(second.ARN, first.ARN);
});

test('the recovery window ends with the emulator clock', async (t) => {
  let now = Date.UTC(2026, 0, 1);
  const clocked = await startAwsEmulator({ now: () => now });
  const client = secretsClient(clocked);
  try {
    await client.send(new CreateSecretCommand({ Name: 'short-lived', SecretString: 'v' }));
    await client.send(new DeleteSecretCommand({ SecretId: 'short-lived', RecoveryWindowInDays: 7 }));
    now += 6 * 86_400_000;
    t.truthy((await client.send(new DescribeSecretCommand({ SecretId: 'short-lived' }))).DeletedDate);
    now += 86_400_000;
    t.is(
      await errorName(client.send(new DescribeSecretCommand({ SecretId: 'short-lived' }))),
      'ResourceNotFoundException',
    );
  } finally {
    client.destroy();
    await clocked.stop();
  }
});

test('ListSecrets: filters (prefix, negation, tags, description), SecretVersionsToStages, paging', async (t) => {
  const prefix = uniqueName('list');
  for (const [suffix, tag] of [
    ['/alpha', 'red'],
    ['/beta', 'blue'],
    ['/gamma', 'red'],
  ] as const) {
    await create(`${prefix}${suffix}`, 'v', { Tags: [{ Key: 'color', Value: tag }], Description: `Secret ${suffix}` });
  }
  const names = async (filters: { Key: 'name' | 'tag-value' | 'description' | 'tag-key'; Values: string[] }[]) => {
    const found: string[] = [];
    for await (const page of paginateListSecrets({ client: sm, pageSize: 2 }, { Filters: filters })) {
      found.push(...(page.SecretList ?? []).map((s) => s.Name ?? ''));
    }
    return found;
  };
  t.deepEqual(await names([{ Key: 'name', Values: [prefix] }]), [
    `${prefix}/alpha`,
    `${prefix}/beta`,
    `${prefix}/gamma`,
  ]);
  t.deepEqual(
    await names([
      { Key: 'name', Values: [prefix] },
      { Key: 'tag-value', Values: ['red'] },
    ]),
    [`${prefix}/alpha`, `${prefix}/gamma`],
  );
  t.deepEqual(
    await names([
      { Key: 'name', Values: [prefix] },
      { Key: 'name', Values: [`!${prefix}/a`] },
    ]),
    [`${prefix}/beta`, `${prefix}/gamma`],
  );
  t.deepEqual(
    await names([
      { Key: 'name', Values: [prefix] },
      { Key: 'description', Values: ['secret /b'] },
    ]),
    [`${prefix}/beta`],
  );
  t.deepEqual(await names([{ Key: 'name', Values: [prefix.toUpperCase()] }]), [], 'name filter is case-sensitive');
  const page = await sm.send(new ListSecretsCommand({ MaxResults: 1, Filters: [{ Key: 'name', Values: [prefix] }] }));
  t.is(page.SecretList?.length, 1);
  t.truthy(page.NextToken);
  t.deepEqual(Object.values(page.SecretList?.[0]?.SecretVersionsToStages ?? {}), [['AWSCURRENT']]);
  t.is(await errorName(sm.send(new ListSecretsCommand({ MaxResults: 101 }))), 'ValidationException');
  t.is(await errorName(sm.send(new ListSecretsCommand({ NextToken: 'bogus' }))), 'InvalidNextTokenException');
});

test('ListSecretVersionIds pages, and hides deprecated versions unless asked', async (t) => {
  const name = uniqueName('app/versions/s');
  await create(name, 'v1');
  for (let i = 2; i <= 4; i += 1) await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `v${i}` }));
  const staged: string[][] = [];
  for await (const page of paginateListSecretVersionIds({ client: sm, pageSize: 1 }, { SecretId: name })) {
    staged.push(...(page.Versions ?? []).map((v) => v.VersionStages ?? []));
  }
  t.deepEqual(staged, [['AWSPREVIOUS'], ['AWSCURRENT']]);
  const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
  t.is(all.Versions?.length, 4);
  t.is(all.Name, name);
});

test('BatchGetSecretValue with SecretIdList: values, and per-secret failures in Errors', async (t) => {
  const a = uniqueName('app/batch/a');
  const b = uniqueName('app/batch/b');
  const deleted = uniqueName('app/batch/deleted');
  await create(a, 'A');
  await sm.send(new CreateSecretCommand({ Name: b, SecretBinary: new Uint8Array([7]) }));
  await create(deleted, 'D');
  await sm.send(new DeleteSecretCommand({ SecretId: deleted }));
  const result = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: [a, b, 'app/batch/missing', deleted] }));
  t.deepEqual(
    result.SecretValues?.map((v) => v.Name),
    [a, b],
  );
  t.is(result.SecretValues?.[0]?.SecretString, 'A');
  t.deepEqual([...(result.SecretValues?.[1]?.SecretBinary ?? [])], [7]);
  t.deepEqual(
    result.Errors?.map((e) => [e.SecretId, e.ErrorCode]),
    [
      ['app/batch/missing', 'ResourceNotFoundException'],
      [deleted, 'InvalidRequestException'],
    ],
  );
  const tooMany = Array.from({ length: 21 }, (_, i) => `s${i}`);
  t.is(await errorName(sm.send(new BatchGetSecretValueCommand({ SecretIdList: tooMany }))), 'ValidationException');
  const both = sm.send(new BatchGetSecretValueCommand({ SecretIdList: [a], Filters: [{ Key: 'name', Values: [a] }] }));
  t.is(await errorName(both), 'InvalidParameterException');
  t.is(await errorName(sm.send(new BatchGetSecretValueCommand({}))), 'InvalidParameterException');
});

test('BatchGetSecretValue with Filters pages through values', async (t) => {
  const prefix = uniqueName('batchfilter');
  for (let i = 1; i <= 5; i += 1) await create(`${prefix}/s${i}`, `value${i}`);
  const values: string[] = [];
  let pages = 0;
  const paginator = paginateBatchGetSecretValue(
    { client: sm, pageSize: 2 },
    { Filters: [{ Key: 'name', Values: [prefix] }] },
  );
  for await (const page of paginator) {
    pages += 1;
    values.push(...(page.SecretValues ?? []).map((v) => v.SecretString ?? ''));
  }
  t.deepEqual(values, ['value1', 'value2', 'value3', 'value4', 'value5']);
  t.is(pages, 3);
});

test('UpdateSecret changes metadata and adds a version when given a value', async (t) => {
  const name = uniqueName('app/update/s');
  const v1 = await create(name, 'one');
  const metaOnly = await sm.send(new UpdateSecretCommand({ SecretId: name, Description: 'changed' }));
  t.is(metaOnly.VersionId, undefined);
  const updated = await sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: 'two' }));
  t.not(updated.VersionId, v1.VersionId);
  t.is((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'two');
  t.is((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Description, 'changed');
});

test('TagResource and UntagResource', async (t) => {
  const name = uniqueName('app/tag/s');
  await create(name, 'v', { Tags: [{ Key: 'a', Value: '1' }] });
  await sm.send(
    new TagResourceCommand({
      SecretId: name,
      Tags: [
        { Key: 'a', Value: '2' },
        { Key: 'b', Value: '3' },
      ],
    }),
  );
  await sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['b'] }));
  t.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags, [{ Key: 'a', Value: '2' }]);
});

test('rotateSecret helper: a new AWSCURRENT version, the old one AWSPREVIOUS, visible to clients', async (t) => {
  const name = uniqueName('app/rotate/s');
  const v1 = await create(name, 'old-password');
  const rotated = emulator.rotateSecret(name, 'new-password');
  const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
  t.deepEqual(
    [current.SecretString, current.VersionId, current.VersionStages],
    ['new-password', rotated, ['AWSCURRENT']],
  );
  const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
  t.deepEqual(described.VersionIdsToStages, { [v1.VersionId ?? '']: ['AWSPREVIOUS'], [rotated]: ['AWSCURRENT'] });
  t.true(described.LastRotatedDate instanceof Date);
  emulator.store.secrets.putSecretValue({ SecretId: name, SecretString: 'third' });
  t.is((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'third');
});
