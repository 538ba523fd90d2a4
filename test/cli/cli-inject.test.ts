// `rxs inject` (templates, atomic 0600 files, --watch with --on-change) and `rxs emulator` (the environment it
// prints drives the CLI), as child processes against the AWS emulator.
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { awsEnvFor, cliMain, collect, runCli, spawnCli } from '../support/cli.js';

let aws: AwsEmulator;
let awsEnv: Record<string, string>;
let work: string;

test.before(async () => {
  [aws, work] = await Promise.all([startAwsEmulator(), mkdtemp(join(tmpdir(), 'rxs-cli-inject-')), cliMain()]).then(
    ([emulator, dir]) => [emulator, dir] as const,
  );
  awsEnv = awsEnvFor(aws);
  aws.store.parameters.putParameter({ Name: '/inject/user', Value: 'app', Type: 'String' });
  aws.store.parameters.putParameter({ Name: '/inject/password', Value: 'pw-1', Type: 'SecureString' });
  aws.store.parameters.putParameter({ Name: '/inject/rotating', Value: 'pw-1', Type: 'SecureString' });
});
test.after.always(async () => {
  await aws?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const TEMPLATE =
  'url=postgres://{{ aws-ssm:/inject/user }}:{{aws-ssm:/inject/password}}@db/app\nagain={{ aws-ssm:/inject/user }}\n';

test.serial('inject renders placeholders to stdout, reading every ref in one batch', async (t) => {
  const template = join(work, 'stdout.tpl');
  await writeFile(template, TEMPLATE);
  const before = aws.stats.count('ssm.GetParameters');
  const result = await runCli(['inject', '-i', template], { env: awsEnv });
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'url=postgres://app:pw-1@db/app\nagain=app\n');
  t.is(aws.stats.count('ssm.GetParameters') - before, 1);
  const missing = join(work, 'missing.tpl');
  await writeFile(missing, '{{ aws-ssm:/inject/absent }}');
  t.is((await runCli(['inject', '-i', missing], { env: awsEnv })).code, 66);
});

test('inject -o replaces the file atomically with mode 0600 (a reader of the old file keeps the old content)', async (t) => {
  const template = join(work, 'file.tpl');
  const out = join(work, 'app.conf');
  await writeFile(template, TEMPLATE);
  await writeFile(out, 'old content\n', { mode: 0o644 });
  const reader = await open(out, 'r');
  t.teardown(() => reader.close());
  const result = await runCli(['inject', '-i', template, '-o', out], { env: awsEnv });
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, '');
  t.is(await readFile(out, 'utf8'), 'url=postgres://app:pw-1@db/app\nagain=app\n');
  t.is((await stat(out)).mode & 0o777, 0o600);
  t.is(await reader.readFile('utf8'), 'old content\n');
  await reader.close();
});

test.serial('inject --watch rewrites the file after a rotation, then runs --on-change', async (t) => {
  const template = join(work, 'watch.tpl');
  const out = join(work, 'watch.conf');
  await writeFile(template, 'password={{ aws-ssm:/inject/rotating }}\n');
  const child = await spawnCli(
    ['inject', '-i', template, '-o', out, '--watch', '--interval', '100ms', '--on-change', 'exec:echo reloaded'],
    { env: awsEnv },
  );
  const done = collect(child);
  let stdout = '';
  const reloaded = new Promise<void>((resolve) =>
    child.stdout!.on('data', (chunk: Buffer | string) => {
      stdout += chunk.toString();
      if (stdout.includes('reloaded')) resolve();
    }),
  );
  let stderr = '';
  const first = new Promise<void>((resolve) =>
    child.stderr!.on('data', (chunk: Buffer | string) => {
      stderr += chunk.toString();
      resolve();
    }),
  );
  // the first render is written before the watch starts: rotate once the file exists
  for (;;) {
    const text = await readFile(out, 'utf8').catch(() => '');
    if (text === 'password=pw-1\n') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  aws.store.parameters.putParameter({ Name: '/inject/rotating', Value: 'pw-2', Type: 'SecureString', Overwrite: true });
  await Promise.all([reloaded, first]);
  t.is(await readFile(out, 'utf8'), 'password=pw-2\n');
  t.regex(stderr, /rewritten/);
  child.kill('SIGINT');
  t.is((await done).code, 130);
});

test('rxs emulator aws prints the environment that points the CLI at it', async (t) => {
  const child = await spawnCli(['emulator', 'aws'], {});
  const done = collect(child);
  const exports = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('AWS_SECRET_ACCESS_KEY')) resolve(text);
    });
  });
  const env = Object.fromEntries([...exports.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
  t.truthy(env.AWS_ENDPOINT_URL);
  t.is((await runCli(['set', 'aws-sm:emulated'], { env, input: 'from-the-emulator' })).code, 0);
  t.is((await runCli(['get', 'aws-sm:emulated'], { env })).stdout, 'from-the-emulator\n');
  child.kill('SIGINT');
  t.is((await done).code, 0);
});
