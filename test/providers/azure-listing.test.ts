// Lazy, pulled listings of the Key Vault provider: secrets (with and without values), versions and deleted secrets.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import type { CallContext, SecretInfo } from '../../src/index.js';
import { isValidationError, makeRef } from '../../src/index.js';
import { type AzureFixture, all, startAzureFixture, stopAzureFixture } from '../support/azure-provider-fixture.js';

const LIST = 'GET /secrets';
let f: AzureFixture;
test.before(async () => {
  f = await startAzureFixture({ emulator: { trailingEmptyPage: true } });
  for (let i = 0; i < 30; i++) f.kv.store.setSecret(`app-${String(i).padStart(2, '0')}`, `value-${i}`);
  for (let i = 0; i < 3; i++) f.kv.store.setSecret('other-thing', `other-${i}`);
  f.kv.store.setSecret('app-off', 'x', { enabled: false });
});
test.after.always(() => stopAzureFixture(f));
test.beforeEach(() => f.kv.stats.reset());

const ctx = (): CallContext => ({ signal: new AbortController().signal });

test.serial('a listing pages through the vault, filtering by prefix, without values', async (t) => {
  const names: string[] = [];
  for await (const info of f.secrets.list('azure-kv:app-', { pageSize: 10 })) {
    t.false('value' in info);
    names.push(info.name);
  }
  t.is(names.length, 31);
  t.true(names.every((n) => n.startsWith('app-')));
  // 32 secrets at 10 per page, plus the trailing empty page the service adds.
  t.is(f.kv.stats.calls[LIST], 5);
});

test.serial('pages are pulled: breaking after the first item fetches one page', async (t) => {
  for await (const info of f.secrets.list('azure-kv:', { pageSize: 5 })) {
    t.truthy(info.name);
    break;
  }
  t.is(f.kv.stats.calls[LIST], 1);
});

test.serial('the cursor is the nextLink: a page can be fetched again from it, by another call', async (t) => {
  const prefix = makeRef('azure-kv', '');
  const first = await f.provider.listPage(prefix, { pageSize: 4 }, undefined, ctx());
  t.is(first.items.length, 4);
  t.truthy(first.next);
  const second = await f.provider.listPage(prefix, { pageSize: 4 }, first.next, ctx());
  const again = await f.provider.listPage(prefix, { pageSize: 4 }, first.next, ctx());
  t.deepEqual(
    second.items.map((i) => i.name),
    again.items.map((i) => i.name),
  );
  t.notDeepEqual(
    second.items.map((i) => i.name),
    first.items.map((i) => i.name),
  );
  t.is(f.kv.stats.calls[LIST], 3);
});

test.serial('a cursor that points outside the vault is refused without a request', async (t) => {
  const error = await t.throwsAsync(
    f.provider.listPage(makeRef('azure-kv', ''), {}, 'https://evil.example/secrets?$skiptoken=x', ctx()),
  );
  t.true(isValidationError(error));
  t.is(f.kv.stats.total, 0);
});

test.serial('withValues fetches each page’s values; enabledOnly skips disabled ones', async (t) => {
  const seen: Array<[string, unknown]> = [];
  for await (const secret of f.secrets.list('azure-kv:app-', { withValues: true, enabledOnly: true })) {
    seen.push([secret.name, secret.value]);
  }
  t.is(seen.length, 30);
  t.deepEqual(seen[7], ['app-07', 'value-7']);
  t.is(f.kv.stats.calls['GET /secrets/{name}/{version}'], 30);
});

test.serial('versions are listed lazily, each pinned to its version', async (t) => {
  const versions: SecretInfo[] = [];
  for await (const info of f.provider.versions('azure-kv:other-thing', { pageSize: 2 })) versions.push(info);
  t.is(versions.length, 3);
  t.true(
    versions.every((v) => v.ref.text === `azure-kv:other-thing@${v.version}` && /^[0-9a-f]{32}$/.test(v.version ?? '')),
  );
  t.true(f.kv.stats.calls['GET /secrets/{name}/versions'] >= 2);
  const values = await Promise.all(versions.map((v) => firstValueFrom(f.secrets.get(v.ref))));
  t.deepEqual(values.map((s) => s.value).sort(), ['other-0', 'other-1', 'other-2']);
});

test.serial('deleted secrets are listed lazily with their deletion facts', async (t) => {
  f.kv.store.setSecret('gone-a', 'a');
  f.kv.store.setSecret('gone-b', 'b');
  await all(f.secrets.delete('azure-kv:gone-a'));
  await all(f.secrets.delete('azure-kv:gone-b'));
  const deleted: SecretInfo[] = [];
  for await (const info of f.provider.deleted({ pageSize: 1 })) deleted.push(info);
  t.deepEqual(deleted.map((d) => d.name).sort(), ['gone-a', 'gone-b']);
  t.true(deleted.every((d) => d.metadata.deletedOn instanceof Date && d.metadata.scheduledPurgeDate instanceof Date));
  t.true(f.kv.stats.calls['GET /deletedsecrets'] >= 2);
});
