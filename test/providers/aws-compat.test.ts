// How the AWS providers cope with AWS-compatible servers that answer within AWS's contract but not as AWS does
// (found by the moto interop tests): unmarked GetParameters answers, empty NextTokens, other error wordings.
import type { SSMClient } from '@aws-sdk/client-ssm';
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { createSecrets, isSecretDeletedError, isSecretNotFoundError, isValidationError } from '../../src/index.js';
import { parameterStore } from '../../src/providers/aws/index.js';
import { mapAwsError } from '../../src/providers/aws/shared/map-error.js';
import { nextPageToken } from '../../src/providers/aws/shared/next-token.js';
import { matchParameters } from '../../src/providers/aws/ssm/ssm-match.js';

const p = (Name: string, Version: number, Selector?: string) => ({ Name, Version, Value: `v${Version}`, Selector });

test('matchParameters uses the Selector marks AWS sets', (t) => {
  const found = matchParameters(
    ['/a', '/a:1', '/a:live'],
    [p('/a', 3), p('/a', 1, ':1'), p('/a', 2, ':live')],
    new Set(),
  );
  t.deepEqual(
    ['/a', '/a:1', '/a:live'].map((s) => found.get(s)?.Version),
    [3, 1, 2],
  );
});

test('matchParameters pairs unmarked answers by name and version, and one label per name by elimination', (t) => {
  // moto leaves Selector out and answers in an order of its own.
  const found = matchParameters(
    ['/a', '/a:1', '/a:live', '/b:2', '/c:x', '/gone'],
    [p('/a', 1), p('/b', 2), p('/a', 2), p('/a', 3), p('/c', 5)],
    new Set(['/gone']),
  );
  t.deepEqual(
    ['/a', '/a:1', '/a:live', '/b:2', '/c:x', '/gone'].map((s) => found.get(s)?.Version),
    [3, 1, 2, 2, 5, undefined],
  );
});

test('matchParameters leaves two unmarked labels of one name unpaired', (t) => {
  const found = matchParameters(['/a:blue', '/a:green'], [p('/a', 1), p('/a', 2)], new Set());
  t.is(found.size, 0);
});

test('getMany reads alone the labels an unmarked answer cannot pair', async (t) => {
  const sent: string[] = [];
  const versions: Record<string, number> = { '/a:blue': 1, '/a:green': 2, '/a': 2 };
  const client = {
    async send(command: { constructor: { name: string }; input: { Name?: string; Names?: string[] } }) {
      sent.push(command.constructor.name);
      if (command.input.Names) return { Parameters: command.input.Names.map((n) => p('/a', versions[n] ?? 0)) };
      return { Parameter: p('/a', versions[command.input.Name ?? ''] ?? 0) };
    },
    destroy() {},
  };
  const secrets = createSecrets({
    cache: false,
    providers: [parameterStore({ client: client as unknown as SSMClient })],
  });
  const results = await firstValueFrom(secrets.getMany(['aws-ssm:/a', 'aws-ssm:/a@blue', 'aws-ssm:/a@green']));
  t.deepEqual(
    results.map((r) => (r.ok ? r.secret.version : 'error')),
    ['2', '1', '2'],
  );
  t.deepEqual(sent.sort(), ['GetParameterCommand', 'GetParameterCommand', 'GetParametersCommand']);
  await secrets.close();
});

test('an empty NextToken ends a listing, as the SDK paginators treat it', (t) => {
  t.is(nextPageToken(''), undefined);
  t.is(nextPageToken(undefined), undefined);
  t.is(nextPageToken('abc'), 'abc');
});

test("both wordings of Secrets Manager's scheduled-for-deletion error map to SecretDeletedError", (t) => {
  const label = { scheme: 'aws-sm', operation: 'get', ref: 'aws-sm:s' };
  for (const message of [
    "You can't perform this operation on the secret because it was marked for deletion.",
    "You tried to perform the operation on a secret that's currently marked deleted.",
    'The secret is scheduled for deletion.',
  ]) {
    t.true(isSecretDeletedError(mapAwsError({ name: 'InvalidRequestException', message }, label)), message);
  }
  const other = mapAwsError(
    { name: 'InvalidRequestException', message: 'Previous rotation is still in progress.' },
    label,
  );
  t.true(isValidationError(other));
  t.false(isSecretNotFoundError(other));
});
