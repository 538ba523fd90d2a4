// No secret value in any error, cause or event of the Key Vault provider. The real SecretClient's RestError carries
// the request (its body holds the value) and the response; the emulator's `reject` fault also quotes the value in
// the service message. None of it may reach the caller.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isProviderUnavailableError, isValidationError, type RetryEvent } from '../../src/index.js';
import {
  type AzureFixture,
  FAST_RETRY,
  freshName,
  startAzureFixture,
  stopAzureFixture,
} from '../support/azure-provider-fixture.js';
import {
  assertNoFragment,
  assertSameTexts,
  BINARY_FRAGMENTS,
  BINARY_VALUE,
  JSON_FIELD,
  JSON_VALUE,
  SHORT_VALUES,
} from '../support/leak-check.js';

const PUT = 'PUT /secrets/{name}';
let f: AzureFixture;
const retries: RetryEvent[] = [];
test.before(async () => {
  f = await startAzureFixture({ secrets: { retry: { ...FAST_RETRY, retries: 2 } } });
  f.secrets.events.subscribe((event) => {
    if (event.type === 'retry') retries.push(event);
  });
  f.kv.store.setSecret('warm', 'x');
  await firstValueFrom(f.secrets.get('azure-kv:warm')); // the challenge handshake
});
test.after.always(() => stopAzureFixture(f));
test.beforeEach(() => {
  f.kv.faults.clear();
  retries.length = 0;
});

test.serial(
  'a refused set of a 1–8 character value reads the same whatever the value; nothing is written',
  async (t) => {
    const errors: Error[] = [];
    for (const value of SHORT_VALUES) {
      f.kv.faults.schedule({ kind: 'reject' }, { route: PUT });
      const error = await t.throwsAsync(firstValueFrom(f.secrets.set('azure-kv:leak-short', value)));
      t.true(isValidationError(error), error?.name);
      if (value.length >= 4) assertNoFragment(t, error, [value], `'${value}'`);
      errors.push(error as Error);
    }
    assertSameTexts(t, errors, 'Key Vault set');
    t.is(errors[0]?.message, 'azure-kv set of azure-kv:leak-short failed: 400 BadParameter');
    t.false(await firstValueFrom(f.secrets.exists('azure-kv:leak-short')), 'nothing was written');
  },
);

test.serial('the RestError survives as identifiers only: no request, response or body', async (t) => {
  f.kv.faults.schedule({ kind: 'reject' }, { route: PUT });
  const error = await t.throwsAsync(firstValueFrom(f.secrets.set(`azure-kv:${freshName('fields')}`, 'Id3ntifiers')));
  const cause = error?.cause as Record<string, unknown>;
  t.is(cause.name, 'RestError');
  t.is(cause.code, 'BadParameter');
  t.is(cause.statusCode, 400);
  t.regex(String(cause.requestId), /^[0-9a-f-]{36}$/);
  for (const key of ['request', 'response', 'details', 'body']) t.is(cause[key], undefined, key);
});

test.serial(
  'a message quoting one JSON field of the value, or the base64 of a binary value, discloses nothing',
  async (t) => {
    f.kv.faults.schedule(
      {
        kind: 'reject',
        message: (body) => `password '${JSON.parse(String((body as { value: string }).value)).password}' is weak`,
      },
      { route: PUT },
    );
    const json = await t.throwsAsync(firstValueFrom(f.secrets.set(`azure-kv:${freshName('json')}`, JSON_VALUE)));
    assertNoFragment(t, json, [JSON_FIELD, JSON_VALUE], 'JSON');
    f.kv.faults.schedule({ kind: 'reject' }, { route: PUT });
    const binary = await t.throwsAsync(firstValueFrom(f.secrets.set(`azure-kv:${freshName('bin')}`, BINARY_VALUE)));
    assertNoFragment(t, binary, BINARY_FRAGMENTS, 'binary');
  },
);

test.serial('retry events and the final error of a transient failure quoting the value disclose nothing', async (t) => {
  const value = 'Ev3nt-Leak';
  f.kv.faults.schedule({ kind: 'reject', status: 500, code: 'InternalServerError' }, { route: PUT });
  await firstValueFrom(f.secrets.set(`azure-kv:${freshName('retried')}`, value));
  t.is(retries.length, 1);
  assertNoFragment(t, retries[0]?.error, [value], 'retry event');
  retries.length = 0;
  f.kv.faults.schedule({ kind: 'reject', status: 503, code: 'ServiceUnavailable' }, { route: PUT, times: 3 });
  const error = await t.throwsAsync(firstValueFrom(f.secrets.set(`azure-kv:${freshName('failed')}`, value)));
  t.true(isProviderUnavailableError(error));
  assertNoFragment(t, error, [value], 'final error');
  t.is(retries.length, 2);
  for (const event of retries) assertNoFragment(t, event.error, [value], 'retry event');
});
