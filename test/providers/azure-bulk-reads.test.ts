// Bulk reads of the Key Vault provider (getMany, the values of a listing): one getSecret per ref, at most
// `maxConcurrency` in flight, the next starting as soon as one ends; a slow read holds up no other.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isValidationError } from '../../src/index.js';
import { keyVault } from '../../src/providers/azure/index.js';
import {
  type AzureFixture,
  FAST_RETRY,
  startAzureFixture,
  stopAzureFixture,
} from '../support/azure-provider-fixture.js';

const GET = 'GET /secrets/{name}/{version}';
const ATTEMPT_TIMEOUT_MS = 300;

/** A fixture whose emulator logs when each read is answered (ms since `started`, name). */
async function loggedFixture(t: { teardown(fn: () => Promise<void>): void }, maxConcurrency: number) {
  const answered: Array<{ at: number; name: string }> = [];
  let started = 0;
  const f: AzureFixture = await startAzureFixture({
    emulator: {
      log: (line) => {
        const read = /^GET \/secrets\/([^/]+)\/ 200$/.exec(line);
        if (read) answered.push({ at: performance.now() - started, name: read[1] as string });
      },
    },
    provider: { maxConcurrency },
    secrets: { retry: { ...FAST_RETRY, attemptTimeout: ATTEMPT_TIMEOUT_MS } },
  });
  t.teardown(() => stopAzureFixture(f));
  for (const name of ['a', 'b', 'c']) f.kv.store.setSecret(name, `value-${name}`);
  // The challenge handshake out of the way.
  await firstValueFrom(f.secrets.get('azure-kv:a'));
  answered.length = 0;
  f.kv.stats.reset();
  return {
    f,
    answered,
    start: () => {
      started = performance.now();
    },
  };
}

test('maxConcurrency defaults to 128 and is checked', (t) => {
  const options = { vaultUrl: 'https://vault.example', credential: { getToken: async () => null } };
  t.is(keyVault(options).capabilities.maxConcurrency, 128);
  t.is(keyVault(options).capabilities.maxBatchGet, 1);
  t.is(keyVault({ ...options, maxConcurrency: 8 }).capabilities.maxConcurrency, 8);
  for (const bad of [0, 257, 1.5, '8']) {
    const error = t.throws(() => keyVault({ ...options, maxConcurrency: bad as number }));
    t.true(isValidationError(error), String(error));
  }
});

test('a hung read holds up no other: the next read starts as soon as one ends', async (t) => {
  const { f, answered, start } = await loggedFixture(t, 2);
  f.kv.faults.schedule({ kind: 'hang' }, { route: GET });
  start();
  const results = await firstValueFrom(f.secrets.getMany(['azure-kv:a', 'azure-kv:b', 'azure-kv:c']));
  t.deepEqual(
    results.map((r) => (r.ok ? r.secret.value : r.error)),
    ['value-a', 'value-b', 'value-c'],
  );
  // Three reads and the retry of the one that hung (its attempt timed out).
  t.is(f.kv.stats.calls[GET], 4);
  const hung = answered.at(-1);
  t.true((hung?.at ?? 0) >= ATTEMPT_TIMEOUT_MS, 'the hung read was answered on its retry');
  const others = answered.slice(0, -1);
  t.is(others.length, 2);
  // The third read went out in the slot the second left, long before the hung one's attempt timed out.
  t.true(
    others.every((answer) => answer.at < ATTEMPT_TIMEOUT_MS),
    JSON.stringify(answered),
  );
});

test('no more than maxConcurrency reads are in flight', async (t) => {
  const { f, answered, start } = await loggedFixture(t, 2);
  const hung = f.kv.faults.schedule({ kind: 'hang' }, { route: GET, times: 2 });
  start();
  const reading = firstValueFrom(f.secrets.getMany(['azure-kv:a', 'azure-kv:b', 'azure-kv:c']));
  await hung.consumed;
  const results = await reading;
  t.true(results.every((r) => r.ok));
  t.is(f.kv.stats.calls[GET], 5);
  // Both slots were held by the hung reads (retried in place): the third read was not sent before one ended.
  t.is(answered.length, 3);
  t.true(
    answered.every((answer) => answer.at >= ATTEMPT_TIMEOUT_MS),
    JSON.stringify(answered),
  );
});
