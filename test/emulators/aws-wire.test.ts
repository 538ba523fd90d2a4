import { GetParameterCommand } from '@aws-sdk/client-ssm';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { rawCall, signedHeaders, ssmClient } from '../support/aws-clients.js';

// The wire format as seen without the SDK: status codes, __type, headers, protocol-level errors.
let emulator: AwsEmulator;

test.before(async () => {
  emulator = await startAwsEmulator({ maxBodyBytes: 64 * 1024 });
  emulator.store.parameters.putParameter({ Name: '/wire/p', Value: 'v', Type: 'String' });
});

test.after.always(async () => {
  await emulator?.stop();
});

test('a success is JSON 1.1 with a request id, and dates are epoch seconds with a fraction', async (t) => {
  const { status, headers, json } = await rawCall(emulator, 'AmazonSSM.GetParameter', '{"Name":"/wire/p"}');
  t.is(status, 200);
  t.is(headers.get('content-type'), 'application/x-amz-json-1.1');
  t.regex(headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  const parameter = json.Parameter as Record<string, unknown>;
  t.is(typeof parameter.LastModifiedDate, 'number');
  t.true(Math.abs((parameter.LastModifiedDate as number) - Date.now() / 1000) < 60);
});

test('an error carries __type, the model message member and x-amzn-ErrorType', async (t) => {
  const ssm = await rawCall(emulator, 'AmazonSSM.GetParameter', '{"Name":"/wire/none"}');
  t.is(ssm.status, 400);
  t.is(ssm.json.__type, 'ParameterNotFound');
  t.is(typeof ssm.json.message, 'string');
  t.is(ssm.headers.get('x-amzn-errortype'), 'ParameterNotFound');
  const sm = await rawCall(emulator, 'secretsmanager.GetSecretValue', '{"SecretId":"none"}');
  t.is(sm.status, 400);
  t.deepEqual(sm.json, {
    __type: 'ResourceNotFoundException',
    Message: "Secrets Manager can't find the specified secret.",
  });
});

test('no Authorization header: MissingAuthenticationTokenException', async (t) => {
  const { status, json } = await rawCall(emulator, 'AmazonSSM.GetParameter', '{"Name":"/wire/p"}', {});
  t.is(status, 400);
  t.deepEqual(json, {
    __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
    message: 'Request is missing Authentication Token',
  });
});

test('an incomplete SigV4 header: IncompleteSignatureException', async (t) => {
  const { status, json } = await rawCall(emulator, 'AmazonSSM.GetParameter', '{}', {
    authorization: 'AWS4-HMAC-SHA256 Credential=x',
  });
  t.is(status, 400);
  t.is(json.__type, 'com.amazon.coral.service#IncompleteSignatureException');
  t.regex(String(json.message), /requires 'Signature' parameter/);
  t.regex(String(json.message), /X-Amz-Date/);
});

test('unknown operation or target: UnknownOperationException', async (t) => {
  for (const target of ['AmazonSSM.SendCommandToMars', 'dynamodb.GetItem', undefined]) {
    const { status, json } = await rawCall(emulator, target, '{}');
    t.is(status, 400);
    t.is(json.__type, 'com.amazon.coral.service#UnknownOperationException');
  }
});

test('malformed JSON and wrong member types: SerializationException; missing members: ValidationException', async (t) => {
  const malformed = await rawCall(emulator, 'AmazonSSM.GetParameter', '{"Name":');
  t.deepEqual([malformed.status, malformed.json.__type], [400, 'com.amazon.coral.service#SerializationException']);
  const array = await rawCall(emulator, 'AmazonSSM.GetParameter', '[1]');
  t.is(array.json.__type, 'com.amazon.coral.service#SerializationException');
  const wrongType = await rawCall(emulator, 'AmazonSSM.GetParameter', '{"Name":5}');
  t.is(wrongType.json.__type, 'com.amazon.coral.service#SerializationException');
  const missing = await rawCall(emulator, 'AmazonSSM.GetParameter', '{}');
  t.is(missing.json.__type, 'ValidationException');
  t.regex(String(missing.json.Message), /Value null at 'name' failed to satisfy constraint: Member must not be null/);
});

test('a body over the limit is refused with 413 and the emulator keeps serving', async (t) => {
  const big = JSON.stringify({ Name: '/wire/big', Value: 'x'.repeat(70 * 1024), Type: 'String' });
  const { status, json } = await rawCall(emulator, 'AmazonSSM.PutParameter', big);
  t.is(status, 413);
  t.is(json.__type, 'com.amazon.coral.service#RequestEntityTooLargeException');
  const after = await rawCall(emulator, 'AmazonSSM.GetParameter', '{"Name":"/wire/p"}', signedHeaders());
  t.is(after.status, 200);
});

test('clientConfig() works for an SDK client; stop() is idempotent and async-disposable', async (t) => {
  const own = await startAwsEmulator({ port: 0, host: '127.0.0.1', region: 'ap-south-1' });
  t.regex(own.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  own.store.parameters.putParameter({ Name: 'flat', Value: 'v', Type: 'String' });
  const client = ssmClient(own);
  const { Parameter } = await client.send(new GetParameterCommand({ Name: 'flat' }));
  t.is(Parameter?.ARN, 'arn:aws:ssm:ap-south-1:123456789012:parameter/flat');
  client.destroy();
  await own[Symbol.asyncDispose]();
  await own.stop();
  await t.throwsAsync(fetch(own.endpoint, { method: 'POST' }));
});
