// Soft delete, recover, purge, backup and restore through the real SecretClient and its pollers.
// The emulator runs on a manual clock: a settle delay passes when the test says so, never by sleeping.
import type { RestError, SecretClient } from '@azure/keyvault-secrets';
import test from 'ava';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { rawRequest, secretClientFor, uniqueName } from '../support/key-vault-client.js';

const START = Date.UTC(2026, 0, 1);
const DELAY_MS = 5_000;
let clock = START;
/** After the `remaining`-th request line matching `pattern`, the clock jumps past the settle delay. */
let trigger: { pattern: RegExp; remaining: number } | undefined;
function advanceAfter(pattern: RegExp, occurrence = 1): void {
  trigger = { pattern, remaining: occurrence };
}

let kv: KeyVaultEmulator;
let client: SecretClient;
test.before(async () => {
  kv = await startKeyVaultEmulator({
    deletionDelayMs: DELAY_MS,
    now: () => clock,
    log: (line) => {
      if (trigger?.pattern.test(line) && --trigger.remaining === 0) {
        trigger = undefined;
        clock += DELAY_MS;
      }
    },
  });
  client = secretClientFor(kv);
});
test.after.always(async () => {
  await kv?.stop();
});
test.beforeEach(() => {
  kv.stats.reset();
  trigger = undefined;
});

async function deleteAndSettle(name: string) {
  advanceAfter(new RegExp(`^GET /deletedsecrets/${name} 404$`));
  return (await client.beginDeleteSecret(name, kv.pollerOptions())).pollUntilDone();
}

test.serial('the delete poller sees 404 while the deletion settles, then completes', async (t) => {
  const name = uniqueName('delete');
  const created = await client.setSecret(name, 'v');
  kv.stats.reset();
  const deleted = await deleteAndSettle(name);
  t.is(kv.stats.calls['DELETE /secrets/{name}'], 1);
  t.is(kv.stats.calls['GET /deletedsecrets/{name}'], 2, 'one 404 then 200');
  t.is(kv.stats.statuses[404], 1);
  t.is(deleted.recoveryId, `${kv.vaultUrl}/deletedsecrets/${name}`);
  t.is(deleted.properties.version, created.properties.version);
  t.is(deleted.deletedOn?.getTime(), START);
  t.is(deleted.scheduledPurgeDate?.getTime(), START + 7 * 86_400_000);
  t.is(deleted.value, undefined, 'deleted bundles carry no value');
});

test.serial('while deleted: get is 404, set is 409 Conflict, getDeletedSecret works', async (t) => {
  const name = uniqueName('deleted');
  await client.setSecret(name, 'v');
  await client.beginDeleteSecret(name, kv.pollerOptions()); // started, not settled: clock not advanced
  const beingDeleted = await rawRequest(kv, 'PUT', `/secrets/${name}?api-version=2025-07-01`, {
    body: '{"value":"x"}',
  });
  t.is(beingDeleted.status, 409);
  t.like(beingDeleted.body, { error: { code: 'Conflict', innererror: { code: 'ObjectIsBeingDeleted' } } });
  t.is((await t.throwsAsync<RestError>(() => client.getDeletedSecret(name)))?.statusCode, 404);
  clock += DELAY_MS;
  t.is((await t.throwsAsync<RestError>(() => client.getSecret(name)))?.statusCode, 404);
  const conflict = await t.throwsAsync<RestError>(() => client.setSecret(name, 'again'));
  t.is(conflict?.statusCode, 409);
  t.regex(conflict?.message ?? '', /deleted but recoverable/);
  const raw = await rawRequest(kv, 'PUT', `/secrets/${name}?api-version=2025-07-01`, { body: '{"value":"x"}' });
  t.like(raw.body, { error: { code: 'Conflict', innererror: { code: 'ObjectIsDeletedButRecoverable' } } });
  const fetched = await client.getDeletedSecret(name);
  t.is(fetched.name, name);
  t.is(fetched.properties.recoveryId, `${kv.vaultUrl}/deletedsecrets/${name}`);
});

test.serial('the recover poller recovers, waits out the recovery delay, and the value is back', async (t) => {
  const name = uniqueName('recover');
  await client.setSecret(name, 'precious');
  await deleteAndSettle(name);
  kv.stats.reset();
  // 404 before recovering (the poller checks first), 404 while recovering, then the clock passes the delay.
  advanceAfter(new RegExp(`^GET /secrets/${name}/ 404$`), 2);
  const recovered = await (await client.beginRecoverDeletedSecret(name, kv.pollerOptions())).pollUntilDone();
  t.is(recovered.name, name);
  t.is(kv.stats.calls['POST /deletedsecrets/{name}/recover'], 1);
  t.is(kv.stats.calls['GET /secrets/{name}/{version}'], 3);
  t.is(kv.stats.statuses[404], 2);
  t.is((await client.getSecret(name)).value, 'precious');
});

