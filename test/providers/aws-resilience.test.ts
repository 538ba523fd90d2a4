import { once } from 'node:events';
import test from 'ava';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import {
  createSecrets,
  isAccessDeniedError,
  isProviderUnavailableError,
  isThrottledError,
  isTimeoutError,
  type Secret,
} from '../../src/index.js';
import { parameterStore, secretsManager } from '../../src/providers/aws/index.js';
import { loadOptionalModule } from '../../src/providers/aws/shared/load-module.js';
import { awsSecrets, nextEvents, rejection, startEmulator } from '../support/aws-provider-fixture.js';
import { startStsStub } from '../support/aws-provider-sts-stub.js';
import { modulesLoadedBy } from '../support/child-process.js';
import { startCountingProxy } from '../support/counting-proxy.js';
import { unique } from '../support/unique-name.js';

let emulator: AwsEmulator;

test.before(async () => {
  emulator = await startEmulator();
});

test.after.always(async () => {
  await emulator?.stop();
});

test.serial('a watch survives a throttling storm and still sees the rotation made during it', async (t) => {
  const secrets = awsSecrets(emulator, { watch: { maxBackoff: 40 }, retry: { retries: 1 } });
  const name = unique('storm/s');
  emulator.store.secrets.createSecret({ Name: name, SecretString: 'before' });
  const seen: Secret[] = [];
  const subscription = secrets.watch(`aws-sm:${name}`, { interval: 20 }).subscribe((s) => seen.push(s));
  await nextEvents(secrets.events, 'watch-changed');
  const storm = emulator.faults.add({
    kind: 'throttle',
    service: 'secretsmanager',
    errorCode: 'TooManyRequestsException',
  });
  const errors = await nextEvents(secrets.events, 'watch-error', 3);
  t.true(errors.every((event) => isThrottledError(event.error)));
  const degraded = await firstValueFrom(secrets.watchStatus(`aws-sm:${name}`));
  t.is(degraded.state, 'degraded');
  const rotated = emulator.rotateSecret(name, 'after');
  await nextEvents(secrets.events, 'watch-error', 2);
  t.is(seen.length, 1, 'nothing emitted while throttled');
  const recovered = nextEvents(secrets.events, 'watch-changed');
  storm.remove();
  await recovered;
  t.deepEqual(
    seen.map((s) => s.value),
    ['before', 'after'],
  );
  t.is(seen[1]?.version, rotated);
  t.true(emulator.stats.faultsInjected >= 5);
  subscription.unsubscribe();
  await secrets.close();
});

test.serial('a hung request is ended by the attempt timeout, and the retry succeeds', async (t) => {
  const secrets = awsSecrets(emulator, { cache: false, retry: { attemptTimeout: 300, retries: 1 } });
  const name = unique('/hang/p');
  emulator.store.parameters.putParameter({ Name: name, Value: 'v', Type: 'String' });
  // The first call imports the SDK: keep that out of the timed attempts.
  await firstValueFrom(secrets.get(`aws-ssm:${name}`));
  emulator.faults.add({ kind: 'hang', operation: 'ssm.GetParameter', count: 1 });
  const aborted = once(emulator.events, 'clientAbort');
  const retried = nextEvents(secrets.events, 'retry');
  const secret = await firstValueFrom(secrets.get(`aws-ssm:${name}`));
  t.is(secret.value, 'v');
  t.true(isTimeoutError((await retried)[0]?.error));
  await aborted;

  emulator.faults.add({ kind: 'hang', operation: 'ssm.GetParameter', count: 2 });
  const failed = await rejection(firstValueFrom(secrets.get(`aws-ssm:${name}`)));
  t.true(isTimeoutError(failed));
  await secrets.close();
});

test.serial('unsubscribing aborts the HTTP request: the emulator sees the client close it', async (t) => {
  const secrets = awsSecrets(emulator, { cache: false });
  const name = unique('abort/s');
  emulator.store.secrets.createSecret({ Name: name, SecretString: 'v' });
  emulator.faults.add({ kind: 'hang', operation: 'GetSecretValue', count: 1 });
  const hung = once(emulator.events, 'hang');
  const abortedIds: string[] = [];
  const onAbort = (call: { requestId: string }) => abortedIds.push(call.requestId);
  emulator.events.on('clientAbort', onAbort);
  const subscription = secrets.get(`aws-sm:${name}`).subscribe();
  const [call] = await hung;
  const before = emulator.stats.clientAborted;
  t.false(abortedIds.includes(call.requestId));
  subscription.unsubscribe();
  while (!abortedIds.includes(call.requestId)) await once(emulator.events, 'clientAbort');
  emulator.events.off('clientAbort', onAbort);
  t.true(emulator.stats.clientAborted >= before + 1);
  await secrets.close();
});

