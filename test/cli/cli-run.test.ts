// `rxs run` as a child process against the AWS emulator: environment from refs (flags, env files, the inherited
// environment), one batched read, execve, exit codes (child, 128+N, 125/126/127), signal forwarding, masking of a
// value split across writes, and --watch restarting a real child after a rotation.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { awsEnvFor, cliMain, collect, runCli, spawnCli } from '../support/cli.js';

let aws: AwsEmulator;
let awsEnv: Record<string, string>;
let work: string;

test.before(async () => {
  [aws, work] = await Promise.all([startAwsEmulator(), mkdtemp(join(tmpdir(), 'rxs-cli-run-')), cliMain()]).then(
    ([emulator, dir]) => [emulator, dir] as const,
  );
  awsEnv = awsEnvFor(aws);
  for (const [name, value] of Object.entries({
    '/run/db/password': 'pa55word-1',
    '/run/api-key': 'key-abcdef',
    '/run/user': 'app-user',
  })) {
    aws.store.parameters.putParameter({ Name: name, Value: value, Type: 'SecureString' });
  }
});
test.after.always(async () => {
  await aws?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ ...awsEnv, ...extra });
const node = process.execPath;

test('without masking or watch, run replaces itself with the command (same pid) and passes the values', async (t) => {
  const child = await spawnCli(
    ['run', '--mask', 'never', '--env', 'PW=aws-ssm:/run/db/password', '--', 'sh', '-c', 'echo "$$ $PW"'],
    { env: env() },
  );
  const result = await collect(child);
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, `${child.pid} pa55word-1\n`);
});

test('rxs: values in env files and in the inherited environment are refs; other values stay text', async (t) => {
  const file = join(work, 'app.env');
  await writeFile(file, '# app\nAPI_KEY=rxs:aws-ssm:/run/api-key\nexport MODE="prod"\nPLAIN=aws-ssm:/run/api-key\n');
  const result = await runCli(
    ['run', '--mask', 'never', '--env-file', file, '--', 'sh', '-c', 'echo "$API_KEY|$MODE|$PLAIN|$USER_NAME|$OTHER"'],
    { env: env({ USER_NAME: 'rxs:aws-ssm:/run/user', OTHER: 'kept' }) },
  );
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'key-abcdef|prod|aws-ssm:/run/api-key|app-user|kept\n');
});

test.serial('every ref is read in one batched call per provider', async (t) => {
  const before = aws.stats.count('ssm.GetParameters');
  const single = aws.stats.count('ssm.GetParameter');
  const result = await runCli(
    [
      'run',
      '--mask',
      'never',
      '--env',
      'A=aws-ssm:/run/db/password',
      '--env',
      'B=aws-ssm:/run/api-key',
      '--env',
      'C=aws-ssm:/run/user',
      '--',
      'true',
    ],
    { env: env() },
  );
  t.is(result.code, 0, result.stderr);
  t.is(aws.stats.count('ssm.GetParameters') - before, 1);
  t.is(aws.stats.count('ssm.GetParameter') - single, 0);
});

