import test from 'ava';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import {
  isConflictError,
  isInvalidSecretRefError,
  isSecretDeletedError,
  isSecretNotFoundError,
  isValidationError,
  type SecretInfo,
  type Secrets,
} from '../../src/index.js';
import type { SecretsManagerProvider } from '../../src/providers/aws/index.js';
import { awsSecrets, messages, nextEvents, rejection, startEmulator } from '../support/aws-provider-fixture.js';
import { unique } from '../support/unique-name.js';

let emulator: AwsEmulator;
let secrets: Secrets;
let sm: SecretsManagerProvider;
const create = (Name: string, value: string | Uint8Array = 'v1') =>
  emulator.store.secrets.createSecret(
    typeof value === 'string' ? { Name, SecretString: value } : { Name, SecretBinary: Buffer.from(value) },
  );

test.before(async () => {
  emulator = await startEmulator();
  secrets = awsSecrets(emulator, { cache: false, watch: { maxBackoff: 50 } });
  sm = secrets.provider<SecretsManagerProvider>('aws-sm');
});

test.after.always(async () => {
  await secrets?.close();
  await emulator?.stop();
});

test.serial('a watch of 100 secrets costs 1 ListSecrets call per interval, and one read per rotation', async (t) => {
  const names = Array.from({ length: 100 }, (_, i) => `fleet/svc-${String(i).padStart(3, '0')}`);
  for (const name of names) create(name);
  create('fleet-other/unrelated');
  const subscriptions = names.map((name) => secrets.watch(`aws-sm:${name}`, { interval: 40 }).subscribe());
  await nextEvents(secrets.events, 'watch-changed', 100);
  const probes = nextEvents(secrets.events, 'watch-probe', 3);
  emulator.stats.reset();
  const ticks = await probes;
  t.deepEqual(
    ticks.map((tick) => tick.calls),
    [1, 1, 1],
    'the engine hands all 100 refs to one probe',
  );
  t.is(emulator.stats.count('secretsmanager.ListSecrets'), 3, 'one ListSecrets per interval for 100 secrets');
  t.is(emulator.stats.count('secretsmanager.GetSecretValue'), 0);
  const rotated = firstValueFrom(secrets.watch('aws-sm:fleet/svc-042').pipe(take(2), toArray()));
  const newVersion = emulator.rotateSecret('fleet/svc-042', 'v2');
  const seen = await rotated;
  t.deepEqual(
    seen.map((s) => [s.value, s.version === newVersion]),
    [
      ['v1', false],
      ['v2', true],
    ],
  );
  t.is(emulator.stats.count('secretsmanager.GetSecretValue'), 1, 'only the rotated secret is read');
  for (const s of subscriptions) s.unsubscribe();
});

test.serial('unrelated names: the probe falls back to exact-name filters when prefixes cost more', async (t) => {
  const names = Array.from({ length: 15 }, (_, i) => `${String.fromCharCode(97 + i)}zz/only`);
  for (const name of names) create(name);
  for (let i = 0; i < 250; i++) create(`azz/noise-${i}`); // the merged prefix 'azz/' would page through these
  const subscriptions = names.map((name) => secrets.watch(`aws-sm:${name}`, { interval: 30 }).subscribe());
  await nextEvents(secrets.events, 'watch-changed', 15);
  await nextEvents(secrets.events, 'watch-probe', 2);
  emulator.stats.reset();
  await nextEvents(secrets.events, 'watch-probe', 2);
  t.is(emulator.stats.count('secretsmanager.ListSecrets'), 4, 'two exact-name calls (10 + 5 names) per interval');
  for (const s of subscriptions) s.unsubscribe();
});

test('get by stage or VersionId; AWSCURRENT by default', async (t) => {
  const name = unique('stages/s');
  const first = create(name, 'one').VersionId as string;
  const second = emulator.rotateSecret(name, 'two');
  const current = await firstValueFrom(secrets.get(`aws-sm:${name}`));
  t.is(current.value, 'two');
  t.is(current.version, second);
  t.deepEqual(current.metadata.stages, ['AWSCURRENT']);
  t.is((await firstValueFrom(secrets.get(`aws-sm:${name}@AWSPREVIOUS`))).value, 'one');
  t.is((await firstValueFrom(secrets.get(`aws-sm:${name}@${first}`))).value, 'one');
  emulator.store.secrets.putSecretValue({ SecretId: name, SecretString: 'blue', VersionStages: ['blue'] });
  t.is((await firstValueFrom(secrets.get(`aws-sm:${name}@blue`))).value, 'blue');
  t.is((await firstValueFrom(secrets.get(`aws-sm:${name}@stage:blue`))).value, 'blue');
  const noStage = await rejection(firstValueFrom(secrets.get(`aws-sm:${name}@green`)));
  t.true(isSecretNotFoundError(noStage));
  t.is((noStage as { version?: string }).version, 'green');
});

