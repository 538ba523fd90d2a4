// Key Vault validity dates after 2038 round-trip: the SDK serializes them as 32-bit integers (2050 goes out as 1913),
// and the provider's pipeline policy puts the high bit back on the wire. Real SecretClient over the emulator; the
// bodies on the wire are captured after every provider policy and checked against the recorded traffic's shape.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { createSecrets, parseSecretRef } from '../../src/index.js';
import { keyVault } from '../../src/providers/azure/index.js';
import type { PipelinePolicy } from '../../src/providers/azure/sdk.js';
import { repairWireDates } from '../../src/providers/azure/wire/wire-dates.js';
import { type AzureFixture, FAST_RETRY, freshName, stopAzureFixture } from '../support/azure-provider-fixture.js';
import { loadFixture, shapeDifferences } from '../support/key-vault-shape.js';

const bodies: Array<{ method: string; body: unknown }> = [];
const capture: PipelinePolicy = {
  name: 'test-capture',
  async sendRequest(request, next) {
    if (request.method === 'PUT' || request.method === 'PATCH')
      bodies.push({ method: request.method, body: request.body });
    return next(request);
  },
};

let f: AzureFixture;
test.before(async () => {
  const kv = await startKeyVaultEmulator();
  const provider = keyVault({
    vaultUrl: kv.vaultUrl,
    credential: kv.credential,
    clientOptions: { ...kv.clientOptions(), additionalPolicies: [{ policy: capture, position: 'perRetry' }] },
    retry: FAST_RETRY,
  });
  f = { kv, provider, secrets: createSecrets({ providers: [provider], cache: false, retry: FAST_RETRY }) };
});
test.after.always(() => stopAzureFixture(f));

const Y2050 = new Date('2050-01-01T00:00:00Z');
const Y2040 = new Date('2040-06-01T00:00:00Z');
const Y2100 = new Date('2100-12-31T00:00:00Z');

test.serial('set with dates after 2038 writes them as they are, and the secret reads back valid', async (t) => {
  const ref = `azure-kv:${freshName('y2050')}`;
  bodies.length = 0;
  const written = await firstValueFrom(f.secrets.set(ref, 'v', { expiresOn: Y2050 }));
  const sent = JSON.parse(String(bodies.at(-1)?.body)) as { attributes: { exp: number } };
  t.is(sent.attributes.exp, Y2050.getTime() / 1000, 'on the wire: 2050, not 1913');
  t.deepEqual(written.metadata.expiresOn, Y2050);
  const read = await firstValueFrom(f.secrets.get(ref));
  t.is(read.value, 'v', 'not refused as expired');
  t.deepEqual(read.metadata.expiresOn, Y2050);
});

test.serial('updateProperties with dates after 2038 round-trips; the answer has the recorded shape', async (t) => {
  const name = freshName('y2100');
  await firstValueFrom(f.secrets.set(`azure-kv:${name}`, 'v'));
  bodies.length = 0;
  const ref = parseSecretRef(`azure-kv:${name}`);
  const updated = await firstValueFrom(f.provider.updateProperties(ref, { notBefore: Y2040, expiresOn: Y2100 }));
  t.deepEqual(updated.metadata.notBefore, Y2040);
  t.deepEqual(updated.metadata.expiresOn, Y2100);
  const sent = JSON.parse(String(bodies.at(-1)?.body)) as { attributes: { nbf: number; exp: number } };
  t.deepEqual(sent.attributes, { ...sent.attributes, nbf: Y2040.getTime() / 1000, exp: Y2100.getTime() / 1000 });
  const fixture = loadFixture('update-secret');
  const request = {
    ...(fixture.body as object),
    attributes: { ...(fixture.body as { attributes: object }).attributes, exp: sent.attributes.exp },
  };
  t.deepEqual(shapeDifferences(fixture, request), [], 'the repaired date keeps the recorded integer-seconds shape');
});

test('the repair restores exactly the wrapped 32-bit values and touches nothing else', (t) => {
  const wrapped = (date: Date) => (date.getTime() / 1000) | 0; // the SDK's serializer
  t.true(wrapped(Y2050) < 0);
  const body = JSON.stringify({ value: 'v', attributes: { enabled: true, nbf: wrapped(Y2040), exp: wrapped(Y2050) } });
  t.deepEqual(JSON.parse(repairWireDates(body) ?? '{}').attributes, {
    enabled: true,
    nbf: Y2040.getTime() / 1000,
    exp: Y2050.getTime() / 1000,
  });
  const recent = JSON.stringify({ attributes: { exp: wrapped(new Date('2030-01-01T00:00:00Z')) } });
  t.is(repairWireDates(recent), undefined, 'dates before 2038 are left alone');
  t.is(
    repairWireDates('{"value":"{\\"attributes\\":{\\"exp\\":-1}}"}'),
    undefined,
    'a value that looks like attributes is not touched',
  );
  t.is(repairWireDates('not json "attributes"'), undefined);
  t.is(repairWireDates(undefined), undefined);
});
