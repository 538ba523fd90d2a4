import { inspect } from 'node:util';
import test from 'ava';
import {
  isRxSecretsError,
  isSecretNotFoundError,
  isThrottledError,
  isTransientError,
  NativeErrorSummary,
  ProviderUnavailableError,
  SecretNotFoundError,
  ThrottledError,
  TimeoutError,
  ValidationError,
} from '../../src/core/errors/index.js';

test('errors carry a code, a name, ref and provider, and the cause', (t) => {
  const cause = new Error('native');
  const error = new SecretNotFoundError('memory:a does not exist', { ref: 'memory:a', provider: 'memory', cause });
  t.is(error.code, 'SecretNotFound');
  t.is(error.name, 'SecretNotFoundError');
  t.is(error.ref, 'memory:a');
  t.is((error.cause as Error).name, 'Error');
  t.not(error.cause, cause, 'kept as a sanitized summary');
  t.true(error instanceof Error);
  t.deepEqual(error.toJSON(), {
    name: 'SecretNotFoundError',
    code: 'SecretNotFound',
    message: 'memory:a does not exist',
    ref: 'memory:a',
    provider: 'memory',
  });
});

test('guards recognise errors from another copy of the package (no instanceof)', (t) => {
  const foreign = Object.assign(new Error('x'), { [Symbol.for('rxsecrets.error')]: 'SecretNotFound' });
  t.true(isSecretNotFoundError(foreign));
  t.true(isRxSecretsError(foreign));
  t.false(isThrottledError(foreign));
  t.false(isSecretNotFoundError(new Error('plain')));
  t.false(isSecretNotFoundError(null));
  t.false(isSecretNotFoundError('SecretNotFound'));
});

test('transient errors are the retryable ones', (t) => {
  t.true(isTransientError(new ThrottledError('slow down', { retryAfterMs: 1000 })));
  t.true(isTransientError(new TimeoutError('late')));
  t.true(isTransientError(new ProviderUnavailableError('down')));
  t.false(isTransientError(new ProviderUnavailableError('install it', { transient: false })));
  t.false(isTransientError(new SecretNotFoundError('gone')));
  t.false(isTransientError(new ValidationError('bad')));
  t.is(new ThrottledError('x', { retryAfterMs: 5 }).retryAfterMs, 5);
});

test('a native cause is kept as a summary of identifiers: no message, request, response or body', (t) => {
  const value = 'p@ss';
  const native = Object.assign(new Error(`Value '${value}' at 'value' failed to satisfy constraint`), {
    name: 'ValidationException',
    code: 'ValidationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId: 'req-1', attempts: 1 },
    $response: { body: `{"Value":"${value}"}`, headers: { 'x-echo': value } },
    request: { body: JSON.stringify({ value }), headers: { authorization: 'Bearer t' } },
    cause: Object.assign(new Error(`socket closed while sending ${value}`), { code: 'ECONNRESET' }),
  });
  const error = new ValidationError('aws-ssm set of aws-ssm:/a: AWS refused the request (ValidationException)', {
    cause: native,
  });
  const cause = error.cause as NativeErrorSummary;
  t.true(cause instanceof NativeErrorSummary);
  t.is(cause.name, 'ValidationException');
  t.is(cause.code, 'ValidationException');
  t.is(cause.statusCode, 400);
  t.is(cause.requestId, 'req-1');
  t.deepEqual(cause.$metadata, { httpStatusCode: 400, attempts: 1, requestId: 'req-1' });
  t.is((cause.cause as NativeErrorSummary).code, 'ECONNRESET');
  t.regex(String(cause.stack), /\n\s+at /, 'the native frames are kept');
  for (const text of [
    error.message,
    String(error.stack),
    cause.message,
    String(cause.stack),
    inspect(error, { depth: Infinity, showHidden: true }),
    JSON.stringify(error),
    JSON.stringify(cause),
  ]) {
    t.false(text.includes(value), text);
  }
  t.false(inspect(error, { depth: Infinity, showHidden: true }).includes('Bearer'));
});

test('rxsecrets errors and summaries pass through as causes; stacks that disagree with the message lose frames', (t) => {
  const inner = new SecretNotFoundError('memory:a does not exist');
  t.is(new ValidationError('x', { cause: inner }).cause, inner);
  const summary = new NativeErrorSummary(new RangeError('x'));
  t.is(new ValidationError('x', { cause: summary }).cause, summary);
  const tampered = new Error('short');
  tampered.stack = 'Error: short\n    at hunter2 (x.js:1:1)\nmore hunter2 text';
  t.false(String(new NativeErrorSummary(tampered).stack).includes('hunter2'));
  t.is(new NativeErrorSummary('a string cause').name, 'string');
  const { proxy, revoke } = Proxy.revocable(new Error('x'), {});
  revoke();
  t.is(new NativeErrorSummary(proxy).name, 'Error', 'a revoked proxy gives a bare summary, not a throw');
  const entry = new NativeErrorSummary({ SecretId: 'a', ErrorCode: 'ResourceNotFoundException', Message: 'quotes x' });
  t.is(entry.code, 'ResourceNotFoundException', 'a batch answer entry keeps its code');
  t.false(entry.message.includes('quotes'));
});
