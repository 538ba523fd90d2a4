import { inspect } from 'node:util';
import test from 'ava';
import {
  isRxSecretsError,
  isSecretNotFoundError,
  isThrottledError,
  isTransientError,
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
  t.is(error.cause, cause);
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

test('redact scrubs values from the message, the cause and its stack', (t) => {
  const value = 'p@ss-WORD-123';
  const cause = new Error(`Value '${value}' at 'value' failed to satisfy constraint`);
  const error = new ValidationError(`rejected '${value}'`, { cause, redact: [value] });
  t.false(error.message.includes(value));
  t.false(inspect(error, { depth: 5 }).includes(value));
  t.false(String(cause.stack).includes(value));
  t.regex(error.message, /\[redacted\]/);
});
