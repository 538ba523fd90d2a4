// What only our emulator can show of this provider (call counts, store internals, exact recovery windows). The
// scenarios any AWS implementation must pass live once, in test/interop/contracts, run against moto and this emulator.
import test from 'ava';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import {
  isInvalidSecretRefError,
  isSecretDeletedError,
  isSecretNotFoundError,
  isValidationError,
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
  // Counted from a round's start: the calls of three whole rounds (the next one's call is sent after its event).
  await nextEvents(secrets.events, 'watch-probe', 1);
  emulator.stats.reset();
  const ticks = await nextEvents(secrets.events, 'watch-probe', 3);
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
  const subscriptions = names.map((name) => secrets.watch(`aws-sm:${name}`, { interval: 200 }).subscribe());
  await nextEvents(secrets.events, 'watch-changed', 15);
  await nextEvents(secrets.events, 'watch-probe', 2);
  emulator.stats.reset();
  await nextEvents(secrets.events, 'watch-probe', 2);
  t.is(emulator.stats.count('secretsmanager.ListSecrets'), 4, 'two exact-name calls (10 + 5 names) per interval');
  for (const s of subscriptions) s.unsubscribe();
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
  const recovered = await firstValueFrom(sm.recover(`aws-sm:${name}`));
  t.like(recovered, { status: 'recovered', done: true, name });
  t.is((await firstValueFrom(secrets.get(`aws-sm:${name}`))).value, 'keep');
  await lastValueFrom(secrets.delete(`aws-sm:${name}`, { force: true }));
  t.is(emulator.store.secrets.find(name), undefined);
  t.true(isSecretNotFoundError(await rejection(lastValueFrom(secrets.delete(`aws-sm:${name}`)))));
  t.true(isValidationError(await rejection(lastValueFrom(secrets.delete(`aws-sm:${name}`, { recoveryWindow: '3d' })))));
});
