import { once } from 'node:events';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import test from 'ava';
import { type AwsEmulator, seededRandom, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { RecordingRetryStrategy, secretsClient, ssmClient } from '../support/aws-clients.js';
import { installFakeClock } from '../support/fake-clock.js';
import { rejection } from '../support/rejection.js';

// Faults and stats are emulator-wide: these tests run one at a time and start from a clean emulator.
let emulator: AwsEmulator;

test.before(async () => {
  emulator = await startAwsEmulator();
});

test.beforeEach(() => {
  emulator.reset();
  emulator.store.parameters.putParameter({ Name: '/faults/p', Value: 'value', Type: 'String' });
  emulator.store.secrets.createSecret({ Name: 'faults/s', SecretString: 'secret' });
});

test.after.always(async () => {
  await emulator?.stop();
});

/** An AWS SDK error as the tests read it. */
type SdkError = Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };
const caught = (promise: Promise<unknown>) => rejection<SdkError>(promise);

function getParameter(client: SSMClient, options: { abortSignal?: AbortSignal } = {}) {
  return client.send(new GetParameterCommand({ Name: '/faults/p' }), options);
}

test.serial(
  'throttling the next 3 GetParameter calls: the SDK retries through them and every attempt counts',
  async (t) => {
    const retry = new RecordingRetryStrategy(4);
    const client = ssmClient(emulator, retry);
    const fault = emulator.faults.add({ kind: 'throttle', operation: 'GetParameter', count: 3 });
    const result = await getParameter(client);
    t.is(result.Parameter?.Value, 'value');
    t.deepEqual(retry.errorTypes, ['THROTTLING', 'THROTTLING', 'THROTTLING']);
    t.is(emulator.stats.calls['ssm.GetParameter'], 4);
    t.is(emulator.stats.faultsInjected, 3);
    t.deepEqual([fault.hits, fault.remaining, fault.active], [3, 0, false]);
    t.deepEqual(emulator.faults.rules, []);
    client.destroy();
  },
);

test.serial('the default SDK retry strategy retries a throttle (ThrottlingException, HTTP 400)', async (t) => {
  const client = ssmClient(emulator);
  emulator.faults.add({ kind: 'throttle', operation: 'ssm.GetParameter', count: 1 });
  const result = await getParameter(client);
  t.is(result.$metadata.attempts, 2);
  t.is(emulator.stats.count('GetParameter'), 2);
  client.destroy();
});

test.serial('throttling beyond max attempts surfaces ThrottlingException', async (t) => {
  const client = ssmClient(emulator, new RecordingRetryStrategy(2));
  emulator.faults.add({ kind: 'throttle', operation: 'GetParameter' });
  const error = await caught(getParameter(client));
  t.is(error.name, 'ThrottlingException');
  t.is(error.message, 'Rate exceeded');
  t.is(error.$metadata?.httpStatusCode, 400);
  t.is(emulator.stats.calls['ssm.GetParameter'], 2);
  client.destroy();
});

test.serial(
  'Secrets Manager throttles as TooManyRequestsException when asked; the SDK sees it as throttling',
  async (t) => {
    const retry = new RecordingRetryStrategy(3);
    const client = secretsClient(emulator, retry);
    emulator.faults.add({
      kind: 'throttle',
      service: 'secretsmanager',
      errorCode: 'TooManyRequestsException',
      count: 1,
    });
    const value = await client.send(new GetSecretValueCommand({ SecretId: 'faults/s' }));
    t.is(value.SecretString, 'secret');
    t.deepEqual(retry.errorTypes, ['THROTTLING']);
    t.is(emulator.stats.calls['secretsmanager.GetSecretValue'], 2);
    client.destroy();
  },
);

test.serial(
  '5xx faults: InternalServerError (SSM), InternalServiceError (Secrets Manager), ServiceUnavailable',
  async (t) => {
    const noRetry = { maxAttempts: 1 };
    const ssm = ssmClient(emulator, undefined, noRetry);
    const sm = secretsClient(emulator, undefined, noRetry);
    emulator.faults.add({ kind: 'internal-error', count: 2 });
    const ssmError = await caught(getParameter(ssm));
    t.deepEqual([ssmError.name, ssmError.$metadata?.httpStatusCode], ['InternalServerError', 500]);
    const smError = await caught(sm.send(new GetSecretValueCommand({ SecretId: 'faults/s' })));
    t.deepEqual([smError.name, smError.$metadata?.httpStatusCode], ['InternalServiceError', 500]);
    emulator.faults.add({ kind: 'unavailable', count: 1 });
    const unavailable = await caught(getParameter(ssm));
    t.deepEqual([unavailable.name, unavailable.$metadata?.httpStatusCode], ['ServiceUnavailable', 503]);
    const retry = new RecordingRetryStrategy(3);
    const retrying = ssmClient(emulator, retry);
    emulator.faults.add({ kind: 'unavailable', count: 1 });
    t.is((await getParameter(retrying)).Parameter?.Value, 'value');
    t.deepEqual(retry.errorTypes, ['TRANSIENT']);
    for (const client of [ssm, sm, retrying]) client.destroy();
  },
);

