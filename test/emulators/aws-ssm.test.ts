import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  paginateDescribeParameters,
  paginateGetParameterHistory,
  paginateGetParametersByPath,
  RemoveTagsFromResourceCommand,
  type SSMClient,
  UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { ssmClient, uniqueName } from '../support/aws-clients.js';
import { rejection } from '../support/rejection.js';

let emulator: AwsEmulator;
let ssm: SSMClient;

test.before(async () => {
  emulator = await startAwsEmulator();
  ssm = ssmClient(emulator);
});

test.after.always(async () => {
  ssm?.destroy();
  await emulator?.stop();
});

async function put(
  Name: string,
  Value: string,
  extra: Partial<ConstructorParameters<typeof PutParameterCommand>[0]> = {},
) {
  return ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', ...extra }));
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  return (await rejection(promise)).name;
}

test('PutParameter creates version 1 and GetParameter reads it with the AWS shape', async (t) => {
  const name = uniqueName('/app/basic/p');
  const put1 = await put(name, 'hello', { Description: 'first' });
  t.deepEqual([put1.Version, put1.Tier], [1, 'Standard']);
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
  t.is(Parameter?.Name, name);
  t.is(Parameter?.Value, 'hello');
  t.is(Parameter?.Type, 'String');
  t.is(Parameter?.Version, 1);
  t.is(Parameter?.DataType, 'text');
  t.is(Parameter?.ARN, `arn:aws:ssm:us-east-1:123456789012:parameter${name}`);
  t.true(Parameter?.LastModifiedDate instanceof Date);
  t.true(Math.abs((Parameter?.LastModifiedDate?.getTime() ?? 0) - Date.now()) < 60_000);
});

test('Overwrite makes the next version; without it the SDK throws ParameterAlreadyExists', async (t) => {
  const name = uniqueName('/app/overwrite/p');
  await put(name, 'v1');
  t.is(await errorName(put(name, 'v2')), 'ParameterAlreadyExists');
  const second = await ssm.send(new PutParameterCommand({ Name: name, Value: 'v2', Overwrite: true }));
  t.is(second.Version, 2);
  const latest = await ssm.send(new GetParameterCommand({ Name: name }));
  t.is(latest.Parameter?.Value, 'v2');
  t.is(latest.Parameter?.Type, 'String', 'type kept from the previous version');
  const first = await ssm.send(new GetParameterCommand({ Name: `${name}:1` }));
  t.is(first.Parameter?.Value, 'v1');
  t.is(first.Parameter?.Selector, ':1');
});

test('GetParameter: missing name, missing version, ARN as name', async (t) => {
  const name = uniqueName('/app/get/p');
  await put(name, 'x');
  t.is(await errorName(ssm.send(new GetParameterCommand({ Name: '/app/get/none' }))), 'ParameterNotFound');
  t.is(await errorName(ssm.send(new GetParameterCommand({ Name: `${name}:9` }))), 'ParameterVersionNotFound');
  t.is(await errorName(ssm.send(new GetParameterCommand({ Name: `${name}:nolabel` }))), 'ParameterNotFound');
  const byArn = await ssm.send(
    new GetParameterCommand({ Name: `arn:aws:ssm:us-east-1:123456789012:parameter${name}` }),
  );
  t.is(byArn.Parameter?.Value, 'x');
});

test('SecureString: opaque ciphertext without decryption, plain value with it', async (t) => {
  const name = uniqueName('/app/secure/p');
  await put(name, 'p@ssw0rd', { Type: 'SecureString', KeyId: 'alias/custom' });
  const encrypted = await ssm.send(new GetParameterCommand({ Name: name }));
  const value = encrypted.Parameter?.Value ?? '';
  t.not(value, 'p@ssw0rd');
  t.false(value.includes('p@ssw0rd'));
  t.regex(value, /^[A-Za-z0-9+/]+=*$/);
  t.true(value.length > 40);
  const decrypted = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  t.is(decrypted.Parameter?.Value, 'p@ssw0rd');
  const { Parameters } = await ssm.send(
    new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }),
  );
  t.is(Parameters?.[0]?.KeyId, 'alias/custom');
});

