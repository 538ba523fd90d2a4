// `rxs completion` (each script run by its real shell: bash, zsh, fish) and `rxs doctor`, as child processes.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { awsEnvFor, cliMain, runCli } from '../support/cli.js';

const execFileAsync = promisify(execFile);
let aws: AwsEmulator;
let work: string;

test.before(async () => {
  [aws, work] = await Promise.all([startAwsEmulator(), mkdtemp(join(tmpdir(), 'rxs-cli-tools-')), cliMain()]).then(
    ([emulator, dir]) => [emulator, dir] as const,
  );
});
test.after.always(async () => {
  await aws?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('completion bash completes commands and their options in a real bash', async (t) => {
  const script = join(work, 'rxs.bash');
  await writeFile(script, (await runCli(['completion', 'bash'])).stdout);
  const complete = async (words: string) => {
    const { stdout } = await execFileAsync('bash', [
      '-c',
      `source ${script}; COMP_WORDS=(${words}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _rxsecrets; echo "\${COMPREPLY[*]}"`,
    ]);
    return stdout.trim();
  };
  t.is(await complete('rxs ver'), 'versions');
  t.is(await complete('rxs get --out'), '--out-file');
  t.is((await runCli(['completion', 'tcsh'])).code, 64);
});

const has = (shell: string) => {
  try {
    execFileSync(shell, ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
};
// .ci/run installs zsh and fish: in CI these run (RXSECRETS_MAX_SKIPS=0 fails a skip)
const zshTest = has('zsh') ? test : test.skip;
const fishTest = has('fish') ? test : test.skip;

zshTest(
  'completion zsh: valid zsh that registers rxs and rxsecrets, and completes the options of a command',
  async (t) => {
    const script = join(work, 'rxs.zsh');
    await writeFile(script, (await runCli(['completion', 'zsh'])).stdout);
    await execFileAsync('zsh', ['-n', script]);
    // sourced in a bare zsh (no compinit in a zshrc: -f), as bashcompinit calls it: arrays from 0 (ksharrays)
    const { stdout, stderr } = await execFileAsync('zsh', [
      '-f',
      '-c',
      `source ${script}; echo "$_comps[rxs]|$_comps[rxsecrets]"; setopt ksharrays; COMP_WORDS=(rxs get --out); COMP_CWORD=2; _rxsecrets; echo "\${COMPREPLY[*]}"`,
    ]);
    t.is(stderr, '');
    const [registered, words] = stdout.trim().split('\n');
    t.is(registered, '_bash_complete -o default -F _rxsecrets|_bash_complete -o default -F _rxsecrets');
    // zsh filters by the typed prefix itself: the candidates are the options of `get` and the global ones
    t.true(words!.split(' ').includes('--out-file'), words);
    t.false(words!.split(' ').includes('--recursive'), words);
  },
);

fishTest(
  'completion fish: valid fish that completes commands with their descriptions, and their options',
  async (t) => {
    const script = join(work, 'rxs.fish');
    await writeFile(script, (await runCli(['completion', 'fish'])).stdout);
    await execFileAsync('fish', ['--no-execute', script]);
    const complete = async (line: string) =>
      (await execFileAsync('fish', ['-c', `source ${script}; complete -C '${line}'`])).stdout.trim().split('\n');
    t.deepEqual(await complete('rxs ver'), [
      'versions\tlist the versions of a secret (version and creation time), lazily',
    ]);
    t.true((await complete('rxsecrets get --out')).includes('--out-file'));
    t.false((await complete('rxs get --rec')).includes('--recursive'));
    t.true((await complete('rxs ls --rec')).includes('--recursive'));
  },
);

test('doctor names where settings and credentials come from (never a credential) and probes each scheme', async (t) => {
  const env = awsEnvFor(aws);
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY as string;
  const result = await runCli(['doctor', '--json'], { env, cwd: work });
  t.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  const ssm = report.schemes.find((s: { scheme: string }) => s.scheme === 'aws-ssm');
  t.like(ssm, { provider: 'aws-ssm', credentials: 'environment (AWS_ACCESS_KEY_ID)', probe: { ok: true } });
  t.regex(report.schemes.find((s: { scheme: string }) => s.scheme === 'azure-kv').probe.skipped, /no vault URL/);
  t.false(result.stdout.includes(secretAccessKey));
  const down = await runCli(['doctor'], { env: { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, cwd: work });
  t.is(down.code, 69);
  t.regex(down.stdout, /aws-ssm: \(aws-ssm, built-in\)[\s\S]*probe: FAILED/);
  t.false(down.stdout.includes(secretAccessKey));
});
