// The compiled CLI against the Key Vault emulator (https, its own CA, the challenge auth flow), configured only
// through RXSECRETS_AZURE_* variables: set / get / ls / versions, rm with the delete poller's states on stderr.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { cliMain, runCli, runCliPiped } from '../support/cli.js';

let kv: KeyVaultEmulator;
let work: string;
let kvEnv: Record<string, string>;

test.before(async () => {
  [kv, work] = await Promise.all([startKeyVaultEmulator(), mkdtemp(join(tmpdir(), 'rxs-cli-kv-')), cliMain()]).then(
    ([emulator, dir]) => [emulator, dir] as const,
  );
  const caFile = join(work, 'ca.pem');
  await writeFile(caFile, kv.ca);
  kvEnv = {
    RXSECRETS_AZURE_VAULT_URL: kv.vaultUrl,
    RXSECRETS_AZURE_CREDENTIAL: 'emulator',
    RXSECRETS_AZURE_CA_FILE: caFile,
  };
});
test.after.always(async () => {
  await kv?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const rxs = (args: string[], input?: string) => runCli(args, { env: kvEnv, ...(input === undefined ? {} : { input }) });

test('set, get, versions and ls on Key Vault', async (t) => {
  const first = await rxs(['set', 'azure-kv:cli-db-password', '--tag', 'team=core'], 'kv-value-1');
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, /^[0-9a-f]{32}\n$/);
  const second = await rxs(['set', 'azure-kv:cli-db-password'], 'kv-value-2');
  t.is((await rxs(['get', 'azure-kv:cli-db-password'])).stdout, 'kv-value-2\n');
  t.is((await rxs(['get', `azure-kv:cli-db-password@${first.stdout.trim()}`])).stdout, 'kv-value-1\n');
  const versions = await rxs(['versions', 'azure-kv:cli-db-password']);
  t.is(versions.code, 0, versions.stderr);
  const listed = versions.stdout
    .trim()
    .split('\n')
    .map((line) => line.split('\t')[0]);
  // (a write retried after an attempt timeout on a loaded machine may add a version: check inclusion)
  t.true(listed.includes(first.stdout.trim()) && listed.includes(second.stdout.trim()), listed.join(' '));
  const ls = await rxs(['ls', 'azure-kv:']);
  t.true(ls.stdout.split('\n').includes('azure-kv:cli-db-password'));
});

test('rm streams the delete poller states on stderr; --force purges; the secret is then 66', async (t) => {
  await rxs(['set', 'azure-kv:cli-to-delete'], 'bye-bye');
  const removed = await rxs(['rm', '--force', 'azure-kv:cli-to-delete']);
  t.is(removed.code, 0, removed.stderr);
  t.is(removed.stdout, '');
  t.regex(removed.stderr, /azure-kv:cli-to-delete: deleted/);
  t.regex(removed.stderr, /purged/);
  t.is((await rxs(['get', 'azure-kv:cli-to-delete'])).code, 66);
  const json = await rxs(['rm', '--json', 'azure-kv:cli-never-was']);
  t.is(json.code, 66);
  t.like(JSON.parse(json.stderr), { exitCode: 66, error: { code: 'SecretNotFound' } });
});

test('an invalid Key Vault name is a bad ref (64); a missing CA file is configuration (78)', async (t) => {
  t.is((await rxs(['get', 'azure-kv:not_valid!'])).code, 64);
  const missingCa = await runCli(['get', 'azure-kv:x'], {
    env: { ...kvEnv, RXSECRETS_AZURE_CA_FILE: join(work, 'absent.pem') },
  });
  t.is(missingCa.code, 78);
});

test('ls | head -1 fetches exactly one page of a 3-page Key Vault listing', async (t) => {
  // pages of 25 (Key Vault's default and maximum): 60 secrets (and the 3 or fewer of the other tests) are 3 pages
  for (let i = 0; i < 60; i++) kv.store.setSecret(`cli-page-${String(i).padStart(2, '0')}`, `v${i}`);
  const calls = () => kv.stats.calls['GET /secrets'];
  const before = calls();
  const full = await runCliPiped(['ls', 'azure-kv:cli-page-'], 'cat', { env: kvEnv });
  t.is(full.stdout.split('\n').length - 1, 60, full.stderr);
  t.is(calls() - before, 3);
  const start = calls();
  const head = await runCliPiped(['ls', 'azure-kv:cli-page-'], 'head -1', { env: kvEnv });
  t.is(head.code, 0, head.stderr);
  t.regex(head.stdout, /^azure-kv:cli-page-\d\d\n$/);
  t.is(calls() - start, 1);
});