test.serial('latency delays the answer', async (t) => {
  const client = ssmClient(emulator);
  t.teardown(() => client.destroy());
  emulator.faults.add({ kind: 'latency', latencyMs: 80, count: 1 });
  const faultsBefore = emulator.stats.faultsInjected;
  // the emulator's delay runs on a fake clock; the HTTP exchange stays real
  const clock = installFakeClock(t, { toFake: ['setTimeout', 'clearTimeout'] });
  const arrived = once(emulator.events, 'call');
  let answered = false;
  const request = getParameter(client).then((answer) => {
    answered = true;
    return answer;
  });
  await arrived;
  await clock.tickAsync(79);
  await new Promise((resolve) => setImmediate(resolve));
  t.false(answered, 'no answer before the 80 ms latency');
  await clock.tickAsync(1);
  t.is((await request).Parameter?.Value, 'value');
  // the rule acted once: the next call is answered without any fake time passing
  t.is((await getParameter(client)).Parameter?.Value, 'value');
  t.is(emulator.stats.faultsInjected, faultsBefore + 1);
});

test.serial('a hung request is ended by the client abortSignal and counted as client-aborted', async (t) => {
  const client = ssmClient(emulator, undefined, { maxAttempts: 1 });
  emulator.faults.add({ kind: 'hang', operation: 'GetParameter', count: 1 });
  const hung = once(emulator.events, 'hang');
  const aborted = once(emulator.events, 'clientAbort');
  const controller = new AbortController();
  const request = getParameter(client, { abortSignal: controller.signal });
  const [call] = await hung;
  t.is(call.key, 'ssm.GetParameter');
  t.is(emulator.stats.clientAborted, 0);
  controller.abort();
  const error = await caught(request);
  t.is(error.name, 'AbortError');
  const [abortedCall] = await aborted;
  t.is(abortedCall.requestId, call.requestId);
  t.is(emulator.stats.clientAborted, 1);
  t.is((await getParameter(client)).Parameter?.Value, 'value', 'the emulator still serves after the abort');
  client.destroy();
});

test.serial('stop() closes hung connections promptly and does not count them as client aborts', async (t) => {
  const own = await startAwsEmulator({ faults: [{ kind: 'hang' }] });
  own.store.parameters.putParameter({ Name: '/p', Value: 'v', Type: 'String' });
  const client = ssmClient(own, undefined, { maxAttempts: 1 });
  const hung = once(own.events, 'hang');
  const request = client.send(new GetParameterCommand({ Name: '/p' }));
  await hung;
  // the hung request never ends by itself: stop() resolving at all shows it closed the connection, not waited
  await own.stop();
  await t.throwsAsync(request);
  t.is(own.stats.clientAborted, 0);
  await own.stop();
  client.destroy();
});

test.serial('rate faults are reproducible with a seeded random source', async (t) => {
  const client = ssmClient(emulator, undefined, { maxAttempts: 1 });
  emulator.faults.add({ kind: 'internal-error', rate: 0.5, random: seededRandom(7) });
  const reference = seededRandom(7);
  const expected = Array.from({ length: 20 }, () => reference() < 0.5);
  const observed: boolean[] = [];
  for (let i = 0; i < 20; i += 1) {
    observed.push(
      await getParameter(client).then(
        () => false,
        () => true,
      ),
    );
  }
  t.deepEqual(observed, expected);
  t.true(observed.includes(true) && observed.includes(false));
  client.destroy();
});

