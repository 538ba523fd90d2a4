// `rxs completion` and `rxs doctor` as child processes.
import { execFile } from 'node:child_process';
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
  t.regex((await runCli(['completion', 'fish'])).stdout, /complete -c rxs .* -a watch/);
  t.regex((await runCli(['completion', 'zsh'])).stdout, /bashcompinit/);
  t.is((await runCli(['completion', 'tcsh'])).code, 64);
});

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
