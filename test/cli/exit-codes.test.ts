// The mapping from typed errors to the command line's exit codes (pure logic; the CLI tests cover each path end
// to end where a backend can produce it).
import test from 'ava';
import { ConfigurationError } from '../../src/auto/index.js';
import { ExitCode, errorDocument, exitCodeOf, UsageError } from '../../src/cli/exit-codes.js';
import {
  AccessDeniedError,
  ClosedError,
  ConflictError,
  InvalidSecretRefError,
  KeyPathNotFoundError,
  LockedError,
  PromptDismissedError,
  ProviderError,
  ProviderUnavailableError,
  SecretDecodeError,
  SecretDeletedError,
  SecretDisabledError,
  SecretNotFoundError,
  ThrottledError,
  TimeoutError,
  ValidationError,
} from '../../src/index.js';

test('every typed error maps to its sysexits code', (t) => {
  const cases: Array<[Error, number]> = [
    [new UsageError('x'), 64],
    [new InvalidSecretRefError('x'), 64],
    [new SecretDecodeError('x'), 65],
    [new ValidationError('x'), 65],
    [new ConflictError('x'), 65],
    [new SecretDisabledError('x'), 65],
    [new SecretNotFoundError('x'), 66],
    [new SecretDeletedError('x'), 66],
    [new KeyPathNotFoundError('x'), 66],
    [new ProviderUnavailableError('x'), 69],
    [new ProviderError('x'), 69],
    [new ThrottledError('x'), 75],
    [new TimeoutError('x'), 75],
    [new AccessDeniedError('x'), 77],
    [new LockedError('x'), 77],
    [new PromptDismissedError('x'), 77],
    [new ConfigurationError('x'), 78],
    // the AWS providers' words for a missing region or credentials (the native message itself is not kept)
    [
      new ProviderError('aws-ssm get failed: the AWS region is missing (set region, AWS_REGION or a profile) (Error)'),
      78,
    ],
    [new ProviderError('aws-sm get failed: could not load credentials (none in the environment) (Error)'), 78],
    [Object.assign(new Error('interrupted'), { name: 'AbortError' }), 130],
    [new ClosedError('x'), 1],
    [new Error('x'), 1],
  ];
  for (const [error, code] of cases) t.is(exitCodeOf(error), code, error.name);
  t.is(ExitCode.config, 78);
});

test('the JSON form of an error has code, message, ref, provider and exit code, and no value', (t) => {
  const error = new SecretNotFoundError('not found', { ref: 'aws-sm:x', provider: 'aws-sm' });
  t.deepEqual(errorDocument(error), {
    error: { code: 'SecretNotFound', message: 'not found', ref: 'aws-sm:x', provider: 'aws-sm' },
    exitCode: 66,
  });
  t.deepEqual(errorDocument(new Error('plain')), { error: { code: 'Error', message: 'plain' }, exitCode: 1 });
});