test.serial('schedule filters: after N calls, per service, per operation; remove and clear', async (t) => {
  const ssm = ssmClient(emulator, undefined, { maxAttempts: 1 });
  const sm = secretsClient(emulator, undefined, { maxAttempts: 1 });
  emulator.faults.add({ kind: 'internal-error', operation: 'GetParameter', after: 2, count: 1 });
  const outcomes: boolean[] = [];
  for (let i = 0; i < 4; i += 1)
    outcomes.push(
      await getParameter(ssm).then(
        () => true,
        () => false,
      ),
    );
  t.deepEqual(outcomes, [true, true, false, true]);

  const smOnly = emulator.faults.add({ kind: 'internal-error', service: 'secretsmanager' });
  t.is((await getParameter(ssm)).Parameter?.Value, 'value');
  t.is((await caught(sm.send(new GetSecretValueCommand({ SecretId: 'faults/s' })))).name, 'InternalServiceError');
  smOnly.remove();
  t.is((await sm.send(new GetSecretValueCommand({ SecretId: 'faults/s' }))).SecretString, 'secret');

  emulator.faults.add({ kind: 'throttle', operation: ['PutParameter', 'secretsmanager.CreateSecret'] });
  t.is((await getParameter(ssm)).Parameter?.Value, 'value');
  t.is(
    (await caught(ssm.send(new PutParameterCommand({ Name: '/x', Value: 'v', Type: 'String' })))).name,
    'ThrottlingException',
  );
  t.is((await caught(sm.send(new CreateSecretCommand({ Name: 'x', SecretString: 'v' })))).name, 'ThrottlingException');
  emulator.faults.clear();
  t.is((await ssm.send(new PutParameterCommand({ Name: '/x', Value: 'v', Type: 'String' }))).Version, 1);

  t.throws(() => emulator.faults.add({ kind: 'throttle', rate: 2 }), { instanceOf: RangeError });
  t.throws(() => emulator.faults.add({ kind: 'latency' }), { instanceOf: RangeError });
  t.throws(() => emulator.faults.add({ kind: 'hang', count: 0 }), { instanceOf: RangeError });
  ssm.destroy();
  sm.destroy();
});

test.serial('stats: per operation, total, reset; the store backdoor and rotateSecret do not count', async (t) => {
  const ssm = ssmClient(emulator);
  const sm = secretsClient(emulator);
  await getParameter(ssm);
  await getParameter(ssm);
  await sm.send(new GetSecretValueCommand({ SecretId: 'faults/s' }));
  emulator.store.parameters.putParameter({ Name: '/faults/p', Value: 'other', Overwrite: true });
  emulator.rotateSecret('faults/s', 'rotated');
  t.deepEqual(emulator.stats.calls, { 'ssm.GetParameter': 2, 'secretsmanager.GetSecretValue': 1 });
  t.is(emulator.stats.total, 3);
  t.is(emulator.stats.count('GetSecretValue'), 1);
  t.is(emulator.stats.count('ssm.PutParameter'), 0);
  emulator.stats.reset();
  t.deepEqual([emulator.stats.total, emulator.stats.calls], [0, {}]);
  ssm.destroy();
  sm.destroy();
});

test.serial('reset() forgets data, fault rules and stats', async (t) => {
  const ssm = ssmClient(emulator, undefined, { maxAttempts: 1 });
  emulator.faults.add({ kind: 'throttle', operation: 'DescribeParameters' });
  await getParameter(ssm);
  emulator.reset();
  t.is(emulator.stats.total, 0);
  t.deepEqual(emulator.faults.rules, []);
  t.is(emulator.store.parameters.size, 0);
  t.deepEqual(emulator.store.secrets.all(), []);
  t.is((await caught(getParameter(ssm))).name, 'ParameterNotFound');
  ssm.destroy();
});

test.serial('invalid-input quotes every string member of the request, as AWS validation messages do', async (t) => {
  const ssm = ssmClient(emulator);
  emulator.faults.add({ kind: 'invalid-input', operation: 'ssm.PutParameter', count: 1 });
  const error = await caught(
    ssm.send(new PutParameterCommand({ Name: '/faults/echo', Value: 'echoed', Type: 'String' })),
  );
  t.is(error.name, 'ValidationException');
  t.is(error.$metadata?.httpStatusCode, 400);
  t.regex(error.message, /Value 'echoed' at 'Value' failed to satisfy constraint/);
  t.regex(error.message, /Value '\/faults\/echo' at 'Name'/);
  t.throws(() => emulator.store.parameters.getParameter('/faults/echo'), undefined, 'nothing was written');
  emulator.faults.add({
    kind: 'invalid-input',
    operation: 'CreateSecret',
    count: 1,
    message: (input) => `custom ${String(input.SecretString).length}`,
  });
  const custom = await caught(
    secretsClient(emulator).send(new CreateSecretCommand({ Name: 'x', SecretString: 'abc' })),
  );
  t.is(custom.message, 'custom 3');
});
