// The CLI on a real terminal (a tmux pane on a private tmux server): the no-echo `set` prompt, the `rm`
// confirmation, and the `ls` status line on stderr (absent with CI set). Skipped when tmux is not installed
// (.ci/run installs it).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import test from 'ava';
import { shellQuote } from '../../src/cli/values.js';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { awsEnvFor, cliMain } from '../support/cli.js';

const execFileAsync = promisify(execFile);
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();
const tmuxTest = hasTmux ? test.serial : test.skip;

let aws: AwsEmulator;
let work: string;
let socket: string;
let rxs: string;
let envPrefix: string;

test.before(async () => {
  [aws, work] = await Promise.all([startAwsEmulator(), mkdtemp(join(tmpdir(), 'rxs-tty-'))]);
  socket = join(work, 'tmux.sock');
  rxs = `${shellQuote(process.execPath)} ${shellQuote(await cliMain())}`;
  const env = {
    ...awsEnvFor(aws),
    TERM: 'xterm',
  };
  envPrefix = `env -u CI ${Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ')}`;
});
test.after.always(async () => {
  if (hasTmux && socket) await execFileAsync('tmux', ['-S', socket, 'kill-server']).catch(() => undefined);
  await aws?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const tmux = (...args: string[]) => execFileAsync('tmux', ['-S', socket, ...args]);

/** Starts `script` in a new pane; all the pane's raw output is logged to a file from the first byte. */
async function pane(
  name: string,
  script: string,
): Promise<{ log: () => Promise<string>; until: (text: string) => Promise<string> }> {
  const logFile = join(work, `${name}.log`);
  await writeFile(logFile, '');
  await tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '150',
    '-y',
    '40',
    `sh -c ${shellQuote(`read go; ${script}; echo "exit $?"; read done`)}`,
  );
  await tmux('pipe-pane', '-t', name, `cat >> ${shellQuote(logFile)}`);
  await tmux('send-keys', '-t', name, 'Enter');
  const log = () => readFile(logFile, 'utf8');
  return {
    log,
    // a terminal gives no event to wait on: poll the log (bounded by ava's timeout)
    async until(text) {
      for (;;) {
        const current = await log();
        if (current.includes(text)) return current;
        await delay(50);
      }
    },
  };
}

tmuxTest('set asks for the value on the terminal without echoing it', async (t) => {
  const session = await pane('set', `${envPrefix} ${rxs} set aws-ssm:/tty/typed`);
  await session.until('value (not echoed): ');
  await tmux('send-keys', '-t', 'set', '-l', 'typed-secret-42');
  await tmux('send-keys', '-t', 'set', 'Enter');
  const log = await session.until('exit ');
  t.regex(log, /exit 0/);
  t.false(log.includes('typed-secret-42'));
  t.is(aws.store.parameters.getParameter('/tty/typed').value, 'typed-secret-42');
});

tmuxTest('rm asks for confirmation on a terminal: no keeps the secret (exit 1), yes deletes it', async (t) => {
  aws.store.parameters.putParameter({ Name: '/tty/doomed', Value: 'v', Type: 'String' });
  const keep = await pane('keep', `${envPrefix} ${rxs} rm aws-ssm:/tty/doomed`);
  await keep.until('[y/N]');
  await tmux('send-keys', '-t', 'keep', 'n', 'Enter');
  t.regex(await keep.until('exit '), /nothing deleted[\s\S]*exit 1/);
  const yes = await pane('yes', `${envPrefix} ${rxs} rm aws-ssm:/tty/doomed`);
  await yes.until('[y/N]');
  await tmux('send-keys', '-t', 'yes', 'y', 'Enter');
  t.regex(await yes.until('exit '), /deleted[\s\S]*exit 0/);
  t.throws(() => aws.store.parameters.getParameter('/tty/doomed'));
});

tmuxTest('ls shows a status line on a terminal stderr, and none with CI set', async (t) => {
  for (let i = 0; i < 25; i++)
    aws.store.parameters.putParameter({ Name: `/tty/list/p${i}`, Value: 'v', Type: 'String' });
  const out = join(work, 'ls.out');
  const shown = await pane('ls', `${envPrefix} ${rxs} ls aws-ssm:/tty/list/ > ${shellQuote(out)}`);
  const log = await shown.until('exit ');
  t.regex(log, /ls aws-ssm:\/tty\/list\/: 3 pages, 25 items, \d+\.\ds/);
  t.is((await readFile(out, 'utf8')).split('\n').length - 1, 25);
  const quiet = await pane(
    'ls-ci',
    `CI=true ${envPrefix.replace('env -u CI', 'env')} ${rxs} ls aws-ssm:/tty/list/ > ${shellQuote(out)}`,
  );
  t.notRegex(await quiet.until('exit '), /items/);
});
