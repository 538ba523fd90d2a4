// `rxs inject` (templates, atomic 0600 files, --watch with --on-change exec: and signal:) and `rxs emulator aws|key-vault` (the environment it
// prints drives the CLI), as child processes against the AWS emulator.
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
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
  aws.store.parameters.putParameter({ Name: '/inject/signalled', Value: 'sig-1', Type: 'SecureString' });
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
  await fileHolds(out, 'password=pw-1\n');
  aws.store.parameters.putParameter({ Name: '/inject/rotating', Value: 'pw-2', Type: 'SecureString', Overwrite: true });
  await Promise.all([reloaded, first]);
  t.is(await readFile(out, 'utf8'), 'password=pw-2\n');
  t.regex(stderr, /rewritten/);
  child.kill('SIGINT');
  t.is((await done).code, 130);
});

/** Resolves once `path` holds `content` (the first render of `inject -o` happens before its watch starts). */
async function fileHolds(path: string, content: string): Promise<void> {
  while ((await readFile(path, 'utf8').catch(() => '')) !== content) await delay(20);
}

/** Resolves with everything `stream` printed once that matches `pattern`. */
function printed(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const check = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (!pattern.test(text)) return;
      stream.off('data', check);
      resolve(text);
    };
    stream.on('data', check);
  });
}

test.serial(
  'inject --watch --on-change signal:PID:SIG signals a real process after the file is rewritten',
  async (t) => {
    const template = join(work, 'signal.tpl');
    const out = join(work, 'signal.conf');
    await writeFile(template, 'password={{ aws-ssm:/inject/signalled }}\n');
    // a server that re-reads its configuration file on SIGHUP
    const server = spawn(
      process.execPath,
      [
        '-e',
        `const { readFileSync } = require('node:fs');
       process.on('SIGHUP', () => console.log('reloaded ' + readFileSync(${JSON.stringify(out)}, 'utf8').trim()));
       process.on('SIGTERM', () => process.exit(0));
       console.log('ready'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.teardown(() => server.kill('SIGKILL'));
    const serverOutput = printed(server.stdout!, /reloaded/);
    await printed(server.stdout!, /ready/);
    const child = await spawnCli(
      [
        'inject',
        '-i',
        template,
        '-o',
        out,
        '--watch',
        '--interval',
        '100ms',
        '--on-change',
        `signal:${server.pid}:SIGHUP`,
      ],
      { env: awsEnv },
    );
    const done = collect(child);
    await fileHolds(out, 'password=sig-1\n');
    aws.store.parameters.putParameter({
      Name: '/inject/signalled',
      Value: 'sig-2',
      Type: 'SecureString',
      Overwrite: true,
    });
    t.regex(await serverOutput, /^ready\nreloaded password=sig-2\n$/);
    child.kill('SIGINT');
    t.is((await done).code, 130);
    t.is((await runCli(['inject', '-i', template, '--on-change', 'signal:1:SIGNOPE'], { env: awsEnv })).code, 64);
  },
);

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

test('rxs emulator key-vault prints the environment that points the CLI at it; stopping it removes its CA file', async (t) => {
  const child = await spawnCli(['emulator', 'key-vault'], {});
  const done = collect(child);
  const exports = await printed(child.stdout!, /RXSECRETS_AZURE_CA_FILE=.*\n/);
  const env = Object.fromEntries([...exports.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
  t.like(env, { RXSECRETS_AZURE_CREDENTIAL: 'emulator' });
  t.regex(env.RXSECRETS_AZURE_VAULT_URL ?? '', /^https:\/\/127\.0\.0\.1:\d+/);
  const set = await runCli(['set', 'azure-kv:from-the-cli'], { env, input: 'kv-emulated' });
  t.is(set.code, 0, set.stderr);
  t.is((await runCli(['get', 'azure-kv:from-the-cli'], { env })).stdout, 'kv-emulated\n');
  t.true((await stat(env.RXSECRETS_AZURE_CA_FILE!)).isFile());
  child.kill('SIGINT');
  const result = await done;
  t.is(result.code, 0, result.stderr);
  await t.throwsAsync(stat(env.RXSECRETS_AZURE_CA_FILE!), { code: 'ENOENT' });
  // stopped: nothing listens on the vault's port any more
  const { port } = new URL(env.RXSECRETS_AZURE_VAULT_URL!);
  const refused = await new Promise<string | undefined>((resolve) =>
    connect(Number(port), '127.0.0.1')
      .once('connect', function (this: Socket) {
        this.destroy();
        resolve(undefined);
      })
      .once('error', (error: NodeJS.ErrnoException) => resolve(error.code)),
  );
  t.is(refused, 'ECONNREFUSED');
});