test("exit codes: the child's own, 128+N after a signal, 127 not found, 126 not executable, 125 a failed read", async (t) => {
  for (const mask of ['never', 'always']) {
    t.is((await runCli(['run', '--mask', mask, '--', 'sh', '-c', 'exit 3'], { env: env() })).code, 3);
  }
  // supervised: 128 + 15; replaced by execve: the process itself dies of the signal, as the command would
  t.is((await runCli(['run', '--mask', 'always', '--', 'sh', '-c', 'kill -TERM $$'], { env: env() })).code, 143);
  t.is((await runCli(['run', '--mask', 'never', '--', 'sh', '-c', 'kill -TERM $$'], { env: env() })).signal, 'SIGTERM');
  const notFound = await runCli(['run', '--', 'no-such-command-rxs'], { env: env() });
  t.is(notFound.code, 127);
  t.regex(notFound.stderr, /command not found/);
  const script = join(work, 'not-executable.sh');
  await writeFile(script, 'echo hi\n', { mode: 0o644 });
  t.is((await runCli(['run', '--', script], { env: env() })).code, 126);
  const failed = await runCli(['run', '--env', 'X=aws-ssm:/run/absent', '--', 'true'], { env: env() });
  t.is(failed.code, 125);
  t.regex(failed.stderr, /SecretNotFound/);
  t.is((await runCli(['run', '--env', 'X=not a ref', '--', 'true'], { env: env() })).code, 125);
  t.is((await runCli(['run', '--env', 'novalue', '--', 'true'], { env: env() })).code, 125);
  t.is((await runCli(['run', '--watch', '--kill-timeout', 'soon', '--', 'true'], { env: env() })).code, 125);
});

test('masking: a value is masked in stdout and stderr, also when split across two writes', async (t) => {
  const program = `
    const v = process.env.PW;
    process.stdout.write('before ' + v.slice(0, 4));
    setTimeout(() => { process.stdout.write(v.slice(4) + ' after\\n'); console.error('err ' + v); }, 50);`;
  const result = await runCli(['run', '--env', 'PW=aws-ssm:/run/db/password', '--', node, '-e', program], {
    env: env(),
  });
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'before <redacted> after\n');
  t.is(result.stderr, 'err <redacted>\n');
  const unmasked = await runCli(
    ['run', '--mask', 'never', '--env', 'PW=aws-ssm:/run/db/password', '--', node, '-e', 'console.log(process.env.PW)'],
    { env: env() },
  );
  t.is(unmasked.stdout, 'pa55word-1\n');
});

