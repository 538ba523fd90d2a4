// listPropertiesOfSecrets / listPropertiesOfSecretVersions / listDeletedSecrets paging with the real SecretClient.
import type { SecretClient } from '@azure/keyvault-secrets';
import test from 'ava';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { rawRequest, secretClientFor } from '../support/key-vault-client.js';

let kv: KeyVaultEmulator;
let client: SecretClient;
test.before(async () => {
  kv = await startKeyVaultEmulator();
  client = secretClientFor(kv);
});
test.after.always(async () => {
  await kv?.stop();
});
test.beforeEach(() => kv.reset());

async function pagesOf<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const result: T[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

test.serial('listPropertiesOfSecrets pages by maxPageSize, sorted by name, without values or versions', async (t) => {
  for (const name of ['echo', 'alpha', 'delta', 'Charlie', 'bravo']) kv.store.setSecret(name, `value-of-${name}`);
  const pages = await pagesOf(client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 }));
  t.deepEqual(
    pages.map((page) => page.map((p) => p.name)),
    [['alpha', 'bravo'], ['Charlie', 'delta'], ['echo']],
  );
  t.is(kv.stats.calls['GET /secrets'], 3);
  const first = pages[0]?.[0];
  t.is(first?.version, undefined, 'list ids carry no version');
  t.is(first?.id, `${kv.vaultUrl}/secrets/alpha`);
  t.false(JSON.stringify(pages).includes('value-of-'), 'list items carry no value');
});

test.serial('the item iterator follows nextLink through every page of the default page size', async (t) => {
  for (let i = 0; i < 27; i += 1) kv.store.setSecret(`s${String(i).padStart(2, '0')}`, 'v');
  const names: string[] = [];
  for await (const properties of client.listPropertiesOfSecrets()) names.push(properties.name);
  t.is(names.length, 27);
  t.is(kv.stats.calls['GET /secrets'], 2, 'default page size is 25');
});

test.serial('listPropertiesOfSecretVersions pages through versions in creation order, ids with versions', async (t) => {
  const written = Array.from({ length: 5 }, (_, i) => kv.store.setSecret('rotating', `v${i}`).version);
  const pages = await pagesOf(client.listPropertiesOfSecretVersions('rotating').byPage({ maxPageSize: 2 }));
  t.deepEqual(
    pages.map((page) => page.length),
    [2, 2, 1],
  );
  t.deepEqual(
    pages.flat().map((p) => p.version),
    written,
  );
  const empty = await pagesOf(client.listPropertiesOfSecretVersions('never-written').byPage());
  t.deepEqual(empty, [[]], 'versions of a missing secret: one empty page, no error');
});

test.serial('listDeletedSecrets pages through settled deletions with their recovery facts', async (t) => {
  for (const name of ['gone-a', 'gone-b', 'gone-c']) {
    kv.store.setSecret(name, 'v');
    await (await client.beginDeleteSecret(name, kv.pollerOptions())).pollUntilDone();
  }
  kv.store.setSecret('still-here', 'v');
  const pages = await pagesOf(client.listDeletedSecrets().byPage({ maxPageSize: 2 }));
  t.deepEqual(
    pages.map((page) => page.map((d) => d.name)),
    [['gone-a', 'gone-b'], ['gone-c']],
  );
  const first = pages[0]?.[0];
  t.is(first?.recoveryId, `${kv.vaultUrl}/deletedsecrets/gone-a`);
  t.true(first?.deletedOn instanceof Date);
  t.true(first?.properties.scheduledPurgeDate instanceof Date);
});

test.serial('a secret added between pages is not skipped or repeated (cursor, not offset)', async (t) => {
  for (const name of ['b', 'd', 'f']) kv.store.setSecret(name, 'v');
  const pages = client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 });
  const seen: string[] = [];
  for await (const page of pages) {
    seen.push(...page.map((p) => p.name));
    if (seen.length === 2) kv.store.setSecret('a', 'v'); // sorts before the cursor: not seen, nothing repeated
  }
  t.deepEqual(seen, ['b', 'd', 'f']);
});

test.serial('maxresults outside 1–25 is a 400 BadParameter; nextLink is absolute with $skiptoken', async (t) => {
  kv.store.setSecret('one', 'v');
  kv.store.setSecret('two', 'v');
  t.is((await rawRequest(kv, 'GET', '/secrets?api-version=2025-07-01&maxresults=26')).status, 400);
  t.is((await rawRequest(kv, 'GET', '/secrets?api-version=2025-07-01&maxresults=0')).status, 400);
  const page = await rawRequest(kv, 'GET', '/secrets?api-version=2025-07-01&maxresults=1');
  const nextLink = (page.body as { nextLink: string }).nextLink;
  t.true(nextLink.startsWith(`${kv.vaultUrl}/secrets?api-version=2025-07-01&$skiptoken=`));
  t.true(nextLink.endsWith('&maxresults=1'));
  const bad = await rawRequest(kv, 'GET', '/secrets?api-version=2025-07-01&$skiptoken=not-a-token');
  t.is(bad.status, 400);
});

test('trailingEmptyPage reproduces the real service’s extra empty last page', async (t) => {
  const trailing = await startKeyVaultEmulator({ trailingEmptyPage: true });
  t.teardown(() => trailing.stop());
  for (const name of ['a', 'b', 'c', 'd']) trailing.store.setSecret(name, 'v');
  const pages = await pagesOf(secretClientFor(trailing).listPropertiesOfSecrets().byPage({ maxPageSize: 2 }));
  t.deepEqual(
    pages.map((page) => page.length),
    [2, 2, 0],
  );
});

test('the pageSize option sets the page size when the client sends no maxresults', async (t) => {
  const small = await startKeyVaultEmulator({ pageSize: 2 });
  t.teardown(() => small.stop());
  for (const name of ['a', 'b', 'c', 'd', 'e']) small.store.setSecret(name, 'v');
  let count = 0;
  for await (const _ of secretClientFor(small).listPropertiesOfSecrets()) count += 1;
  t.is(count, 5);
  t.is(small.stats.calls['GET /secrets'], 3);
});
