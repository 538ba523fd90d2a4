// The Key Vault provider through the facade: get, set, properties, exists and ref validation, against the emulator
// with the real SecretClient.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import {
  isConflictError,
  isInvalidSecretRefError,
  isSecretDisabledError,
  isSecretNotFoundError,
  parseSecretRef,
  type SecretDisabledError,
} from '../../src/index.js';
import { BYTES_CONTENT_TYPE } from '../../src/providers/azure/index.js';
import {
  type AzureFixture,
  freshName,
  startAzureFixture,
  stopAzureFixture,
} from '../support/azure-provider-fixture.js';

let f: AzureFixture;
test.before(async () => {
  f = await startAzureFixture();
});
test.after.always(() => stopAzureFixture(f));

const HOUR = 3600_000;

test('get reads the latest version with its properties; @version reads an older one', async (t) => {
  const name = freshName('db-password');
  const first = f.kv.store.setSecret(name, 'one', { contentType: 'text/plain', tags: { env: 'test' } });
  const second = f.kv.store.setSecret(name, 'two', { contentType: 'text/plain', tags: { env: 'test' } });
  const latest = await firstValueFrom(f.secrets.get(`azure-kv:${name}`));
  t.is(latest.value, 'two');
  t.is(latest.version, second.version);
  t.is(latest.name, name);
  t.is(latest.contentType, 'text/plain');
  t.deepEqual(latest.tags, { env: 'test' });
  t.is(latest.metadata.enabled, true);
  t.true(latest.createdAt instanceof Date && latest.updatedAt instanceof Date);
  const older = await firstValueFrom(f.secrets.get(`azure-kv:${name}@${first.version}`));
  t.is(older.value, 'one');
  t.is(older.version, first.version);
  t.is(older.ref.version, first.version);
});

test('JSON values decode, and a key path selects inside them', async (t) => {
  const name = freshName('db');
  await firstValueFrom(f.secrets.set(`azure-kv:${name}`, { host: 'db.local', port: 5432 }));
  const port = await firstValueFrom(f.secrets.get(`azure-kv:${name}#port`));
  t.is(port.value, 5432);
  const whole = await firstValueFrom(f.secrets.get(`azure-kv:${name}`, { transform: 'json' }));
  t.deepEqual(whole.value, { host: 'db.local', port: 5432 });
  t.is(whole.contentType, 'application/json');
});

test('set writes a new version with tags, content type and attributes', async (t) => {
  const name = freshName('api-key');
  const notBefore = new Date(Math.floor((Date.now() - HOUR) / 1000) * 1000);
  const expiresOn = new Date(Math.floor((Date.now() + HOUR) / 1000) * 1000);
  const v1 = await firstValueFrom(f.secrets.set(`azure-kv:${name}`, 'k1'));
  const v2 = await firstValueFrom(
    f.secrets.set(`azure-kv:${name}`, 'k2', { contentType: 'text/x-key', tags: { team: 'a' }, notBefore, expiresOn }),
  );
  t.not(v1.version, v2.version);
  t.regex(v2.version ?? '', /^[0-9a-f]{32}$/);
  t.is(v2.ref.text, `azure-kv:${name}@${v2.version}`);
  t.is(v2.contentType, 'text/x-key');
  t.deepEqual(v2.tags, { team: 'a' });
  t.deepEqual(v2.metadata.notBefore, notBefore);
  t.deepEqual(v2.metadata.expiresOn, expiresOn);
  t.is(f.kv.stats.calls['PUT /secrets/{name}'] >= 2, true);
  const read = await firstValueFrom(f.secrets.get(`azure-kv:${name}`));
  t.is(read.value, 'k2');
  t.is(read.version, v2.version);
});

test('bytes round-trip as base64 text marked by their content type', async (t) => {
  const name = freshName('blob');
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);
  const written = await firstValueFrom(f.secrets.set(`azure-kv:${name}`, bytes));
  t.is(written.contentType, BYTES_CONTENT_TYPE);
  const read = await firstValueFrom(f.secrets.get(`azure-kv:${name}`));
  t.deepEqual(read.value, bytes);
});

test('a disabled secret fails with SecretDisabledError (disabled), and stays disabled for exists', async (t) => {
  const name = freshName('off');
  f.kv.store.setSecret(name, 'hidden', { enabled: false });
  const error = await t.throwsAsync<SecretDisabledError>(firstValueFrom(f.secrets.get(`azure-kv:${name}`)));
  t.true(isSecretDisabledError(error));
  t.is(error?.reason, 'disabled');
  t.is((error?.cause as { statusCode?: number } | undefined)?.statusCode, 403);
  t.true(await firstValueFrom(f.secrets.exists(`azure-kv:${name}`)));
});