test.serial('a recovering secret answers 404 until the recovery delay has passed', async (t) => {
  const name = uniqueName('recovering');
  await client.setSecret(name, 'v');
  await deleteAndSettle(name);
  const recover = await rawRequest(kv, 'POST', `/deletedsecrets/${name}/recover?api-version=2025-07-01`);
  t.is(recover.status, 200);
  t.is((await rawRequest(kv, 'GET', `/secrets/${name}/?api-version=2025-07-01`)).status, 404);
  clock += DELAY_MS;
  t.is((await rawRequest(kv, 'GET', `/secrets/${name}/?api-version=2025-07-01`)).status, 200);
});

test.serial('purge removes a deleted secret for good and frees its name', async (t) => {
  const name = uniqueName('purge');
  await client.setSecret(name, 'old');
  await deleteAndSettle(name);
  await client.purgeDeletedSecret(name);
  t.is(kv.stats.statuses[204], 1);
  t.is((await t.throwsAsync<RestError>(() => client.getDeletedSecret(name)))?.statusCode, 404);
  t.is((await t.throwsAsync<RestError>(() => client.purgeDeletedSecret(name)))?.statusCode, 404);
  await client.setSecret(name, 'new');
  const versions = [];
  for await (const v of client.listPropertiesOfSecretVersions(name)) versions.push(v);
  t.is(versions.length, 1);
});

test.serial('deleted secrets are purged automatically after recoverableDays', async (t) => {
  const name = uniqueName('retention');
  await client.setSecret(name, 'v');
  await deleteAndSettle(name);
  clock += 7 * 86_400_000;
  t.is((await t.throwsAsync<RestError>(() => client.getDeletedSecret(name)))?.statusCode, 404);
  await t.notThrowsAsync(() => client.setSecret(name, 'v2'));
});

test.serial('backup and restore round-trip every version, with an opaque blob', async (t) => {
  const name = uniqueName('backup');
  const first = await client.setSecret(name, 'first-value', { tags: { n: '1' } });
  await client.setSecret(name, 'second-value', { contentType: 'text/plain' });
  const blob = await client.backupSecret(name);
  t.true(blob instanceof Uint8Array);
  t.false(
    Buffer.from(blob ?? [])
      .toString('latin1')
      .includes('second-value'),
    'the blob does not show values',
  );
  await deleteAndSettle(name);
  await client.purgeDeletedSecret(name);
  const restored = await client.restoreSecretBackup(blob ?? new Uint8Array());
  t.is(restored.name, name);
  t.is(restored.contentType, 'text/plain');
  t.is((await client.getSecret(name)).value, 'second-value');
  const old = await client.getSecret(name, { version: first.properties.version ?? '' });
  t.is(old.value, 'first-value');
  t.deepEqual(old.properties.tags, { n: '1' });
});

test.serial('restore into a taken name is 409; a corrupt blob is 400 "Malformed backup blob"', async (t) => {
  const name = uniqueName('restore');
  await client.setSecret(name, 'v');
  const blob = (await client.backupSecret(name)) ?? new Uint8Array();
  t.is((await t.throwsAsync<RestError>(() => client.restoreSecretBackup(blob)))?.statusCode, 409);
  const corrupt = Uint8Array.from(blob);
  corrupt[Math.floor(corrupt.length / 2)] = (corrupt[Math.floor(corrupt.length / 2)] ?? 0) ^ 0x01;
  const error = await t.throwsAsync<RestError>(() => client.restoreSecretBackup(corrupt));
  t.is(error?.statusCode, 400);
  t.is(error?.code, 'Malformed backup blob');
  const garbage = await t.throwsAsync<RestError>(() => client.restoreSecretBackup(new Uint8Array([1, 2, 3])));
  t.is(garbage?.statusCode, 400);
});

test.serial('reset() forgets active and deleted secrets and zeroes stats', async (t) => {
  const name = uniqueName('reset');
  await client.setSecret(name, 'v');
  const gone = uniqueName('reset-deleted');
  await client.setSecret(gone, 'v');
  await deleteAndSettle(gone);
  kv.reset();
  t.is(kv.stats.total, 0);
  t.is((await t.throwsAsync<RestError>(() => client.getSecret(name)))?.statusCode, 404);
  t.is((await t.throwsAsync<RestError>(() => client.getDeletedSecret(gone)))?.statusCode, 404);
});