test.serial('5xx and network failures are transient ProviderUnavailableError, retried by the core', async (t) => {
  const secrets = awsSecrets(emulator, { cache: false, retry: { retries: 2 } });
  const name = unique('/flaky/p');
  emulator.store.parameters.putParameter({ Name: name, Value: 'v', Type: 'String' });
  emulator.faults.add({ kind: 'internal-error', operation: 'GetParameter', count: 2 });
  emulator.stats.reset();
  const retries = firstValueFrom(
    secrets.events.pipe(
      filter((e) => e.type === 'retry'),
      take(2),
      toArray(),
    ),
  );
  t.is((await firstValueFrom(secrets.get(`aws-ssm:${name}`))).value, 'v');
  t.true((await retries).every((e) => e.type === 'retry' && isProviderUnavailableError(e.error)));
  t.is(emulator.stats.count('ssm.GetParameter'), 3, 'the SDK itself does not retry (maxAttempts 1)');
  await secrets.close();

  const dead = createSecrets({
    retry: { retries: 0 },
    providers: [parameterStore({ ...emulator.clientConfig(), endpoint: 'http://127.0.0.1:9' })],
  });
  const error = await rejection(firstValueFrom(dead.get('aws-ssm:/any')));
  t.true(isProviderUnavailableError(error));
  t.true((error as { transient?: boolean }).transient);
  await dead.close();
});

test.serial('throttling is a ThrottledError once retries are used up', async (t) => {
  const secrets = awsSecrets(emulator, { cache: false, retry: { retries: 1 } });
  emulator.faults.add({ kind: 'throttle', operation: 'GetParameter', count: 2 });
  const error = await rejection(firstValueFrom(secrets.get('aws-ssm:/throttled')));
  t.true(isThrottledError(error));
  t.is((error.cause as Error).name, 'ThrottlingException');
  await secrets.close();
});

test.serial(
  'assume-role: STS credentials sign the calls, and an expired token assumes the role again once',
  async (t) => {
    const sts = await startStsStub();
    const recorder = await startCountingProxy(emulator.endpoint);
    const accessKeys = () => recorder.requests.map((call) => call.accessKeyId);
    const { region, credentials } = emulator.clientConfig();
    const secrets = createSecrets({
      cache: false,
      providers: [
        secretsManager({
          region,
          credentials,
          endpoint: recorder.endpoint,
          assumeRole: {
            roleArn: 'arn:aws:iam::123456789012:role/reader',
            sessionName: 'rxsecrets-test',
            durationSeconds: 900,
            clientConfig: { endpoint: sts.endpoint },
          },
        }),
      ],
    });
    const name = unique('role/s');
    emulator.store.secrets.createSecret({ Name: name, SecretString: 'v' });
    t.is((await firstValueFrom(secrets.get(`aws-sm:${name}`))).value, 'v');
    t.is(sts.calls.length, 1);
    t.is(sts.calls[0]?.get('Action'), 'AssumeRole');
    t.is(sts.calls[0]?.get('RoleArn'), 'arn:aws:iam::123456789012:role/reader');
    t.is(sts.calls[0]?.get('RoleSessionName'), 'rxsecrets-test');
    t.is(sts.calls[0]?.get('DurationSeconds'), '900');
    t.deepEqual(accessKeys(), ['ASIASTUB1']);

    emulator.faults.add({
      kind: 'throttle',
      operation: 'GetSecretValue',
      errorCode: 'ExpiredTokenException',
      count: 1,
    });
    t.is((await firstValueFrom(secrets.get(`aws-sm:${name}`))).value, 'v');
    t.is(sts.calls.length, 2, 'the role was assumed again');
    t.deepEqual(accessKeys(), ['ASIASTUB1', 'ASIASTUB1', 'ASIASTUB2']);

    emulator.faults.add({
      kind: 'throttle',
      operation: 'GetSecretValue',
      errorCode: 'ExpiredTokenException',
      count: 2,
    });
    const denied = await rejection(firstValueFrom(secrets.get(`aws-sm:${name}`)));
    t.true(isAccessDeniedError(denied), 'a second expiry in a row is access denied');
    t.is(sts.calls.length, 3);
    await secrets.close();
    await recorder.stop();
    await sts.stop();
  },
);

test('access denied is permanent: no retry', async (t) => {
  const secrets = awsSecrets(emulator, { cache: false });
  emulator.faults.add({ kind: 'throttle', operation: 'DescribeSecret', errorCode: 'AccessDeniedException', count: 1 });
  const before = emulator.stats.count('DescribeSecret');
  const error = await rejection(firstValueFrom(secrets.exists('aws-sm:denied/s')));
  t.true(isAccessDeniedError(error));
  t.is(emulator.stats.count('DescribeSecret'), before + 1);
  await secrets.close();
});

test('a missing SDK package is a permanent ProviderUnavailableError naming it', async (t) => {
  const error = await rejection(loadOptionalModule('@aws-sdk/client-not-installed', 'aws-x'));
  t.true(isProviderUnavailableError(error));
  t.false((error as { transient?: boolean }).transient);
  t.regex(error.message, /npm install @aws-sdk\/client-not-installed/);
});

test('importing rxsecrets/aws and creating providers loads no AWS SDK module (the first call imports it)', async (t) => {
  const urls = await modulesLoadedBy('test/support/aws-provider-lazy-probe.ts');
  t.true(urls.some((url) => url.includes('/providers/aws/')));
  t.deepEqual(
    urls.filter((url) => /@aws-sdk|@smithy/.test(url)),
    [],
  );
});
