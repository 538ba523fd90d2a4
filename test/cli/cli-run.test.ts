// `rxs run` as a child process against the AWS emulator: environment from refs (flags, env files, the inherited
// environment), one batched read, execve, exit codes (child, 128+N, 125/126/127), signal forwarding, masking of a
// value split across writes, and --watch restarting a real child after a rotation.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
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
/** Keeps everything `stream` prints from now on, for {@link waitFor}. */
function record(stream: NodeJS.ReadableStream): void {
  if (seen.has(stream)) return;
  seen.set(stream, '');
  stream.on('data', (chunk: Buffer | string) => seen.set(stream, seen.get(stream) + chunk.toString()));
}

/** Resolves with everything a stream printed (since {@link record}), once that matches `pattern`. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  record(stream);
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

/** `rxs run … -- node -e program` started as a child; resolves once the program printed something matching `ready`. */
async function startRun(t: ExecutionContext, options: readonly string[], program: string, ready: RegExp) {
  const child = await spawnCli(['run', ...options, '--', node, '-e', program], { env: env() });
  const done = collect(child);
  // Pass or fail, nothing outlives the test: SIGTERM (forwarded to the command), then SIGKILL.
  t.teardown(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await done.catch(() => undefined);
    clearTimeout(timer);
  });
  record(child.stdout!);
  record(child.stderr!);
  await waitFor(child.stdout!, ready);
  return { child, done };
}

/** `rxs run --watch` at a 100 ms interval, without masking, plus `options`. */
const startWatching = (t: ExecutionContext, options: readonly string[], program: string, ready: RegExp) =>
  startRun(t, ['--watch', '--interval', '100ms', '--mask', 'never', ...options], program, ready);

/** A child that prints `start <PW> <pid>` and stays up; `onTerm` is what it does on SIGTERM. */
const restartable = (onTerm = 'process.exit(0)') =>
  `process.on('SIGTERM', () => { ${onTerm} }); console.log('start ' + process.env.PW + ' ' + process.pid); setInterval(() => {}, 1000);`;

const pidsOf = (text: string) => [...text.matchAll(/start \S+ (\d+)/g)].map((m) => Number(m[1]));

const rotate = (name: string, value: string) =>
  aws.store.parameters.putParameter({ Name: name, Value: value, Type: 'String', Overwrite: true });

test('a supervised child gets the signals rxsecrets receives', async (t) => {
  const program = `process.on('SIGUSR1', () => { console.log('got usr1'); process.exit(7); }); console.log('ready'); setInterval(() => {}, 1000);`;
  const { child, done } = await startRun(t, ['--mask', 'always'], program, /ready/);
  child.kill('SIGUSR1');
  const result = await done;
  t.is(result.code, 7, result.stderr);
  t.regex(result.stdout, /got usr1/);
});

test.serial('--watch restarts the child with the new value after a rotation, fetching first', async (t) => {
  rotate('/run/rotating', 'first-value');
  const { child, done } = await startWatching(
    t,
    ['--kill-timeout', '2s', '--env', 'PW=aws-ssm:/run/rotating'],
    restartable(),
    /start first-value/,
  );
  rotate('/run/rotating', 'second-value');
  const pids = pidsOf(await waitFor(child.stdout!, /start second-value/));
  t.is(pids.length, 2);
  t.not(pids[0], pids[1]);
  child.kill('SIGTERM');
  const result = await done;
  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /restarting the command/);
});

test.serial('--watch --splay: the restart waits a random time within the splay, said on stderr', async (t) => {
  rotate('/run/splayed', 'splay-1');
  const { child, done } = await startWatching(
    t,
    ['--splay', '400ms', '--env', 'PW=aws-ssm:/run/splayed'],
    restartable(),
    /start splay-1/,
  );
  rotate('/run/splayed', 'splay-2');
  const stderr = await waitFor(child.stderr!, /restarting the command in \d+ ms/);
  const wait = Number(/restarting the command in (\d+) ms \(--splay 400ms\)/.exec(stderr)?.[1]);
  t.true(wait >= 0 && wait <= 400, stderr);
  await waitFor(child.stdout!, /start splay-2/);
  child.kill('SIGTERM');
  t.is((await done).code, 0);
  t.is((await runCli(['run', '--watch', '--splay', 'a while', '--', 'true'], { env: env() })).code, 125);
});