const seen = new WeakMap<NodeJS.ReadableStream, string>();
/** Resolves with everything a stream printed so far, once that matches `pattern`. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  if (!seen.has(stream)) {
    seen.set(stream, '');
    stream.on('data', (chunk: Buffer) => seen.set(stream, seen.get(stream) + chunk.toString()));
  }
  return new Promise((resolve) => {
    const check = () => {
      const text = seen.get(stream) ?? '';
      if (!pattern.test(text)) return;
      stream.off('data', check);
      resolve(text);
    };
    stream.on('data', check);
    check();
  });
}

test('a supervised child gets the signals rxsecrets receives', async (t) => {
  const program = `process.on('SIGUSR1', () => { console.log('got usr1'); process.exit(7); }); console.log('ready'); setInterval(() => {}, 1000);`;
  const child = await spawnCli(['run', '--mask', 'always', '--', node, '-e', program], { env: env() });
  const done = collect(child);
  await waitFor(child.stdout!, /ready/);
  child.kill('SIGUSR1');
  const result = await done;
  t.is(result.code, 7, result.stderr);
  t.regex(result.stdout, /got usr1/);
});

test.serial('--watch restarts the child with the new value after a rotation, fetching first', async (t) => {
  aws.store.parameters.putParameter({ Name: '/run/rotating', Value: 'first-value', Type: 'String' });
  const program = `process.on('SIGTERM', () => process.exit(0)); console.log('start ' + process.env.PW + ' ' + process.pid); setInterval(() => {}, 1000);`;
  const child = await spawnCli(
    [
      'run',
      '--watch',
      '--interval',
      '100ms',
      '--mask',
      'never',
      '--kill-timeout',
      '2s',
      '--env',
      'PW=aws-ssm:/run/rotating',
      '--',
      node,
      '-e',
      program,
    ],
    { env: env() },
  );
  const done = collect(child);
  await waitFor(child.stdout!, /start first-value/);
  aws.store.parameters.putParameter({ Name: '/run/rotating', Value: 'second-value', Type: 'String', Overwrite: true });
  const text = await waitFor(child.stdout!, /start second-value/);
  const pids = [...text.matchAll(/start \S+ (\d+)/g)].map((m) => m[1]);
  t.is(pids.length, 2);
  t.not(pids[0], pids[1]);
  child.kill('SIGTERM');
  const result = await done;
  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /restarting the command/);
});

test.serial('--watch --on-change exit stops the child and exits 75; signal:SIG signals it', async (t) => {
  aws.store.parameters.putParameter({ Name: '/run/rot2', Value: 'one-value', Type: 'String' });
  const program = `console.log('up'); process.on('SIGHUP', () => console.log('hup ' + process.env.PW)); setInterval(() => {}, 1000);`;
  const signalled = await spawnCli(
    [
      'run',
      '--watch',
      '--interval',
      '100ms',
      '--on-change',
      'signal:SIGHUP',
      '--mask',
      'never',
      '--env',
      'PW=aws-ssm:/run/rot2',
      '--',
      node,
      '-e',
      program,
    ],
    { env: env() },
  );
  const signalledDone = collect(signalled);
  await waitFor(signalled.stdout!, /up/);
  aws.store.parameters.putParameter({ Name: '/run/rot2', Value: 'two-value', Type: 'String', Overwrite: true });
  await waitFor(signalled.stdout!, /hup one-value/);
  signalled.kill('SIGTERM');
  t.is((await signalledDone).code, 143);

  const exiting = await spawnCli(
    [
      'run',
      '--watch',
      '--interval',
      '100ms',
      '--on-change',
      'exit',
      '--mask',
      'never',
      '--env',
      'PW=aws-ssm:/run/rot2',
      '--',
      node,
      '-e',
      program,
    ],
    { env: env() },
  );
  const exitingDone = collect(exiting);
  await waitFor(exiting.stdout!, /up/);
  aws.store.parameters.putParameter({ Name: '/run/rot2', Value: 'three-value', Type: 'String', Overwrite: true });
  const result = await exitingDone;
  t.is(result.code, 75, result.stderr);
});

test.serial(
  '--watch: a rotation whose fresh read fails leaves the child running; the next rotation restarts it',
  async (t) => {
    aws.store.parameters.putParameter({ Name: '/run/flaky', Value: 'flaky-1', Type: 'String' });
    const program = `process.on('SIGTERM', () => process.exit(0)); console.log('start ' + process.env.PW + ' ' + process.pid); setInterval(() => {}, 1000);`;
    const child = await spawnCli(
      [
        'run',
        '--watch',
        '--interval',
        '100ms',
        '--mask',
        'never',
        '--env',
        'PW=aws-ssm:/run/flaky',
        '--',
        node,
        '-e',
        program,
      ],
      { env: env() },
    );
    const done = collect(child);
    await waitFor(child.stdout!, /start flaky-1/);
    // the watch's probe (the first GetParameters after the rotation) succeeds; the fresh read after it fails
    const fault = aws.faults.add({ kind: 'internal-error', operation: 'ssm.GetParameters', after: 1, count: 50 });
    aws.store.parameters.putParameter({ Name: '/run/flaky', Value: 'flaky-2', Type: 'String', Overwrite: true });
    await waitFor(child.stderr!, /could not be read; the command keeps running/);
    fault.remove();
    aws.store.parameters.putParameter({ Name: '/run/flaky', Value: 'flaky-3', Type: 'String', Overwrite: true });
    const text = await waitFor(child.stdout!, /start flaky-3/);
    t.notRegex(text, /start flaky-2/);
    child.kill('SIGTERM');
    t.is((await done).code, 0);
  },
);

test('--from puts every secret under a prefix in the environment, named after its path', async (t) => {
  const result = await runCli(
    ['run', '--mask', 'never', '--from', 'aws-ssm:/run/', '--', 'sh', '-c', 'echo "$DB_PASSWORD $API_KEY $USER"'],
    {
      env: env(),
    },
  );
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'pa55word-1 key-abcdef app-user\n');
});