test('expired and not-yet-valid secrets fail with their reason', async (t) => {
  const expired = freshName('expired');
  const future = freshName('future');
  const now = Math.floor(Date.now() / 1000);
  f.kv.store.setSecret(expired, 'old', { exp: now - 60 });
  f.kv.store.setSecret(future, 'new', { nbf: now + 3600 });
  const a = await t.throwsAsync<SecretDisabledError>(firstValueFrom(f.secrets.get(`azure-kv:${expired}`)));
  t.is(a?.reason, 'expired');
  const b = await t.throwsAsync<SecretDisabledError>(firstValueFrom(f.secrets.get(`azure-kv:${future}`)));
  t.is(b?.reason, 'not-yet-valid');
  t.false(a?.message.includes('old'));
});

test('updateProperties changes attributes of the current version, even a disabled one, without a new version', async (t) => {
  const name = freshName('toggle');
  const written = f.kv.store.setSecret(name, 'v', { enabled: false });
  const ref = parseSecretRef(`azure-kv:${name}`);
  const updated = await firstValueFrom(f.provider.updateProperties(ref, { enabled: true, tags: { rotated: 'yes' } }));
  t.is(updated.version, written.version);
  t.is(updated.metadata.enabled, true);
  t.deepEqual(updated.tags, { rotated: 'yes' });
  t.is((await firstValueFrom(f.secrets.get(`azure-kv:${name}`))).value, 'v');
  const pinned = await firstValueFrom(
    f.provider.updateProperties(parseSecretRef(`azure-kv:${name}@${written.version}`), { contentType: 'text/plain' }),
  );
  t.is(pinned.contentType, 'text/plain');
});

test('updateProperties without a version finds a disabled newest version through the versions listing', async (t) => {
  // a vault clock of its own: the versions are created seconds apart, so "newest" is never a tie
  let clock = Date.UTC(2026, 0, 1);
  const own = await startAzureFixture({ emulator: { now: () => clock } });
  t.teardown(() => stopAzureFixture(own));
  const older = own.kv.store.setSecret('rotated', 'old');
  clock += 5000;
  const newest = own.kv.store.setSecret('rotated', 'new', { enabled: false });
  clock += 5000;
  const updated = await firstValueFrom(
    own.provider.updateProperties(parseSecretRef('azure-kv:rotated'), { tags: { checked: 'yes' } }),
  );
  t.is(updated.version, newest.version, 'the newest version, not the older enabled one');
  t.not(updated.version, older.version);
  t.deepEqual(updated.tags, { checked: 'yes' });
  t.is(own.kv.stats.statuses[403], 1, 'the GET of the latest answered 403 (disabled), then the listing was read');
  const missing = await t.throwsAsync(
    firstValueFrom(own.provider.updateProperties(parseSecretRef('azure-kv:never-written'), { tags: {} })),
  );
  t.true(isSecretNotFoundError(missing), String(missing));
});

test('exists answers for present, missing and pinned versions', async (t) => {
  const name = freshName('here');
  const written = f.kv.store.setSecret(name, 'v');
  t.true(await firstValueFrom(f.secrets.exists(`azure-kv:${name}`)));
  t.true(await firstValueFrom(f.secrets.exists(`azure-kv:${name}@${written.version}`)));
  t.false(await firstValueFrom(f.secrets.exists(`azure-kv:${freshName('absent')}`)));
  t.false(await firstValueFrom(f.secrets.exists(`azure-kv:${name}@${'0'.repeat(32)}`)));
});

test('a missing secret or version is a SecretNotFoundError with the native error as cause', async (t) => {
  const missing = await t.throwsAsync(firstValueFrom(f.secrets.get(`azure-kv:${freshName('nothing')}`)));
  t.true(isSecretNotFoundError(missing));
  t.is((missing?.cause as { name?: string } | undefined)?.name, 'RestError');
  const name = freshName('one-version');
  f.kv.store.setSecret(name, 'v');
  const version = 'a'.repeat(32);
  const noVersion = await t.throwsAsync(firstValueFrom(f.secrets.get(`azure-kv:${name}@${version}`)));
  t.true(isSecretNotFoundError(noVersion));
  t.is((noVersion as { version?: string }).version, version);
});

test('ifNotExists refuses to overwrite an existing secret', async (t) => {
  const name = freshName('once');
  await firstValueFrom(f.secrets.set(`azure-kv:${name}`, 'first', { ifNotExists: true }));
  const error = await t.throwsAsync(firstValueFrom(f.secrets.set(`azure-kv:${name}`, 'second', { ifNotExists: true })));
  t.true(isConflictError(error));
  t.is((await firstValueFrom(f.secrets.get(`azure-kv:${name}`))).value, 'first');
});

test('refs that Key Vault cannot hold are rejected before any request', async (t) => {
  const before = f.kv.stats.total;
  for (const bad of ['azure-kv:db/password', 'azure-kv:under_score', `azure-kv:${'a'.repeat(128)}`, 'azure-kv:ok@v1']) {
    const error = await t.throwsAsync(firstValueFrom(f.secrets.get(bad)), undefined, bad);
    t.true(isInvalidSecretRefError(error), bad);
  }
  t.notThrows(() =>
    f.provider.validateRef(parseSecretRef(`azure-kv:${'a'.repeat(127)}@${'ABCDEF0123456789'.repeat(2)}`)),
  );
  t.is(f.kv.stats.total, before);
});
