// What s1crets users expect of every provider, over the real SDK clients and the emulators: exists() honours the key
// path (path_exists(path, keypath)), transform 'auto' decodes JSON objects and arrays stored with no content type,
// and a listing whose signal is aborted yields nothing more.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import { createSecrets, memoryProvider, type Secrets } from '../../src/index.js';
import { awsSecrets, startEmulator } from '../support/aws-provider-fixture.js';
import { type AzureFixture, startAzureFixture, stopAzureFixture } from '../support/azure-provider-fixture.js';

let aws: AwsEmulator;
let awsClient: Secrets;
let azure: AzureFixture;
const memory = createSecrets({ providers: [memoryProvider()], cache: false });

test.before(async () => {
  aws = await startEmulator();
  awsClient = awsSecrets(aws, { cache: false });
  azure = await startAzureFixture();
});
test.after.always(async () => {
  await awsClient?.close();
  await aws?.stop();
  await stopAzureFixture(azure);
  await memory.close();
});

const JSON_TEXT = JSON.stringify({ db: { password: 'p', hosts: ['a'] }, empty: null });
const cases: Array<[string, () => Secrets, string, string]> = [
  ['memory', () => memory, 'memory:app/config', 'memory:app/plain'],
  ['aws-ssm', () => awsClient, 'aws-ssm:/app/config', 'aws-ssm:/app/plain'],
  ['aws-sm', () => awsClient, 'aws-sm:app/config', 'aws-sm:app/plain'],
  ['azure-kv', () => azure.secrets, 'azure-kv:app-config', 'azure-kv:app-plain'],
];

for (const [provider, client, json, plain] of cases) {
  test(`${provider}: exists() answers for the key path, not only the secret`, async (t) => {
    const secrets = client();
    await firstValueFrom(secrets.set(json, JSON_TEXT));
    await firstValueFrom(secrets.set(plain, 'not json'));
    const exists = (ref: string) => firstValueFrom(secrets.exists(ref));
    t.true(await exists(json));
    t.true(await exists(`${json}#db.password`));
    t.true(await exists(`${json}#db.hosts[0]`));
    t.true(await exists(`${json}#empty`), 'a key holding null exists');
    t.false(await exists(`${json}#db.user`));
    t.false(await exists(`${json}#db.hosts[1]`));
    t.false(await exists(`${json}#db.password.deeper`));
    t.false(await exists(`${plain}#db.password`), 'a value that is not JSON has no keys');
    t.false(await exists(`${json.replace('config', 'missing')}#db.password`));
  });
}

test("transform 'auto' decodes JSON objects and arrays written by another tool with no content type", async (t) => {
  aws.store.parameters.putParameter({ Name: '/auto/obj', Value: '{"a":1}', Type: 'SecureString', Overwrite: true });
  aws.store.parameters.putParameter({ Name: '/auto/plain', Value: 'hunter2', Type: 'String', Overwrite: true });
  aws.store.secrets.createSecret({ Name: 'auto/arr', SecretString: '[1,2]' });
  aws.store.secrets.createSecret({ Name: 'auto/plain', SecretString: '{not json' });
  const auto = (ref: string) => firstValueFrom(awsClient.get(ref, { transform: 'auto' }));
  t.deepEqual((await auto('aws-ssm:/auto/obj')).value, { a: 1 });
  t.is((await auto('aws-ssm:/auto/plain')).value, 'hunter2');
  t.deepEqual((await auto('aws-sm:auto/arr')).value, [1, 2]);
  t.is((await auto('aws-sm:auto/plain')).value, '{not json');
  t.is((await firstValueFrom(awsClient.get('aws-ssm:/auto/obj'))).value, '{"a":1}', 'without auto, text stays text');
});

const listCases: Array<[string, () => Secrets, string, (n: number) => string]> = [
  ['memory', () => memory, 'memory:ls/', (n) => `memory:ls/k${n}`],
  ['aws-ssm', () => awsClient, 'aws-ssm:/ls/', (n) => `aws-ssm:/ls/k${n}`],
  ['aws-sm', () => awsClient, 'aws-sm:ls/', (n) => `aws-sm:ls/k${n}`],
  ['azure-kv', () => azure.secrets, 'azure-kv:ls', (n) => `azure-kv:ls-k${n}`],
];
for (const [provider, client, prefix, ref] of listCases) {
  test(`${provider}: a listing whose signal is aborted yields nothing more, not even the rest of its page`, async (t) => {
    const secrets = client();
    for (let n = 0; n < 4; n++) await firstValueFrom(secrets.set(ref(n), 'v'));
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await t.throwsAsync(async () => {
      for await (const info of secrets.list(prefix, { signal: controller.signal })) {
        seen.push(info.name);
        controller.abort();
      }
    });
    t.is(error?.name, 'AbortError');
    t.is(seen.length, 1);
    const pages = secrets.list(prefix, { signal: controller.signal }).pages()[Symbol.asyncIterator]();
    await t.throwsAsync(pages.next(), { name: 'AbortError' });
  });
}
