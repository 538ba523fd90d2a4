// Provider-specific operations keep the facade's contract: string refs, the client's retries and deadline, retry
// events, per-call signal and retry, and close() ends them. Real SDK clients over the emulators.
import test from 'ava';
import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import {
  createSecrets,
  isClosedError,
  isInvalidSecretRefError,
  isPartialWriteError,
  isValidationError,
  type PartialWriteError,
  type SecretsEvent,
} from '../../src/index.js';
import {
  type ParameterStoreProvider,
  parameterStore,
  type SecretsManagerProvider,
  secretsManager,
} from '../../src/providers/aws/index.js';
import { type KeyVaultProvider, keyVault } from '../../src/providers/azure/index.js';

const FAST = { minDelay: 1, maxDelay: 5, jitter: false } as const;

async function failure(run: () => Observable<unknown> | Promise<unknown>): Promise<Error> {
  try {
    const made = run();
    await (made instanceof Promise ? made : lastValueFrom(made));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

async function keyVaultWorld(retry: object = FAST) {
  const kv = await startKeyVaultEmulator();
  const provider = keyVault({
    vaultUrl: kv.vaultUrl,
    credential: kv.credential,
    clientOptions: kv.clientOptions(),
    progressInterval: 5,
  });
  const secrets = createSecrets({ providers: [provider], cache: false, retry });
  const events: SecretsEvent[] = [];
  secrets.events.subscribe((event) => events.push(event));
  return { kv, provider: secrets.provider<KeyVaultProvider>('azure-kv'), secrets, events };
}

test('Key Vault operations take refs as text, and refuse refs of another scheme or with parts they cannot use', async (t) => {
  const w = await keyVaultWorld();
  w.kv.store.setSecret('db', 'v');
  const blob = await firstValueFrom(w.provider.backup('azure-kv:db'));
  t.true(blob.byteLength > 0);
  const refused: Array<[string, () => Observable<unknown>]> = [
    ['another scheme', () => w.provider.purge('aws-sm:db')],
    ['a version purge cannot use', () => w.provider.purge('azure-kv:db@0123456789abcdef0123456789abcdef')],
    ['a key path', () => w.provider.backup('azure-kv:db#password')],
    ['a name Key Vault cannot hold', () => w.provider.getDeleted('azure-kv:not_valid')],
    ['no scheme', () => w.provider.backup('db')],
  ];
  for (const [title, run] of refused) {
    t.true(isInvalidSecretRefError(await failure(run)), title);
  }
  t.is(w.kv.stats.calls['DELETE /deletedsecrets/{name}'], 0, 'nothing was sent for a refused ref');
  const updated = await firstValueFrom(w.provider.updateProperties('azure-kv:db', { tags: { team: 'a' } }));
  t.deepEqual(updated.tags, { team: 'a' });
  const versions: string[] = [];
  for await (const info of w.provider.versions('azure-kv:db')) versions.push(info.name);
  t.deepEqual(versions, ['db']);
  await w.secrets.close();
  await w.kv.stop();
});

test("Key Vault operations retry transient failures with the client's policy and report them on events", async (t) => {
  const w = await keyVaultWorld();
  w.kv.store.setSecret('retried', 'v');
  w.kv.faults.schedule({ kind: 'server-error', status: 503 }, { route: 'POST /secrets/{name}/backup', times: 2 });
  await firstValueFrom(w.provider.backup('azure-kv:retried'));
  t.is(w.kv.stats.calls['POST /secrets/{name}/backup'], 3);
  const retries = w.events.filter((event) => event.type === 'retry' && event.operation === 'backup');
  t.is(retries.length, 2);
  // A per-call retry override: no retry for this call.
  w.kv.faults.schedule({ kind: 'server-error', status: 503 }, { route: 'POST /secrets/{name}/backup', times: 1 });
  await failure(() => w.provider.backup('azure-kv:retried', { retry: { retries: 0 } }));
  t.is(w.kv.stats.calls['POST /secrets/{name}/backup'], 4);
  await w.secrets.close();
  await w.kv.stop();
});

test("a Key Vault call against a silent server ends at the client's deadline", async (t) => {
  const w = await keyVaultWorld({ ...FAST, attemptTimeout: 50, deadline: 120 });
  w.kv.store.setSecret('silent', 'v');
  w.kv.faults.schedule({ kind: 'hang' }, { route: 'POST /secrets/{name}/backup', times: 10 });
  const error = await failure(() => w.provider.backup('azure-kv:silent'));
  t.is(error.name, 'TimeoutError');
  await w.secrets.close();
  await w.kv.stop();
});

test('a per-call signal cancels a Key Vault operation', async (t) => {
  const w = await keyVaultWorld();
  w.kv.store.setSecret('cancelled', 'v');
  const hang = w.kv.faults.schedule({ kind: 'hang' }, { route: 'POST /secrets/{name}/backup' });
  const controller = new AbortController();
  const pending = failure(() => w.provider.backup('azure-kv:cancelled', { signal: controller.signal }));
  await hang.consumed;
  controller.abort(new Error('no longer needed'));
  t.is((await pending).message, 'no longer needed');
  await w.secrets.close();
  await w.kv.stop();
});

test('close() ends a running delete poller with ClosedError, and every later call fails with ClosedError', async (t) => {
  const w = await keyVaultWorld();
  w.kv.store.setSecret('going', 'v');
  // The deletion never settles while the poller is running: polls keep answering 404.
  const hang = w.kv.faults.schedule({ kind: 'hang' }, { route: 'GET /deletedsecrets/{name}' });
  const running = failure(() => w.provider.beginDelete('azure-kv:going'));
  await hang.consumed;
  await w.secrets.close();
  t.true(isClosedError(await running));
  t.true(isClosedError(await failure(() => w.provider.purge('azure-kv:going'))));
  t.true(isClosedError(await failure(() => w.provider.versions('azure-kv:going')[Symbol.asyncIterator]().next())));
  await w.kv.stop();
});

test('bad options of provider operations are ValidationErrors before any request', async (t) => {
  const w = await keyVaultWorld();
  const cases: Array<[string, () => Observable<unknown>]> = [
    ['an invalid Date', () => w.secrets.set('azure-kv:d', 'v', { notBefore: new Date('x') })],
    ['a date the wire cannot carry', () => w.secrets.set('azure-kv:d', 'v', { expiresOn: new Date('2200-01-01') })],
    ['recoveryWindow on Key Vault', () => w.secrets.delete('azure-kv:d', { recoveryWindow: '7d' })],
    ['a progressInterval that is not a duration', () => w.provider.recover('azure-kv:d', { progressInterval: 'soon' })],
    ['an unknown property update', () => w.provider.updateProperties('azure-kv:d', { enable: false } as never)],
    ['a restore blob that is not bytes', () => w.provider.restoreBackup('blob' as never)],
  ];
  for (const [title, run] of cases) t.true(isValidationError(await failure(run)), title);
  t.deepEqual(
    Object.values(w.kv.stats.calls).reduce((sum, n) => sum + n, 0),
    0,
    'no request reached the vault',
  );
  await w.secrets.close();
  await w.kv.stop();
});

test('keyVault refuses bad options with the closest key, and a client given with a vaultUrl', (t) => {
  const credential = { getToken: async () => null };
  t.regex(
    t.throws(() => keyVault({ vaultUrl: 'https://v.vault.azure.net', credential, watchIntervall: '1s' } as never))
      ?.message ?? '',
    /did you mean 'pollInterval'/,
  );
  t.true(isValidationError(t.throws(() => keyVault({ client: {} as never, vaultUrl: 'https://v' } as never))));
  t.true(isValidationError(t.throws(() => keyVault(undefined as never))));
});

let aws: AwsEmulator;
test.before(async () => {
  aws = await startAwsEmulator();
});
test.after.always(() => aws?.stop());

function awsWorld() {
  const { endpoint, region, credentials } = aws.clientConfig();
  const secrets = createSecrets({
    providers: [parameterStore({ endpoint, region, credentials }), secretsManager({ endpoint, region, credentials })],
    cache: false,
    retry: FAST,
  });
  return {
    secrets,
    ssm: secrets.provider<ParameterStoreProvider>('aws-ssm'),
    sm: secrets.provider<SecretsManagerProvider>('aws-sm'),
  };
}

test.serial('AWS: versions(ref) on both providers, recover on Secrets Manager, string refs checked', async (t) => {
  const w = awsWorld();
  await lastValueFrom(w.secrets.set('aws-ssm:/ops/a', 'one', { type: 'String' }));
  await lastValueFrom(w.secrets.set('aws-ssm:/ops/a', 'two'));
  const ssmVersions: string[] = [];
  for await (const info of w.ssm.versions('aws-ssm:/ops/a')) ssmVersions.push(info.version ?? '');
  t.deepEqual(ssmVersions, ['1', '2']);
  await lastValueFrom(w.secrets.set('aws-sm:ops/b', 'v'));
  let smVersions = 0;
  for await (const _ of w.sm.versions('aws-sm:ops/b')) smVersions++;
  t.is(smVersions, 1);
  await lastValueFrom(w.secrets.delete('aws-sm:ops/b'));
  t.like(await firstValueFrom(w.sm.recover('aws-sm:ops/b')), { status: 'recovered', done: true, name: 'ops/b' });
  t.true(isInvalidSecretRefError(await failure(() => w.sm.recover('aws-ssm:/ops/a'))));
  t.true(isInvalidSecretRefError(t.throws(() => w.ssm.versions('aws-ssm:/ops/a#key'))));
  t.true(isValidationError(t.throws(() => w.ssm.versions('aws-ssm:/ops/a', { pageSize: 0 }))));
  await w.secrets.close();
});

test.serial(
  'AWS: a Parameter Store set whose tagging step keeps failing writes the value once and says so',
  async (t) => {
    const w = awsWorld();
    await lastValueFrom(w.secrets.set('aws-ssm:/ops/tagged', 'one', { type: 'String' }));
    aws.stats.reset();
    aws.faults.add({ kind: 'throttle', operation: 'ssm.AddTagsToResource', count: 10 });
    const error = await failure(() => w.secrets.set('aws-ssm:/ops/tagged', 'two', { tags: { team: 'a' } }));
    t.true(isPartialWriteError(error), error.message);
    t.is((error as PartialWriteError).written.version, '2');
    t.regex(error.message, /written as version 2, but adding its tags failed/);
    t.like(JSON.parse(JSON.stringify(error)), { code: 'PartialWrite', version: '2', ref: 'aws-ssm:/ops/tagged' });
    t.is(aws.stats.calls['ssm.PutParameter'], 1, 'the value was written once');
    t.is(aws.stats.calls['ssm.AddTagsToResource'], 4, 'only the tagging step was retried');
    t.is((await firstValueFrom(w.secrets.get('aws-ssm:/ops/tagged'))).value, 'two');
    aws.faults.clear();
    await w.secrets.close();
  },
);

test.serial('AWS: after close, versions() fails with ClosedError and builds no new SDK client', async (t) => {
  const w = awsWorld();
  await lastValueFrom(w.secrets.set('aws-ssm:/ops/closed', 'v', { type: 'String' }));
  await w.secrets.close();
  aws.stats.reset();
  t.true(isClosedError(await failure(() => w.ssm.versions('aws-ssm:/ops/closed')[Symbol.asyncIterator]().next())));
  t.true(isClosedError(await failure(() => w.sm.recover('aws-sm:ops/x'))));
  t.is(aws.stats.total, 0, 'no request was sent');
});

test.serial("AWS: a provider's own retry narrows the client's; recoveryWindow: 'abc' deletes nothing", async (t) => {
  const { endpoint, region, credentials } = aws.clientConfig();
  const secrets = createSecrets({
    providers: [secretsManager({ endpoint, region, credentials, retry: { retries: 0 } })],
    cache: false,
    retry: { ...FAST, retries: 5 },
  });
  await lastValueFrom(secrets.set('aws-sm:ops/narrow', 'v'));
  aws.stats.reset();
  aws.faults.add({ kind: 'internal-error', operation: 'secretsmanager.GetSecretValue', count: 3 });
  await failure(() => secrets.get('aws-sm:ops/narrow'));
  t.is(aws.stats.calls['secretsmanager.GetSecretValue'], 1, 'no retry: the provider allows none');
  aws.faults.clear();
  t.true(isValidationError(await failure(() => secrets.delete('aws-sm:ops/narrow', { recoveryWindow: 'abc' }))));
  t.is(aws.stats.calls['secretsmanager.DeleteSecret'] ?? 0, 0);
  t.is((await firstValueFrom(secrets.get('aws-sm:ops/narrow'))).value, 'v', 'still there');
  await secrets.close();
});

test('AWS providers refuse bad options with the closest key, and a client given with connection settings', (t) => {
  t.regex(
    t.throws(() => secretsManager({ probe: 'bogus' as never }))?.message ?? '',
    /'secretsManager.probe' must be one of/,
  );
  t.regex(t.throws(() => parameterStore({ regoin: 'x' } as never))?.message ?? '', /did you mean 'region'/);
  t.true(isValidationError(t.throws(() => parameterStore({ client: {} as never, region: 'eu-west-1' } as never))));
  t.true(isValidationError(t.throws(() => parameterStore({ maxConcurrency: 0 }))));
});

test('one provider serves one client at a time', async (t) => {
  const provider = parameterStore({ region: 'eu-west-1' });
  const other = parameterStore({ region: 'eu-west-1', scheme: 'aws-ssm-other' });
  const first = createSecrets({ providers: [provider] });
  t.true(isValidationError(t.throws(() => createSecrets({ providers: [other, provider] }))));
  // The refused client let go of the provider it had attached before the refusal.
  const third = createSecrets({ providers: [other] });
  await third.close();
  await first.close();
  // Closing the first client closed the provider with it: a second client can hold it, but it stays closed.
  const second = createSecrets({ providers: [provider] });
  t.true(isClosedError(await failure(() => provider.versions('aws-ssm:/x')[Symbol.asyncIterator]().next())));
  await second.close();
});
