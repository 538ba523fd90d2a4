// The compiled `rxsecrets` command line as a child process against the AWS emulator (Parameter Store and Secrets
// Manager over real HTTP): get / set / ls / rm / versions / export, exit codes, stdout vs stderr, config resolution.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { awsEnvFor, cliMain, runCli, runCliPiped } from '../support/cli.js';

const execFileAsync = promisify(execFile);
let aws: AwsEmulator;
let awsEnv: Record<string, string>;
let work: string;

test.before(async () => {
  [aws, work] = await Promise.all([startAwsEmulator(), mkdtemp(join(tmpdir(), 'rxs-cli-aws-')), cliMain()]).then(
    ([emulator, dir]) => [emulator, dir] as const,
  );
  awsEnv = awsEnvFor(aws);
});
test.after.always(async () => {
  await aws?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const rxs = (args: string[], input?: string | Uint8Array, env: Record<string, string | undefined> = {}, cwd?: string) =>
  runCli(args, { env: { ...awsEnv, ...env }, ...(input === undefined ? {} : { input }), ...(cwd ? { cwd } : {}) });

test('set reads the value from stdin and prints only the new version; get prints the value', async (t) => {
  const set = await rxs(['set', 'aws-ssm:/cli/set/password'], 'hunter2\n');
  t.is(set.code, 0, set.stderr);
  t.is(set.stdout, '1\n');
  const again = await rxs(['set', 'aws-ssm:/cli/set/password'], 'hunter3');
  t.is(again.stdout, '2\n');
  const get = await rxs(['get', 'aws-ssm:/cli/set/password']);
  t.is(get.code, 0);
  t.is(get.stdout, 'hunter3\n');
  t.is(get.stderr, '');
  const old = await rxs(['get', 'aws-ssm:/cli/set/password@1']);
  t.is(old.stdout, 'hunter2\n');
});

test('set takes --tag and --content-type, and get --meta shows them without the value', async (t) => {
  const set = await rxs(
    ['set', 'aws-sm:cli/meta', '--tag', 'team=core', '--tag', 'env=dev', '--content-type', 'text/plain'],
    'meta-value-1',
  );
  t.is(set.code, 0, set.stderr);
  const meta = await rxs(['get', '--meta', 'aws-sm:cli/meta']);
  t.is(meta.code, 0, meta.stderr);
  const document = JSON.parse(meta.stdout);
  t.like(document, { ref: 'aws-sm:cli/meta', name: 'cli/meta', metadata: { stages: ['AWSCURRENT'] } });
  t.false(meta.stdout.includes('meta-value-1'));
  const listed = JSON.parse((await rxs(['ls', '--json', 'aws-sm:cli/meta'])).stdout);
  t.deepEqual(listed[0].tags, { team: 'core', env: 'dev' });
});

test.serial('several refs are read in one batch per provider and printed as env or json', async (t) => {
  await rxs(['set', 'aws-sm:cli/many/db'], JSON.stringify({ user: 'app', password: 'pw-1' }));
  await rxs(['set', 'aws-ssm:/cli/many/a'], 'va');
  await rxs(['set', 'aws-ssm:/cli/many/b'], "it's");
  const before = { ssm: aws.stats.count('ssm.GetParameters'), sm: aws.stats.count('BatchGetSecretValue') };
  const refs = ['aws-sm:cli/many/db#password', 'aws-ssm:/cli/many/a', 'aws-ssm:/cli/many/b'];
  const env = await rxs(['get', ...refs]);
  t.is(env.code, 0, env.stderr);
  t.is(env.stdout, 'CLI_MANY_DB_PASSWORD="pw-1"\nCLI_MANY_A="va"\nCLI_MANY_B="it\'s"\n');
  t.is(aws.stats.count('ssm.GetParameters') - before.ssm, 1);
  t.true(aws.stats.count('BatchGetSecretValue') - before.sm <= 1);
  const json = await rxs(['get', '--format', 'json', ...refs]);
  t.deepEqual(JSON.parse(json.stdout), { CLI_MANY_DB_PASSWORD: 'pw-1', CLI_MANY_A: 'va', CLI_MANY_B: "it's" });
});

test('a failed ref among several: the others print, the failure goes to stderr, the exit code is its own', async (t) => {
  await rxs(['set', 'aws-ssm:/cli/partial/ok'], 'fine');
  const result = await rxs(['get', 'aws-ssm:/cli/partial/ok', 'aws-ssm:/cli/partial/missing']);
  t.is(result.code, 66);
  t.is(result.stdout, 'CLI_PARTIAL_OK="fine"\n');
  t.regex(result.stderr, /aws-ssm:\/cli\/partial\/missing/);
});

// serial, and the throttle removed after: a throttle rule matches any GetParameter, so another test's reads in flight
// would take its throttles (and fail), and this read would then get through
test.serial('exit codes: 66 not found, 64 bad ref and bad usage, 78 missing configuration, 75 throttled', async (t) => {
  const missing = await rxs(['get', 'aws-sm:cli/no-such-secret']);
  t.is(missing.code, 66);
  t.is(missing.stdout, '');
  t.regex(missing.stderr, /SecretNotFound/);
  t.is((await rxs(['get', 'no scheme here'])).code, 64);
  t.is((await rxs(['get', 'unknown-scheme:x'])).code, 64);
  t.is((await rxs(['get'])).code, 64);
  t.is((await rxs(['frobnicate'])).code, 64);
  t.is((await rxs(['get', '--no-such-flag', 'aws-sm:x'])).code, 64);
  const noVault = await rxs(['get', 'azure-kv:db-password']);
  t.is(noVault.code, 78);
  t.regex(noVault.stderr, /vault URL/);
  const throttle = aws.faults.add({ kind: 'throttle', operation: 'ssm.GetParameter', count: 10 });
  try {
    const throttled = await rxs(['get', 'aws-ssm:/cli/throttled']);
    t.is(throttled.code, 75, throttled.stderr);
  } finally {
    throttle.remove();
  }
});

test('--json errors are one JSON object on stderr, without any value', async (t) => {
  const result = await rxs(['get', '--json', 'aws-sm:cli/absent']);
  t.is(result.code, 66);
  t.is(result.stdout, '');
  const document = JSON.parse(result.stderr);
  t.like(document, { exitCode: 66, error: { code: 'SecretNotFound', ref: 'aws-sm:cli/absent', provider: 'aws-sm' } });
});

test('a key path that does not exist is 66, a key path into a non-JSON value is 65', async (t) => {
  await rxs(['set', 'aws-sm:cli/kp'], JSON.stringify({ a: 1 }));
  await rxs(['set', 'aws-sm:cli/kp-text'], 'not json');
  t.is((await rxs(['get', 'aws-sm:cli/kp#b'])).code, 66);
  t.is((await rxs(['get', 'aws-sm:cli/kp#a'])).stdout, '1\n');
  t.is((await rxs(['get', 'aws-sm:cli/kp-text#a'])).code, 65);
});

test('binary values: refused on stdout (65), printed with --base64, written 0600 with --out-file', async (t) => {
  const bytes = Buffer.from([0, 255, 1, 254, 10, 13]);
  const file = join(work, 'binary.in');
  await writeFile(file, bytes);
  const set = await rxs(['set', 'aws-sm:cli/binary', '--file', file]);
  t.is(set.code, 0, set.stderr);
  const plain = await rxs(['get', 'aws-sm:cli/binary']);
  t.is(plain.code, 65);
  t.regex(plain.stderr, /--base64/);
  const base64 = await rxs(['get', '--base64', 'aws-sm:cli/binary']);
  t.is(base64.stdout, `${bytes.toString('base64')}\n`);
  const out = join(work, 'binary.out');
  await writeFile(out, 'old content', { mode: 0o644 });
  const written = await rxs(['get', 'aws-sm:cli/binary', '--out-file', out]);
  t.is(written.code, 0, written.stderr);
  t.is(written.stdout, '');
  t.deepEqual(await readFile(out), bytes);
  t.is((await stat(out)).mode & 0o777, 0o600);
});

test('get --json prints one document with the value', async (t) => {
  await rxs(['set', 'aws-ssm:/cli/json/one'], 'v1');
  const result = await rxs(['get', '--json', 'aws-ssm:/cli/json/one']);
  t.like(JSON.parse(result.stdout), { ref: 'aws-ssm:/cli/json/one', version: '1', value: 'v1' });
});

test('ls streams refs; --versions, --limit, --json and --ndjson', async (t) => {
  for (const name of ['a', 'b', 'c']) await rxs(['set', `aws-ssm:/cli/ls/${name}`], name);
  await rxs(['set', 'aws-ssm:/cli/ls/deep/d'], 'd');
  const flat = await rxs(['ls', 'aws-ssm:/cli/ls/']);
  t.is(flat.code, 0, flat.stderr);
  t.is(flat.stdout, 'aws-ssm:/cli/ls/a\naws-ssm:/cli/ls/b\naws-ssm:/cli/ls/c\n');
  t.is(flat.stderr, '', 'no status line when stderr is not a TTY');
  const recursive = await rxs(['ls', '-r', '--versions', 'aws-ssm:/cli/ls/']);
  t.true(recursive.stdout.includes('aws-ssm:/cli/ls/deep/d\t1\n'));
  t.is((await rxs(['ls', '--limit', '2', 'aws-ssm:/cli/ls/'])).stdout.split('\n').length - 1, 2);
  const json = JSON.parse((await rxs(['ls', '--json', 'aws-ssm:/cli/ls/'])).stdout);
  t.deepEqual(
    json.map((item: { name: string }) => item.name),
    ['/cli/ls/a', '/cli/ls/b', '/cli/ls/c'],
  );
  const ndjson = (await rxs(['ls', '--ndjson', 'aws-ssm:/cli/ls/'])).stdout.trim().split('\n');
  t.is(ndjson.length, 3);
  t.is(JSON.parse(ndjson[0]!).name, '/cli/ls/a');
});

test.serial('ls | head -1 fetches exactly one page of a 5-page listing (the backend sees one call)', async (t) => {
  for (let i = 0; i < 50; i++)
    aws.store.parameters.putParameter({
      Name: `/cli/pages/p${String(i).padStart(2, '0')}`,
      Value: `v${i}`,
      Type: 'String',
    });
  const calls = () => aws.stats.count('ssm.GetParametersByPath');
  const before = calls();
  const full = await runCliPiped(['ls', 'aws-ssm:/cli/pages/'], 'cat', { env: awsEnv });
  t.is(full.stdout.split('\n').length - 1, 50);
  t.is(calls() - before, 5, 'a reader that reads everything gets every page');
  for (const format of [[], ['--ndjson']]) {
    const start = calls();
    const head = await runCliPiped(['ls', ...format, 'aws-ssm:/cli/pages/'], 'head -1', { env: awsEnv });
    t.is(head.code, 0, head.stderr);
    t.regex(head.stdout, /^\S*\/cli\/pages\/p00\S*\n$/);
    t.is(calls() - start, 1, `pages fetched with ${format.join(' ') || 'text'} output`);
  }
});

test('versions lists each version with its creation time; a provider without versions is 64', async (t) => {
  aws.store.parameters.putParameter({ Name: '/cli/versions/x', Value: 'one', Type: 'String' });
  aws.store.parameters.putParameter({ Name: '/cli/versions/x', Value: 'two', Type: 'String', Overwrite: true });
  const result = await rxs(['versions', 'aws-ssm:/cli/versions/x']);
  t.is(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  t.deepEqual(
    lines.map((line) => line.split('\t')[0]),
    ['1', '2'],
  );
  t.regex(lines[0]!.split('\t')[1]!, /^\d{4}-\d\d-\d\dT/);
  t.false(result.stdout.includes('one'));
  const none = await rxs(['versions', 'secret-service:default?service=x']);
  t.is(none.code, 64);
  t.regex(none.stderr, /keeps no versions/);
});

test('rm deletes (states on stderr) and the secret is then 66; rm of a missing secret is 66', async (t) => {
  await rxs(['set', 'aws-sm:cli/rm/me'], 'bye');
  const removed = await rxs(['rm', '--force', 'aws-sm:cli/rm/me']);
  t.is(removed.code, 0, removed.stderr);
  t.is(removed.stdout, '');
  t.regex(removed.stderr, /aws-sm:cli\/rm\/me: deleted/);
  t.is((await rxs(['get', 'aws-sm:cli/rm/me'])).code, 66);
  t.is((await rxs(['rm', 'aws-ssm:/cli/rm/never'])).code, 66);
});

test('export a prefix or refs as dotenv, shell and json', async (t) => {
  await rxs(['set', 'aws-ssm:/cli/export/db/password'], 'p w');
  await rxs(['set', 'aws-ssm:/cli/export/api-key'], "k'1");
  const dotenv = await rxs(['export', 'aws-ssm:/cli/export/']);
  t.is(dotenv.code, 0, dotenv.stderr);
  t.is(dotenv.stdout, 'API_KEY="k\'1"\nDB_PASSWORD="p w"\n');
  const shell = await rxs(['export', '--format', 'shell', 'aws-ssm:/cli/export/api-key']);
  t.is(shell.stdout, "export CLI_EXPORT_API_KEY='k'\\''1'\n");
  const { stdout } = await execFileAsync('sh', ['-c', `${shell.stdout} printf %s "$CLI_EXPORT_API_KEY"`]);
  t.is(stdout, "k'1");
  const json = await rxs(['export', '--format', 'json', 'aws-ssm:/cli/export/']);
  t.deepEqual(JSON.parse(json.stdout), { API_KEY: "k'1", DB_PASSWORD: 'p w' });
});

test('configuration: flags win over RXSECRETS_* variables, which win over rxsecrets.config.json found upward', async (t) => {
  await rxs(['set', 'aws-ssm:/cli/config/x'], 'configured');
  const project = await mkdtemp(join(work, 'project-'));
  const nested = join(project, 'a', 'b');
  await execFileAsync('mkdir', ['-p', nested]);
  const dead = 'http://127.0.0.1:9';
  await writeFile(
    join(project, 'rxsecrets.config.json'),
    JSON.stringify({
      aws: { endpoint: dead },
      schemes: {
        'ssm-extra': { provider: 'aws-ssm', endpoint: aws.endpoint },
        demo: { provider: 'memory', secrets: { greeting: 'hi' } },
      },
    }),
  );
  const noEnvEndpoint = { AWS_ENDPOINT_URL: undefined };
  const extra = await rxs(['get', 'ssm-extra:/cli/config/x', 'demo:greeting'], undefined, noEnvEndpoint, nested);
  t.is(extra.code, 0, extra.stderr);
  t.is(extra.stdout, 'CLI_CONFIG_X="configured"\nGREETING="hi"\n');
  const fromEnv = await rxs(
    ['get', 'aws-ssm:/cli/config/x'],
    undefined,
    { ...noEnvEndpoint, RXSECRETS_AWS_ENDPOINT_URL: aws.endpoint },
    nested,
  );
  t.is(fromEnv.stdout, 'configured\n', fromEnv.stderr);
  const fromFlag = await rxs(
    ['get', '--endpoint-url', aws.endpoint, 'aws-ssm:/cli/config/x'],
    undefined,
    { ...noEnvEndpoint, RXSECRETS_AWS_ENDPOINT_URL: dead },
    nested,
  );
  t.is(fromFlag.stdout, 'configured\n', fromFlag.stderr);
  const broken = join(work, 'broken.json');
  await writeFile(broken, '{ not json');
  t.is((await rxs(['get', '--config', broken, 'aws-ssm:/cli/config/x'])).code, 78);
  t.is((await rxs(['get', '--config', join(work, 'absent.json'), 'aws-ssm:/cli/config/x'])).code, 78);
});

test('--help lists the commands and the exit codes', async (t) => {
  const help = await rxs(['--help']);
  t.is(help.code, 0);
  for (const command of ['get', 'ls', 'set', 'rm', 'versions', 'export'])
    t.regex(help.stdout, new RegExp(`\\n  ${command} `));
  t.regex(help.stdout, /66 not found/);
});
