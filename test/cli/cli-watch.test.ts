// `rxs watch` as a child process against the AWS emulator: ndjson change and status lines, never a value unless
// --reveal, degraded / ok while the backend fails, the end of a watch on deletion (exit 66), SIGINT (130).
import { spawn } from 'node:child_process';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { awsEnvFor, cliMain, collect, spawnCli } from '../support/cli.js';

let aws: AwsEmulator;
let awsEnv: Record<string, string>;

test.before(async () => {
  [aws] = await Promise.all([startAwsEmulator(), cliMain()]);
  awsEnv = awsEnvFor(aws);
});
test.after.always(async () => {
  await aws?.stop();
});

const put = (name: string, value: string) =>
  aws.store.parameters.putParameter({ Name: name, Value: value, Type: 'SecureString', Overwrite: true });

/** The ndjson lines a child printed, as they arrive; `next(predicate)` waits for the first matching new one. */
function lines(stream: NodeJS.ReadableStream) {
  const all: Record<string, unknown>[] = [];
  let buffer = '';
  const waiters: Array<() => void> = [];
  stream.on('data', (chunk: Buffer | string) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) if (part) all.push(JSON.parse(part));
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    all,
    async until(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      for (;;) {
        const found = all.find(predicate);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

test('change lines name ref and version, never the value; a deletion ends the watch with 66', async (t) => {
  put('/watch/a', 'value-a-1');
  const child = await spawnCli(['watch', '--interval', '100ms', 'aws-ssm:/watch/a'], { env: awsEnv });
  const done = collect(child);
  const out = lines(child.stdout!);
  t.like(await out.until((l) => l.type === 'change'), { type: 'change', ref: 'aws-ssm:/watch/a', version: '1' });
  put('/watch/a', 'value-a-2');
  await out.until((l) => l.version === '2');
  aws.store.parameters.deleteParameter('/watch/a');
  const result = await done;
  t.is(result.code, 66, result.stderr);
  t.like(out.all.at(-1), { type: 'status', state: 'ended', error: 'SecretNotFound' });
  t.false(result.stdout.includes('value-a'));
});

test('--reveal adds the value; SIGINT ends the watch with 130', async (t) => {
  put('/watch/b', 'value-b-1');
  const child = await spawnCli(['watch', '--reveal', '--interval', '100ms', 'aws-ssm:/watch/b'], { env: awsEnv });
  const done = collect(child);
  const out = lines(child.stdout!);
  t.like(await out.until((l) => l.type === 'change'), { value: 'value-b-1' });
  child.kill('SIGINT');
  t.is((await done).code, 130);
});

test.serial('a failing backend turns the watch degraded, then ok again, without ending it', async (t) => {
  put('/watch/c', 'value-c-1');
  const child = await spawnCli(['watch', '--interval', '100ms', 'aws-ssm:/watch/c'], { env: awsEnv });
  const done = collect(child);
  const out = lines(child.stdout!);
  await out.until((l) => l.type === 'change');
  aws.faults.add({ kind: 'internal-error', operation: 'ssm.GetParameters', count: 6 });
  t.like(await out.until((l) => l.state === 'degraded'), { type: 'status', ref: 'aws-ssm:/watch/c' });
  await out.until((l) => l.state === 'ok');
  put('/watch/c', 'value-c-2');
  await out.until((l) => l.version === '2');
  child.kill('SIGINT');
  t.is((await done).code, 130);
});

test('watch … | head -1 ends at the first event after its reader is gone', async (t) => {
  put('/watch/d', 'value-d-1');
  const watcher = await spawnCli(['watch', '--interval', '100ms', 'aws-ssm:/watch/d'], { env: awsEnv });
  const head = spawn('head', ['-1'], { stdio: [watcher.stdout!, 'pipe', 'inherit'] });
  watcher.stdout!.destroy(); // head holds the only read end of the watcher's stdout now
  const headDone = collect(head);
  // head reads the watcher's stdout; this process only waits for the watcher's exit
  const watcherDone = new Promise<number | null>((resolve) => watcher.once('close', (code) => resolve(code)));
  const printed = await headDone;
  t.regex(printed.stdout, /^\{"type":"change","ref":"aws-ssm:\/watch\/d","version":"1"/);
  // head has exited: the next event's write fails (EPIPE) and ends the watch
  put('/watch/d', 'value-d-2');
  t.is(await watcherDone, 0);
});
