// The AWS emulator's list filters, beyond the common cases of aws-secrets / aws-ssm: every ListSecrets filter key
// (with `all`'s word matching) and its validation, and every ParameterFilters key, option and validation rule.
import { CreateSecretCommand, ListSecretsCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DescribeParametersCommand,
  GetParametersByPathCommand,
  type ParameterStringFilter,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { secretsClient, ssmClient } from '../support/aws-clients.js';
import { rejection } from '../support/rejection.js';
import { unique } from '../support/unique-name.js';

let emulator: AwsEmulator;
let sm: SecretsManagerClient;
let ssm: SSMClient;

test.before(async () => {
  emulator = await startAwsEmulator();
  sm = secretsClient(emulator);
  ssm = ssmClient(emulator);
});

test.after.always(async () => {
  sm?.destroy();
  ssm?.destroy();
  await emulator?.stop();
});

type SecretFilterKey = 'description' | 'name' | 'tag-key' | 'tag-value' | 'primary-region' | 'owning-service' | 'all';

async function secretNames(filters: { Key: SecretFilterKey; Values: string[] }[]): Promise<string[]> {
  const { SecretList } = await sm.send(new ListSecretsCommand({ Filters: filters, MaxResults: 100 }));
  return (SecretList ?? []).map((secret) => secret.Name ?? '').sort();
}

test('ListSecrets: description, tag-key, tag-value, all (by word, any case), and keys with nothing to match', async (t) => {
  const prefix = unique('filters');
  const db = `${prefix}/prodDatabase`;
  const api = `${prefix}/api-key2`;
  await sm.send(
    new CreateSecretCommand({
      Name: db,
      SecretString: 'v',
      Description: 'Primary DB login',
      Tags: [{ Key: 'owner', Value: 'payments' }],
    }),
  );
  await sm.send(new CreateSecretCommand({ Name: api, SecretString: 'v', Tags: [{ Key: 'tier', Value: 'gold' }] }));
  const mine = { Key: 'name' as const, Values: [prefix] };
  t.deepEqual(await secretNames([mine, { Key: 'description', Values: ['primary db'] }]), [db], 'prefix, any case');
  t.deepEqual(await secretNames([mine, { Key: 'description', Values: ['login'] }]), [], 'a prefix, not a substring');
  t.deepEqual(await secretNames([mine, { Key: 'tag-key', Values: ['tier'] }]), [api]);
  t.deepEqual(await secretNames([mine, { Key: 'tag-value', Values: ['pay'] }]), [db]);
  t.deepEqual(await secretNames([mine, { Key: 'tag-key', Values: ['!tier'] }]), [db], '! negates');
  // `all` splits its term into words (camelCase and digits too); any word found in any attribute matches
  t.deepEqual(await secretNames([mine, { Key: 'all', Values: ['DATABASE'] }]), [db]);
  t.deepEqual(await secretNames([mine, { Key: 'all', Values: ['goldRush'] }]), [api], 'a tag value');
  t.deepEqual(await secretNames([mine, { Key: 'all', Values: ['key9'] }]), [api], 'words split at digits');
  t.deepEqual(await secretNames([mine, { Key: 'all', Values: ['nothing-here'] }]), []);
  // the emulator has no replicas and no managed secrets
  t.deepEqual(await secretNames([mine, { Key: 'primary-region', Values: ['us-east-1'] }]), []);
  t.deepEqual(await secretNames([mine, { Key: 'owning-service', Values: ['rds'] }]), []);
});

test('ListSecrets: a filter with an unknown key, no value, 11 values or a bad value is a ValidationException', async (t) => {
  const cases: { Key: string; Values: string[] }[] = [
    { Key: 'colour', Values: ['red'] },
    { Key: 'name', Values: [] },
    { Key: 'name', Values: Array.from({ length: 11 }, (_, i) => `n${i}`) },
    { Key: 'name', Values: ['semi;colon'] },
    { Key: 'name', Values: ['x'.repeat(513)] },
  ];
  for (const filter of cases) {
    const error = await rejection(sm.send(new ListSecretsCommand({ Filters: [filter as never] })));
    t.is(error.name, 'ValidationException', JSON.stringify(filter).slice(0, 80));
  }
});

async function parameterNames(filters: ParameterStringFilter[]): Promise<string[]> {
  const { Parameters } = await ssm.send(new DescribeParametersCommand({ ParameterFilters: filters, MaxResults: 50 }));
  return (Parameters ?? []).map((parameter) => parameter.Name ?? '').sort();
}

test('DescribeParameters: Name Contains, KeyId, Tier, DataType, tag keys without values, and the legacy Filters', async (t) => {
  const root = unique('/filters');
  const plain = `${root}/plain-config`;
  const secret = `${root}/secret-config`;
  const image = `${root}/image`;
  await ssm.send(
    new PutParameterCommand({ Name: plain, Value: 'v', Type: 'String', Tags: [{ Key: 'team', Value: 'a' }] }),
  );
  await ssm.send(new PutParameterCommand({ Name: secret, Value: 'v', Type: 'SecureString', KeyId: 'alias/custom' }));
  await ssm.send(
    new PutParameterCommand({
      Name: image,
      Value: 'ami-12345678',
      Type: 'String',
      DataType: 'aws:ec2:image',
      Tier: 'Advanced',
    }),
  );
  const under = { Key: 'Path', Values: [root] };
  t.deepEqual(await parameterNames([under, { Key: 'Name', Option: 'Contains', Values: ['-config'] }]), [plain, secret]);
  t.deepEqual(await parameterNames([under, { Key: 'KeyId', Values: ['alias/custom'] }]), [secret]);
  t.deepEqual(await parameterNames([under, { Key: 'KeyId', Option: 'BeginsWith', Values: ['alias/'] }]), [secret]);
  t.deepEqual(await parameterNames([under, { Key: 'Tier', Values: ['Advanced'] }]), [image]);
  t.deepEqual(await parameterNames([under, { Key: 'DataType', Values: ['aws:ec2:image'] }]), [image]);
  t.deepEqual(await parameterNames([under, { Key: 'tag:team' }]), [plain], 'a tag key alone: any value');
  t.deepEqual(await parameterNames([under, { Key: 'tag:team', Values: ['b'] }]), []);
  const legacy = await ssm.send(
    new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: [image.slice(1)] }], MaxResults: 50 }),
  );
  t.deepEqual(
    (legacy.Parameters ?? []).map((parameter) => parameter.Name),
    [image],
    'the deprecated Filters match names by equality',
  );
});

