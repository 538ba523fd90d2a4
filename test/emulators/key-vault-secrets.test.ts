// Set, get, update, validation and the authentication challenge, through the real SecretClient over https.
import type { RestError } from '@azure/keyvault-secrets';
import test from 'ava';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { rawRequest, secretClientFor, uniqueName } from '../support/key-vault-client.js';

let kv: KeyVaultEmulator;
test.before(async () => {
  kv = await startKeyVaultEmulator({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
});
test.after.always(async () => {
  await kv?.stop();
});

const VERSION = /^[0-9a-f]{32}$/;

test.serial('a new client is challenged once, then sends its bearer token on every request', async (t) => {
  const client = secretClientFor(kv);
  const name = uniqueName('challenge');
  kv.stats.reset();
  await client.setSecret(name, 'v1');
  t.is(kv.stats.challenges, 1);
  t.is(kv.stats.statuses[401], 1);
  t.is(kv.stats.calls['PUT /secrets/{name}'], 1, 'the challenged request is not counted as a call');
  await client.getSecret(name);
  await client.setSecret(name, 'v2');
  t.is(kv.stats.challenges, 1);
  t.is(kv.stats.total, 4);
});

test('the challenge comes before the body is parsed and names the tenant and resource', async (t) => {
  const response = await rawRequest(kv, 'PUT', `/secrets/${uniqueName('raw')}?api-version=2025-07-01`, {
    auth: false,
    body: '{ not json',
  });
  t.is(response.status, 401);
  t.is(
    response.headers['www-authenticate'],
    'Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"',
  );
  t.deepEqual(response.body, {
    error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
  });
});

test('sets and gets the latest version and a given version', async (t) => {
  const client = secretClientFor(kv);
  const name = uniqueName('versions');
  const first = await client.setSecret(name, 'one', { contentType: 'text/plain', tags: { team: 'a' } });
  const second = await client.setSecret(name, 'two');
  t.regex(first.properties.version ?? '', VERSION);
  t.not(first.properties.version, second.properties.version);
  t.is(first.properties.vaultUrl, kv.vaultUrl);
  t.is(first.properties.id, `${kv.vaultUrl}/secrets/${name}/${first.properties.version}`);
  t.is((await client.getSecret(name)).value, 'two');
  const old = await client.getSecret(name, { version: first.properties.version ?? '' });
  t.is(old.value, 'one');
  t.is(old.properties.contentType, 'text/plain');
  t.deepEqual(old.properties.tags, { team: 'a' });
  t.is(old.properties.recoveryLevel, 'CustomizedRecoverable+Purgeable');
  t.is(old.properties.recoverableDays, 7);
  t.is((old.properties.createdOn?.getTime() ?? 1) % 1000, 0, 'times are whole unix seconds');
});

test('names are case-insensitive and keep their first spelling', async (t) => {
  const client = secretClientFor(kv);
  const name = uniqueName('MixedCase');
  await client.setSecret(name, 'v');
  const read = await client.getSecret(name.toLowerCase());
  t.is(read.value, 'v');
  t.is(read.name, name);
});

test('updateSecretProperties changes properties, not the value', async (t) => {
  const client = secretClientFor(kv);
  const name = uniqueName('update');
  const created = await client.setSecret(name, 'keep-me');
  const expires = new Date('2030-01-01T00:00:00Z');
  const updated = await client.updateSecretProperties(name, created.properties.version ?? '', {
    contentType: 'application/json',
    tags: { rotated: 'yes' },
    expiresOn: expires,
  });
  t.is(updated.contentType, 'application/json');
  t.deepEqual(updated.tags, { rotated: 'yes' });
  t.deepEqual(updated.expiresOn, expires);
  const read = await client.getSecret(name);
  t.is(read.value, 'keep-me');
  t.deepEqual(read.properties.tags, { rotated: 'yes' });
});

test('a disabled secret answers 403 Forbidden (inner SecretDisabled) but can be re-enabled', async (t) => {
  const client = secretClientFor(kv);
  const name = uniqueName('disabled');
  const created = await client.setSecret(name, 'hidden', { enabled: false });
  const error = await t.throwsAsync<RestError>(() => client.getSecret(name));
  t.is(error?.statusCode, 403);
  t.is(error?.code, 'Forbidden');
  const raw = await rawRequest(kv, 'GET', `/secrets/${name}/?api-version=2025-07-01`);
  t.deepEqual((raw.body as { error: { innererror: unknown } }).error.innererror, { code: 'SecretDisabled' });
  await client.updateSecretProperties(name, created.properties.version ?? '', { enabled: true });
  t.is((await client.getSecret(name)).value, 'hidden');
});

test('a missing secret or version answers 404 SecretNotFound', async (t) => {
  const client = secretClientFor(kv);
  const name = uniqueName('missing');
  const missing = await t.throwsAsync<RestError>(() => client.getSecret(name));
  t.is(missing?.statusCode, 404);
  t.is(missing?.code, 'SecretNotFound');
  await client.setSecret(name, 'v');
  const noVersion = await t.throwsAsync<RestError>(() => client.getSecret(name, { version: '0'.repeat(32) }));
  t.is(noVersion?.statusCode, 404);
});

test('rejects invalid names, oversized values, bad JSON and a missing api-version with 400', async (t) => {
  const client = secretClientFor(kv);
  const tooBig = await t.throwsAsync<RestError>(() => client.setSecret(uniqueName('big'), 'x'.repeat(25 * 1024 + 1)));
  t.is(tooBig?.statusCode, 400);
  await t.notThrowsAsync(() => client.setSecret(uniqueName('max'), 'x'.repeat(25 * 1024)));
  const badName = await rawRequest(kv, 'PUT', '/secrets/bad_name?api-version=2025-07-01', { body: '{"value":"v"}' });
  t.is(badName.status, 400);
  const badJson = await rawRequest(kv, 'PUT', `/secrets/${uniqueName('json')}?api-version=2025-07-01`, {
    body: '{ nope',
  });
  t.is(badJson.status, 400);
  const noVersion = await rawRequest(kv, 'GET', '/secrets');
  t.is(noVersion.status, 400);
  t.is((noVersion.body as { error: { code: string } }).error.code, 'BadParameter');
  const percentEncodedKey = await rawRequest(kv, 'GET', '/secrets?api%2Dversion=2025-07-01');
  t.is(percentEncodedKey.status, 200, 'the api-version key may be percent-encoded, as the SDK sends it');
});

test('unknown paths answer 404 and known paths with another method 405', async (t) => {
  t.is((await rawRequest(kv, 'GET', '/keys?api-version=2025-07-01')).status, 404);
  t.is((await rawRequest(kv, 'POST', '/secrets?api-version=2025-07-01')).status, 405);
  const emptyName = await rawRequest(kv, 'PUT', '/secrets/?api-version=2025-07-01', { body: '{"value":"v"}' });
  t.is(emptyName.status, 405, 'PUT /secrets/ with an empty name');
  t.is((await rawRequest(kv, 'DELETE', '/deletedsecrets/?api-version=2025-07-01')).status, 405);
  t.is((await rawRequest(kv, 'GET', '/secrets/?api-version=2025-07-01')).status, 200, 'the collection, listed');
});

test('a rejected oversized body closes its connection: the next request does not stall', async (t) => {
  const client = secretClientFor(kv);
  const name = uniqueName('after-big');
  await client.setSecret(name, 'small');
  const tooBig = await t.throwsAsync<RestError>(() =>
    client.setSecret(uniqueName('huge'), 'x'.repeat(2 * 1024 * 1024)),
  );
  t.is(tooBig?.statusCode, 400);
  // Without the close, this request waits on the half-read connection until its abort signal fires.
  const next = await client.getSecret(name, { abortSignal: AbortSignal.timeout(5000) });
  t.is(next.value, 'small');
});

test.serial('the store backdoor writes a version without counting stats, as another process would', async (t) => {
  const client = secretClientFor(kv);
  const name = uniqueName('rotated');
  await client.setSecret(name, 'before');
  kv.stats.reset();
  const written = kv.store.setSecret(name, 'after', { tags: { by: 'rotation' } });
  t.is(kv.stats.total, 0);
  t.regex(written.version, VERSION);
  t.is(written.id, `${kv.vaultUrl}/secrets/${name}/${written.version}`);
  const read = await client.getSecret(name);
  t.is(read.value, 'after');
  t.is(read.properties.version, written.version);
  t.throws(() => kv.store.setSecret('not valid!', 'v'));
});

test('await using stops an emulator at the end of the scope', async (t) => {
  let scoped: KeyVaultEmulator | undefined;
  {
    await using own = await startKeyVaultEmulator();
    scoped = own;
    t.is((await rawRequest(own, 'GET', '/secrets?api-version=7.5')).status, 200);
  }
  const refused = await t.throwsAsync(rawRequest(scoped, 'GET', '/secrets?api-version=7.5'));
  t.is((refused as NodeJS.ErrnoException | undefined)?.code, 'ECONNREFUSED');
});