test('binary secrets read as Uint8Array; key paths read into JSON', async (t) => {
  const bin = unique('bin/s');
  create(bin, new Uint8Array([0, 1, 2, 255]));
  const secret = await firstValueFrom(secrets.get(`aws-sm:${bin}`));
  t.true(secret.value instanceof Uint8Array);
  t.deepEqual([...(secret.value as Uint8Array)], [0, 1, 2, 255]);
  t.true(secret.metadata.binary);
  const json = unique('json/s');
  create(json, JSON.stringify({ password: 'pw', nested: { port: 5432 } }));
  t.is((await firstValueFrom(secrets.get(`aws-sm:${json}#password`))).value, 'pw');
  t.is((await firstValueFrom(secrets.get(`aws-sm:${json}#nested.port`))).value, 5432);
});

test('names, ARNs and version selectors are validated', async (t) => {
  const before = emulator.stats.total;
  for (const bad of ['aws-sm:has space', `aws-sm:${'x'.repeat(513)}`, 'aws-sm:a@id:short', 'aws-sm:a!b']) {
    t.true(isInvalidSecretRefError(await rejection(firstValueFrom(secrets.get(bad)))), bad);
  }
  t.is(emulator.stats.total, before);
  const name = unique('arn/s');
  const { ARN } = create(name, 'by-arn');
  t.is((await firstValueFrom(secrets.get(`aws-sm:${ARN}`))).value, 'by-arn');
  t.true(await firstValueFrom(secrets.exists(`aws-sm:${ARN}`)));
});

test('set: CreateSecret for a new name, PutSecretValue after; the client token makes retries idempotent', async (t) => {
  const name = unique('set/s');
  const created = await firstValueFrom(
    secrets.set(`aws-sm:${name}`, 'one', { tags: { team: 'db' }, description: 'd' }),
  );
  t.truthy(created.version);
  t.deepEqual(emulator.store.secrets.resolve(name).tags, [{ Key: 'team', Value: 'db' }]);
  const token = globalThis.crypto.randomUUID();
  const second = await firstValueFrom(secrets.set(`aws-sm:${name}`, 'two', { clientToken: token }));
  const again = await firstValueFrom(secrets.set(`aws-sm:${name}`, 'two', { clientToken: token }));
  t.is(second.version, token);
  t.is(again.version, token);
  t.is(emulator.store.secrets.resolve(name).versions.all().length, 2, 'the repeated token made no new version');
  const reused = await rejection(firstValueFrom(secrets.set(`aws-sm:${name}`, 'three', { clientToken: token })));
  t.true(isConflictError(reused));
  t.true(isConflictError(await rejection(firstValueFrom(secrets.set(`aws-sm:${name}`, 'x', { ifNotExists: true })))));
  await firstValueFrom(secrets.set(`aws-sm:${name}`, { json: true }));
  t.deepEqual((await firstValueFrom(secrets.get(`aws-sm:${name}`, { transform: 'json' }))).value, { json: true });
  await firstValueFrom(secrets.set(`aws-sm:${name}`, new Uint8Array([9, 8])));
  t.deepEqual([...((await firstValueFrom(secrets.get(`aws-sm:${name}`))).value as Uint8Array)], [9, 8]);
});

test('a too-large value is a ValidationError that does not quote it', async (t) => {
  const name = unique('set/big');
  const value = `TOP-SECRET-${'x'.repeat(70_000)}`;
  const error = await rejection(firstValueFrom(secrets.set(`aws-sm:${name}`, value)));
  t.true(isValidationError(error));
  t.false(messages(error).includes('TOP-SECRET'));
});

test('delete with a recovery window, then restore; reads in between are SecretDeletedError; force deletes', async (t) => {
  const name = unique('del/s');
  create(name, 'keep');
  await lastValueFrom(secrets.delete(`aws-sm:${name}`, { recoveryWindow: '7d' }));
  const stored = emulator.store.secrets.find(name);
  t.is(((stored?.deletionDate ?? 0) - (stored?.deletedAt ?? 0)) / 86_400_000, 7);
  const read = await rejection(firstValueFrom(secrets.get(`aws-sm:${name}`)));
  t.true(isSecretDeletedError(read));
  t.is((read.cause as Error).name, 'InvalidRequestException');
  t.false(await firstValueFrom(secrets.exists(`aws-sm:${name}`)));
  const restored = await firstValueFrom(sm.restore(`aws-sm:${name}`));
  t.is(restored.name, name);
  t.is((await firstValueFrom(secrets.get(`aws-sm:${name}`))).value, 'keep');
  await lastValueFrom(secrets.delete(`aws-sm:${name}`, { force: true }));
  t.is(emulator.store.secrets.find(name), undefined);
  t.true(isSecretNotFoundError(await rejection(lastValueFrom(secrets.delete(`aws-sm:${name}`)))));
  t.true(isValidationError(await rejection(lastValueFrom(secrets.delete(`aws-sm:${name}`, { recoveryWindow: '3d' })))));
});