test('StringList values, AllowedPattern and DataType are kept', async (t) => {
  const name = uniqueName('/app/list/p');
  await put(name, 'a,b,c', { Type: 'StringList', AllowedPattern: '^[a-z,]+$' });
  t.is((await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value, 'a,b,c');
  t.is(
    await errorName(ssm.send(new PutParameterCommand({ Name: name, Value: 'A1', Overwrite: true }))),
    'ParameterPatternMismatchException',
  );
  t.is(await errorName(put(uniqueName('/app/list/bad'), 'x', { DataType: 'Text' })), 'ValidationException');
});

test('name validation: reserved prefixes, characters, qualification, 15 levels', async (t) => {
  t.is(await errorName(put('awsthing', 'x')), 'ValidationException');
  t.is(await errorName(put('/ssm/thing', 'x')), 'ValidationException');
  t.is(await errorName(put('/aws/thing', 'x')), 'AccessDeniedException');
  t.is(await errorName(put('/app/bad name', 'x')), 'ValidationException');
  t.is(await errorName(put('app/unqualified', 'x')), 'ValidationException');
  t.is(
    await errorName(put(`/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, 'x')),
    'HierarchyLevelLimitExceededException',
  );
  const fifteen = `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`;
  t.is((await put(fifteen, 'x')).Version, 1);
  t.is(await errorName(put(uniqueName('/app/empty'), '')), 'ValidationException');
});

test('value size: 4 KB on Standard, 8 KB on Advanced, Intelligent-Tiering picks the tier', async (t) => {
  const big = 'x'.repeat(5000);
  t.is(await errorName(put(uniqueName('/app/size/std'), big)), 'ValidationException');
  t.is((await put(uniqueName('/app/size/std'), 'x'.repeat(4096))).Tier, 'Standard');
  t.is((await put(uniqueName('/app/size/adv'), big, { Tier: 'Advanced' })).Tier, 'Advanced');
  t.is(
    await errorName(put(uniqueName('/app/size/adv'), 'x'.repeat(8193), { Tier: 'Advanced' })),
    'ValidationException',
  );
  t.is((await put(uniqueName('/app/size/it'), big, { Tier: 'Intelligent-Tiering' })).Tier, 'Advanced');
  t.is((await put(uniqueName('/app/size/it'), 'small', { Tier: 'Intelligent-Tiering' })).Tier, 'Standard');
});

test('GetParameters: found and InvalidParameters, selectors, at most 10 names', async (t) => {
  const a = uniqueName('/app/multi/a');
  const b = uniqueName('/app/multi/b');
  await put(a, '1');
  await put(b, '2');
  const result = await ssm.send(new GetParametersCommand({ Names: [a, `${b}:1`, '/app/multi/missing', `${a}:7`] }));
  t.deepEqual(result.Parameters?.map((p) => [p.Name, p.Value, p.Selector]).sort(), [
    [a, '1', undefined],
    [b, '2', ':1'],
  ]);
  t.deepEqual(result.InvalidParameters?.sort(), ['/app/multi/missing', `${a}:7`].sort());
  const eleven = Array.from({ length: 11 }, (_, i) => `/app/multi/n${i}`);
  t.is(await errorName(ssm.send(new GetParametersCommand({ Names: eleven }))), 'ValidationException');
});

test('GetParametersByPath: one level vs recursive', async (t) => {
  const root = uniqueName('/tree');
  await put(`${root}/a`, '1');
  await put(`${root}/b`, '2');
  await put(`${root}/sub/c`, '3');
  await put(`${root}/sub/deeper/d`, '4');
  const one = await ssm.send(new GetParametersByPathCommand({ Path: root }));
  t.deepEqual(
    one.Parameters?.map((p) => p.Name),
    [`${root}/a`, `${root}/b`],
  );
  const all = await ssm.send(new GetParametersByPathCommand({ Path: `${root}/`, Recursive: true }));
  t.deepEqual(
    all.Parameters?.map((p) => p.Value),
    ['1', '2', '3', '4'],
  );
  t.is(
    await errorName(ssm.send(new GetParametersByPathCommand({ Path: root, MaxResults: 11 }))),
    'ValidationException',
  );
  t.is(await errorName(ssm.send(new GetParametersByPathCommand({ Path: 'relative' }))), 'ValidationException');
  t.is(
    await errorName(ssm.send(new GetParametersByPathCommand({ Path: root, NextToken: 'garbage' }))),
    'InvalidNextToken',
  );
});

test('GetParametersByPath: a page can be empty while NextToken follows, and the SDK paginator walks it', async (t) => {
  const root = uniqueName('/paged');
  await put(`${root}/a`, 'first');
  for (let i = 1; i <= 5; i += 1) await put(`${root}/deep/${i}`, `deep${i}`);
  await put(`${root}/z`, 'last');

  const first = await ssm.send(new GetParametersByPathCommand({ Path: root, MaxResults: 2 }));
  t.deepEqual(
    first.Parameters?.map((p) => p.Value),
    ['first'],
  );
  t.truthy(first.NextToken);
  const second = await ssm.send(
    new GetParametersByPathCommand({ Path: root, MaxResults: 2, NextToken: first.NextToken }),
  );
  t.deepEqual(second.Parameters, []);
  t.truthy(second.NextToken, 'an empty page still has a NextToken');

  const pages: string[][] = [];
  for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 2 }, { Path: root })) {
    pages.push((page.Parameters ?? []).map((p) => p.Value ?? ''));
  }
  t.deepEqual(pages.flat(), ['first', 'last']);
  t.true(pages.some((page) => page.length === 0));
  t.is(pages.length, 4);

  const recursive: string[] = [];
  for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 3 }, { Path: root, Recursive: true })) {
    recursive.push(...(page.Parameters ?? []).map((p) => p.Value ?? ''));
  }
  t.deepEqual(recursive, ['first', 'deep1', 'deep2', 'deep3', 'deep4', 'deep5', 'last']);
});

test('GetParametersByPath: filters (Type, Label selects the labelled version) and refused keys', async (t) => {
  const root = uniqueName('/filtered');
  await put(`${root}/plain`, 'p');
  await put(`${root}/secure`, 's1', { Type: 'SecureString' });
  await ssm.send(new PutParameterCommand({ Name: `${root}/secure`, Value: 's2', Overwrite: true }));
  await ssm.send(new LabelParameterVersionCommand({ Name: `${root}/secure`, ParameterVersion: 1, Labels: ['stable'] }));
  const secure = await ssm.send(
    new GetParametersByPathCommand({
      Path: root,
      WithDecryption: true,
      ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }],
    }),
  );
  t.deepEqual(
    secure.Parameters?.map((p) => p.Value),
    ['s2'],
  );
  const labelled = await ssm.send(
    new GetParametersByPathCommand({
      Path: root,
      WithDecryption: true,
      ParameterFilters: [{ Key: 'Label', Values: ['stable'] }],
    }),
  );
  t.deepEqual(
    labelled.Parameters?.map((p) => [p.Value, p.Version]),
    [['s1', 1]],
  );
  const refused = ssm.send(
    new GetParametersByPathCommand({ Path: root, ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }),
  );
  t.is(await errorName(refused), 'InvalidFilterKey');
});

test('GetParameterHistory pages through versions with labels; SecureString stays encrypted unless asked', async (t) => {
  const name = uniqueName('/app/history/p');
  await put(name, 'v1', { Type: 'SecureString' });
  for (let i = 2; i <= 5; i += 1)
    await ssm.send(new PutParameterCommand({ Name: name, Value: `v${i}`, Overwrite: true }));
  await ssm.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: 2, Labels: ['prod'] }));
  const pages: { versions: number[]; values: string[]; labels: string[][] }[] = [];
  const paginator = paginateGetParameterHistory({ client: ssm, pageSize: 2 }, { Name: name, WithDecryption: true });
  for await (const page of paginator) {
    const items = page.Parameters ?? [];
    pages.push({
      versions: items.map((p) => p.Version ?? 0),
      values: items.map((p) => p.Value ?? ''),
      labels: items.map((p) => p.Labels ?? []),
    });
  }
  t.deepEqual(
    pages.map((p) => p.versions),
    [[1, 2], [3, 4], [5]],
  );
  t.deepEqual(
    pages.flatMap((p) => p.values),
    ['v1', 'v2', 'v3', 'v4', 'v5'],
  );
  t.deepEqual(pages[0]?.labels, [[], ['prod']]);
  const encrypted = await ssm.send(new GetParameterHistoryCommand({ Name: name, MaxResults: 1 }));
  t.not(encrypted.Parameters?.[0]?.Value, 'v1');
  t.is(await errorName(ssm.send(new GetParameterHistoryCommand({ Name: '/app/history/none' }))), 'ParameterNotFound');
  t.is(
    await errorName(ssm.send(new GetParameterHistoryCommand({ Name: name, MaxResults: 51 }))),
    'ValidationException',
  );
});

test('DescribeParameters: Name/Path/Type/tag filters, metadata, paging', async (t) => {
  const root = uniqueName('/described');
  await put(`${root}/one`, '1', { Description: 'the one', Tags: [{ Key: 'team', Value: 'blue' }] });
  await put(`${root}/two`, '2', { Type: 'SecureString' });
  await put(`${root}/nested/three`, '3');
  const names = async (filters: { Key: string; Option?: string; Values: string[] }[]) => {
    const found: string[] = [];
    for await (const page of paginateDescribeParameters({ client: ssm, pageSize: 2 }, { ParameterFilters: filters })) {
      found.push(...(page.Parameters ?? []).map((p) => p.Name ?? ''));
    }
    return found;
  };
  t.deepEqual(await names([{ Key: 'Name', Option: 'BeginsWith', Values: [`${root}/t`] }]), [`${root}/two`]);
  t.deepEqual(await names([{ Key: 'Path', Values: [root] }]), [`${root}/one`, `${root}/two`]);
  t.deepEqual(await names([{ Key: 'Path', Option: 'Recursive', Values: [root] }]), [
    `${root}/nested/three`,
    `${root}/one`,
    `${root}/two`,
  ]);
  t.deepEqual(
    await names([
      { Key: 'Path', Option: 'Recursive', Values: [root] },
      { Key: 'Type', Values: ['SecureString'] },
    ]),
    [`${root}/two`],
  );
  t.deepEqual(await names([{ Key: 'tag:team', Values: ['blue'] }]), [`${root}/one`]);
  const { Parameters } = await ssm.send(
    new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [`${root}/one`] }] }),
  );
  const meta = Parameters?.[0];
  t.is(meta?.Description, 'the one');
  t.is(meta?.Version, 1);
  t.is(meta?.Tier, 'Standard');
  t.is(meta?.Type, 'String');
  t.true(meta?.LastModifiedDate instanceof Date);
  t.is((meta as Record<string, unknown> | undefined)?.Value, undefined, 'metadata never carries the value');
  const badOption = ssm.send(
    new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Equals', Values: [root] }] }),
  );
  t.is(await errorName(badOption), 'InvalidFilterOption');
  const label = ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] }));
  t.is(await errorName(label), 'InvalidFilterKey');
});

test('DeleteParameter and DeleteParameters', async (t) => {
  const a = uniqueName('/app/delete/a');
  const b = uniqueName('/app/delete/b');
  await put(a, '1');
  await put(b, '2');
  await ssm.send(new DeleteParameterCommand({ Name: a }));
  t.is(await errorName(ssm.send(new GetParameterCommand({ Name: a }))), 'ParameterNotFound');
  t.is(await errorName(ssm.send(new DeleteParameterCommand({ Name: a }))), 'ParameterNotFound');
  const result = await ssm.send(new DeleteParametersCommand({ Names: [b, a] }));
  t.deepEqual(result.DeletedParameters, [b]);
  t.deepEqual(result.InvalidParameters, [a]);
});

test('LabelParameterVersion moves labels, reports invalid ones; UnlabelParameterVersion removes them', async (t) => {
  const name = uniqueName('/app/labels/p');
  await put(name, 'v1');
  await ssm.send(new PutParameterCommand({ Name: name, Value: 'v2', Overwrite: true }));
  const labelled = await ssm.send(
    new LabelParameterVersionCommand({ Name: name, ParameterVersion: 1, Labels: ['live', 'awsbad', '1bad'] }),
  );
  t.deepEqual(labelled.InvalidLabels, ['awsbad', '1bad']);
  t.is(labelled.ParameterVersion, 1);
  t.is((await ssm.send(new GetParameterCommand({ Name: `${name}:live` }))).Parameter?.Value, 'v1');
  const moved = await ssm.send(new LabelParameterVersionCommand({ Name: name, Labels: ['live'] }));
  t.is(moved.ParameterVersion, 2, 'defaults to the latest version');
  t.is((await ssm.send(new GetParameterCommand({ Name: `${name}:live` }))).Parameter?.Value, 'v2');
  t.is(
    await errorName(ssm.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: 9, Labels: ['x'] }))),
    'ParameterVersionNotFound',
  );
  const removed = await ssm.send(
    new UnlabelParameterVersionCommand({ Name: name, ParameterVersion: 2, Labels: ['live', 'other'] }),
  );
  t.deepEqual([removed.RemovedLabels, removed.InvalidLabels], [['live'], ['other']]);
  t.is(await errorName(ssm.send(new GetParameterCommand({ Name: `${name}:live` }))), 'ParameterNotFound');
});

test('tags: PutParameter Tags, AddTagsToResource, RemoveTagsFromResource, ListTagsForResource', async (t) => {
  const name = uniqueName('/app/tags/p');
  await put(name, 'x', { Tags: [{ Key: 'env', Value: 'dev' }] });
  await ssm.send(
    new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: [{ Key: 'team', Value: 'a' }] }),
  );
  await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: name, TagKeys: ['env'] }));
  const { TagList } = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }));
  t.deepEqual(TagList, [{ Key: 'team', Value: 'a' }]);
  const missing = ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/tags/none' }));
  t.is(await errorName(missing), 'InvalidResourceId');
  const overwriteWithTags = put(name, 'y', { Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] });
  t.is(await errorName(overwriteWithTags), 'ValidationException');
});

test('store backdoor: a parameter written behind the client is visible to it', async (t) => {
  const name = uniqueName('/app/backdoor/p');
  emulator.store.parameters.putParameter({ Name: name, Value: 'from-another-process', Type: 'String' });
  emulator.store.parameters.putParameter({ Name: name, Value: 'rotated', Overwrite: true });
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
  t.deepEqual([Parameter?.Value, Parameter?.Version], ['rotated', 2]);
  t.is(emulator.store.parameters.getParameter(`${name}:1`).value, 'from-another-process');
});
