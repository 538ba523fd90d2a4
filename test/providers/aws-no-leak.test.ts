// No secret value in any error, cause or event of the AWS providers: the emulator's `invalid-input` fault echoes
// the request's values in its message (as AWS validation messages do), and the real SDK clients carry that text
// and the raw response on their exceptions; none of it may reach the caller.
import test from 'ava';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import { isProviderUnavailableError, isValidationError, type Secrets, type SecretsEvent } from '../../src/index.js';
import { awsSecrets, rejection, startEmulator } from '../support/aws-provider-fixture.js';
import {
  assertNoFragment,
  assertSameTexts,
  BINARY_FRAGMENTS,
  BINARY_VALUE,
  JSON_FIELD,
  JSON_VALUE,
  SHORT_VALUES,
} from '../support/leak-check.js';

let emulator: AwsEmulator;
let secrets: Secrets;
const events: SecretsEvent[] = [];

test.before(async () => {
  emulator = await startEmulator();
  secrets = awsSecrets(emulator, { cache: false, retry: { retries: 2, minDelay: 1, maxDelay: 2, jitter: false } });
  secrets.events.subscribe((event) => events.push(event));
});

test.after.always(async () => {
  await secrets?.close();
  await emulator?.stop();
});

const SSM_REF = 'aws-ssm:/leak/short';
const SM_REF = 'aws-sm:leak/short';

async function failedSet(ref: string, value: string | Uint8Array, operation: string): Promise<Error> {
  emulator.faults.add({ kind: 'invalid-input', operation, count: 1 });
  return rejection(firstValueFrom(secrets.set(ref, value)));
}

test.serial(
  'a refused set of a 1–8 character value reads the same whatever the value (SSM and Secrets Manager)',
  async (t) => {
    for (const [ref, operation] of [
      [SSM_REF, 'ssm.PutParameter'],
      [SM_REF, 'secretsmanager.PutSecretValue'],
    ] as const) {
      const errors: Error[] = [];
      for (const value of SHORT_VALUES) {
        const error = await failedSet(ref, value, operation);
        t.true(isValidationError(error), `${ref}: ${error.name}`);
        t.is((error.cause as { name?: string }).name, 'ValidationException');
        if (value.length >= 4) assertNoFragment(t, error, [value], `${ref} '${value}'`);
        errors.push(error);
      }
      assertSameTexts(t, errors, ref);
      t.is(
        (errors[2] as Error).message,
        `${ref.split(':')[0]} set of ${ref}: AWS refused the request (ValidationException)`,
      );
    }
    t.is(emulator.store.parameters.find('/leak/short'), undefined, 'nothing was written');
  },
);

test.serial('a message quoting one JSON field of the value discloses nothing', async (t) => {
  emulator.faults.add({
    kind: 'invalid-input',
    operation: 'secretsmanager.PutSecretValue',
    count: 1,
    message: (input) => `password '${JSON.parse(String(input.SecretString)).password}' does not meet the policy`,
  });
  const sm = await rejection(firstValueFrom(secrets.set('aws-sm:leak/json', JSON_VALUE)));
  assertNoFragment(t, sm, [JSON_FIELD, JSON_VALUE], 'Secrets Manager');
  emulator.faults.add({
    kind: 'invalid-input',
    operation: 'ssm.PutParameter',
    count: 1,
    message: (input) => `field password='${JSON.parse(String(input.Value)).password}' refused`,
  });
  const ssm = await rejection(firstValueFrom(secrets.set('aws-ssm:/leak/json', JSON_VALUE)));
  assertNoFragment(t, ssm, [JSON_FIELD, JSON_VALUE], 'Parameter Store');
});

test.serial(
  'a new secret refused at CreateSecret, after PutSecretValue found nothing, discloses nothing',
  async (t) => {
    const error = await failedSet('aws-sm:leak/created', 'Cr3ated!', 'secretsmanager.CreateSecret');
    t.true(isValidationError(error));
    t.is((error.cause as { name?: string }).name, 'ValidationException');
    assertNoFragment(t, error, ['Cr3ated!'], 'CreateSecret');
  },
);

test.serial('a message quoting the base64 of a binary value discloses nothing', async (t) => {
  const error = await failedSet('aws-sm:leak/binary', BINARY_VALUE, 'secretsmanager.PutSecretValue');
  t.true(isValidationError(error));
  assertNoFragment(t, error, BINARY_FRAGMENTS, 'Secrets Manager binary');
});

test.serial(
  'retry events and the final error of a transient failure that quotes the value disclose nothing',
  async (t) => {
    const value = 'Ev3nt-Leak';
    events.length = 0;
    emulator.faults.add({
      kind: 'internal-error',
      operation: 'ssm.PutParameter',
      count: 1,
      message: (input) => `could not store '${String(input.Value)}'`,
    });
    await lastValueFrom(secrets.set('aws-ssm:/leak/retried', value));
    const retries = events.filter((event) => event.type === 'retry');
    t.is(retries.length, 1);
    for (const event of retries)
      assertNoFragment(t, event.type === 'retry' ? event.error : undefined, [value], 'retry');

    events.length = 0;
    emulator.faults.add({
      kind: 'internal-error',
      operation: 'secretsmanager.PutSecretValue',
      message: (input) => `could not store '${String(input.SecretString)}'`,
    });
    try {
      const error = await rejection(firstValueFrom(secrets.set('aws-sm:leak/retried', value)));
      t.true(isProviderUnavailableError(error));
      assertNoFragment(t, error, [value], 'final error');
      const failed = events.filter((event) => event.type === 'retry');
      t.is(failed.length, 2);
      for (const event of failed)
        assertNoFragment(t, event.type === 'retry' ? event.error : undefined, [value], 'retry');
    } finally {
      emulator.faults.clear();
    }
  },
);

test.serial('the native exception survives as identifiers only: name, code, status, request id', async (t) => {
  const error = await failedSet('aws-ssm:/leak/fields', 'Id3ntifiers', 'ssm.PutParameter');
  const cause = error.cause as Record<string, unknown>;
  t.is(cause.name, 'ValidationException');
  t.is(cause.statusCode, 400);
  t.is((cause.$metadata as { httpStatusCode?: number }).httpStatusCode, 400);
  t.regex(String(cause.requestId), /^[0-9a-f-]{36}$/);
  t.is(cause.$response, undefined);
  t.is(cause.Message, undefined);
  t.regex(String(cause.message), /^ValidationException \(HTTP 400\); native message withheld/);
});