test('exists: a secret, a stage, a VersionId', async (t) => {
  const name = unique('exists/s');
  const first = create(name).VersionId as string;
  t.true(await firstValueFrom(secrets.exists(`aws-sm:${name}`)));
  t.true(await firstValueFrom(secrets.exists(`aws-sm:${name}@${first}`)));
  t.false(await firstValueFrom(secrets.exists(`aws-sm:${name}@AWSPREVIOUS`)));
  t.false(await firstValueFrom(secrets.exists(`aws-sm:${unique('exists/none')}`)));
});

test('listing by name prefix, 100 per page (pageSize honoured), with stages and tags', async (t) => {
  for (let i = 0; i < 7; i++) {
    emulator.store.secrets.createSecret({
      Name: `list/app/s${i}`,
      SecretString: 'x',
      Tags: [{ Key: 'i', Value: `${i}` }],
    });
  }
  create('listing-elsewhere');
  const pages: Array<readonly SecretInfo[]> = [];
  for await (const page of secrets.list('aws-sm:list/app/', { pageSize: 3 }).pages()) pages.push(page);
  t.deepEqual(
    pages.map((page) => page.length),
    [3, 3, 1],
  );
  const first = pages[0]?.[0];
  t.is(first?.name, 'list/app/s0');
  t.is(first?.tags.i, '0');
  t.truthy(first?.version);
  t.deepEqual(Object.values(first?.metadata.versionsToStages as object), [['AWSCURRENT']]);
  const withValues: string[] = [];
  for await (const secret of secrets.list('aws-sm:list/app/', { withValues: true }))
    withValues.push(String(secret.value));
  t.is(withValues.length, 7);
});

test('versions lists every version with its stages', async (t) => {
  const name = unique('versions/s');
  const first = create(name, 'a').VersionId;
  const second = emulator.rotateSecret(name, 'b');
  const third = emulator.rotateSecret(name, 'c');
  const versions: SecretInfo[] = [];
  for await (const info of sm.versions(`aws-sm:${name}`)) versions.push(info);
  t.deepEqual(
    versions.map((v) => [v.version, v.metadata.stages]),
    [
      [second, ['AWSPREVIOUS']],
      [third, ['AWSCURRENT']],
    ],
  );
  const all: SecretInfo[] = [];
  for await (const info of sm.versions(`aws-sm:${name}`, { includeDeprecated: true, pageSize: 1 })) all.push(info);
  t.deepEqual(
    all.map((v) => v.version),
    [first, second, third],
  );
});

test('a watch of an AWSPREVIOUS ref follows the stage; a watch ends on deletion', async (t) => {
  const name = unique('watch/prev');
  create(name, 'a');
  emulator.rotateSecret(name, 'b');
  const seen = firstValueFrom(secrets.watch(`aws-sm:${name}@AWSPREVIOUS`, { interval: 20 }).pipe(take(2), toArray()));
  await nextEvents(secrets.events, 'watch-changed');
  emulator.rotateSecret(name, 'c');
  t.deepEqual(
    (await seen).map((s) => s.value),
    ['a', 'b'],
  );
  const ended = rejection(lastValueFrom(secrets.watch(`aws-sm:${name}`, { interval: 20 })));
  await nextEvents(secrets.events, 'watch-changed');
  emulator.store.secrets.deleteSecret(name);
  t.true(isSecretDeletedError(await ended));
});

test('describe and batch-get probes', async (t) => {
  for (const probe of ['describe', 'batch-get'] as const) {
    const own = awsSecrets(emulator, { cache: false, sm: { probe } });
    const name = unique(`probe-${probe}/s`);
    create(name, 'a');
    const seen = firstValueFrom(own.watch(`aws-sm:${name}`, { interval: 20 }).pipe(take(2), toArray()));
    await nextEvents(own.events, 'watch-probe');
    emulator.rotateSecret(name, 'b');
    t.deepEqual(
      (await seen).map((s) => s.value),
      ['a', 'b'],
      probe,
    );
    await own.close();
  }
});