test.serial('--watch --kill-signal: the child is stopped with that signal for a restart', async (t) => {
  rotate('/run/usr2', 'usr2-1');
  const program = `process.on('SIGUSR2', () => { console.log('stopped by usr2 ' + process.env.PW); process.exit(0); }); ${restartable()}`;
  const { child, done } = await startWatching(
    t,
    ['--kill-signal', 'SIGUSR2', '--env', 'PW=aws-ssm:/run/usr2'],
    program,
    /start usr2-1/,
  );
  rotate('/run/usr2', 'usr2-2');
  const text = await waitFor(child.stdout!, /start usr2-2/);
  t.regex(text, /stopped by usr2 usr2-1\n[\s\S]*start usr2-2/);
  child.kill('SIGTERM');
  t.is((await done).code, 0);
  // a bad option of run is rxsecrets failing before the command starts: 125, as GNU env
  for (const bad of [
    ['--kill-signal', 'SIGNOPE'],
    ['--on-change', 'signal:SIGNOPE'],
    ['--mask', 'sometimes'],
  ]) {
    t.is((await runCli(['run', '--watch', ...bad, '--', 'true'], { env: env() })).code, 125, bad.join(' '));
  }
});

test.serial('--watch: a child that ignores the kill signal is killed (SIGKILL) after --kill-timeout', async (t) => {
  rotate('/run/stubborn', 'stubborn-1');
  const { child, done } = await startWatching(
    t,
    ['--kill-timeout', '300ms', '--env', 'PW=aws-ssm:/run/stubborn'],
    `process.on('SIGINT', () => process.exit(0)); ${restartable("console.log('ignoring SIGTERM')")}`,
    /start stubborn-1/,
  );
  rotate('/run/stubborn', 'stubborn-2');
  const text = await waitFor(child.stdout!, /start stubborn-2/);
  t.regex(text, /ignoring SIGTERM\n[\s\S]*start stubborn-2/);
  t.regex(await waitFor(child.stderr!, /SIGKILL/), /did not stop within 300 ms of SIGTERM; sending SIGKILL/);
  const [first] = pidsOf(text);
  t.throws(() => process.kill(first!, 0), { code: 'ESRCH' }, 'the first child is gone');
  child.kill('SIGINT');
  t.is((await done).code, 0);
});

test.serial('--watch --on-change exit stops the child and exits 75; signal:SIG signals it', async (t) => {
  rotate('/run/rot2', 'one-value');
  const program = `console.log('up'); process.on('SIGHUP', () => console.log('hup ' + process.env.PW)); setInterval(() => {}, 1000);`;
  const signalled = await startWatching(
    t,
    ['--on-change', 'signal:SIGHUP', '--env', 'PW=aws-ssm:/run/rot2'],
    program,
    /up/,
  );
  rotate('/run/rot2', 'two-value');
  await waitFor(signalled.child.stdout!, /hup one-value/);
  signalled.child.kill('SIGTERM');
  t.is((await signalled.done).code, 143);

  const exiting = await startWatching(t, ['--on-change', 'exit', '--env', 'PW=aws-ssm:/run/rot2'], program, /up/);
  rotate('/run/rot2', 'three-value');
  const result = await exiting.done;
  t.is(result.code, 75, result.stderr);
});

test.serial(
  '--watch: a rotation whose fresh read fails leaves the child running; the next rotation restarts it',
  async (t) => {
    rotate('/run/flaky', 'flaky-1');
    const { child, done } = await startWatching(t, ['--env', 'PW=aws-ssm:/run/flaky'], restartable(), /start flaky-1/);
    // the watch's probe (the first GetParameters after the rotation) succeeds; the fresh read after it fails
    const fault = aws.faults.add({ kind: 'internal-error', operation: 'ssm.GetParameters', after: 1, count: 50 });
    rotate('/run/flaky', 'flaky-2');
    await waitFor(child.stderr!, /could not be read; the command keeps running/);
    fault.remove();
    rotate('/run/flaky', 'flaky-3');
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