test('ParameterFilters are validated as AWS does, per operation', async (t) => {
  const describe = async (filters: ParameterStringFilter[]) =>
    (await rejection(ssm.send(new DescribeParametersCommand({ ParameterFilters: filters })))).name;
  t.is(await describe([{ Key: 'Colour', Values: ['x'] }]), 'ValidationException');
  t.is(await describe([{ Key: 'Type', Values: [] }]), 'InvalidFilterValue');
  t.is(
    await describe([
      { Key: 'Type', Values: ['String'] },
      { Key: 'Type', Values: ['SecureString'] },
    ]),
    'InvalidFilterKey',
    'a key twice',
  );
  t.is(await describe([{ Key: 'Type', Option: 'Contains', Values: ['String'] }]), 'InvalidFilterOption');
  t.is(await describe([{ Key: 'Type', Values: ['Text'] }]), 'InvalidFilterValue');
  t.is(await describe([{ Key: 'Tier', Values: ['Premium'] }]), 'InvalidFilterValue');
  t.is(await describe([{ Key: 'Path', Values: ['/aws/service'] }]), 'ValidationException', 'no common parameters');
  const byPath = async (key: string) =>
    (
      await rejection(
        ssm.send(new GetParametersByPathCommand({ Path: '/', ParameterFilters: [{ Key: key, Values: ['x'] }] })),
      )
    ).name;
  for (const key of ['Name', 'Path', 'Tier']) t.is(await byPath(key), 'InvalidFilterKey', key);
});
