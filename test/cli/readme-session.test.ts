// Runs the README's command line session (the first ```console block under "## Command line") against the AWS
// emulator: each `$ command` through sh with `rxs` on PATH, its stdout compared with the lines that follow it; and
// the section's command table against the CLI's own --help (every command and option it names exists).
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { repoRoot } from '../support/child-process.js';
import { awsEnvFor, cliMain } from '../support/cli.js';

const execFileAsync = promisify(execFile);
let aws: AwsEmulator;
let work: string;

test.before(async () => {
  [aws, work] = await Promise.all([startAwsEmulator(), mkdtemp(join(tmpdir(), 'rxs-readme-'))]);
  await writeFile(join(work, 'rxs'), `#!/bin/sh\nexec "${process.execPath}" "${await cliMain()}" "$@"\n`);
  await chmod(join(work, 'rxs'), 0o755);
});
test.after.always(async () => {
  await aws?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function session(readme: string): Array<{ command: string; expected: string }> {
  const section = readme.slice(readme.indexOf('## Command line'));
  const block = /```console\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const steps: Array<{ command: string; expected: string }> = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), expected: '' });
    else if (line !== '' && steps.length > 0) steps.at(-1)!.expected += `${line}\n`;
  }
  return steps;
}

test('the README command line session prints what the README shows', async (t) => {
  const steps = session(await readFile(join(repoRoot, 'README.md'), 'utf8'));
  t.true(steps.length >= 8, 'the session was found');
  const env = {
    PATH: `${work}:${process.env.PATH}`,
    ...awsEnvFor(aws),
  };
  for (const { command, expected } of steps) {
    const { stdout } = await execFileAsync('sh', ['-c', command], { env, cwd: work });
    t.is(stdout, expected, command);
  }
});

test("every command and option of the README's command table exists in rxs --help and the command's --help", async (t) => {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('### Zero config in code'));
  const rows = section.split('\n').filter((line) => /^\| `[a-z]/.test(line));
  t.true(rows.length >= 10, 'the command table was found');
  const main = await cliMain();
  const help = async (command?: string) =>
    (await execFileAsync(process.execPath, [main, ...(command ? [command] : []), '--help'])).stdout;
  const globalHelp = await help();
  for (const row of rows) {
    const firstCell = row.split(' | ')[0]!;
    const commands = [...firstCell.matchAll(/`([a-z]+)/g)].map((match) => match[1]!);
    const helps = [globalHelp, ...(await Promise.all(commands.map((command) => help(command))))].join('\n');
    for (const command of commands) t.regex(globalHelp, new RegExp(`^  ${command}\\b`, 'm'), command);
    for (const [option] of row.matchAll(/--[a-z][a-z-]*/g)) t.true(helps.includes(option), `${commands}: ${option}`);
  }
});
