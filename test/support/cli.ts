// Runs the real, compiled command line as a child process. The CLI is compiled once per source state into a temp
// directory named by a hash of src/ and tsconfig.json (a `node_modules` symlink there resolves the dependencies),
// so every test file of one run shares one build; concurrent test processes wait for the first one's build
// (a lock directory), and a stale build is never used. Set RXSECRETS_CLI_DIST to test another build (e.g. dist/).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';
import { repoRoot } from './child-process.js';

const execFileAsync = promisify(execFile);

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.ts')) hash.update(path.slice(repoRoot.length)).update(readFileSync(path));
    }
  };
  walk(join(repoRoot, 'src'));
  hash.update(readFileSync(join(repoRoot, 'tsconfig.json')));
  // the checkout too: two clones with the same sources must not share a build (its paths point into one of them)
  hash.update(repoRoot);
  return hash.digest('hex').slice(0, 16);
}

let built: Promise<string> | undefined;

async function build(): Promise<string> {
  if (process.env.RXSECRETS_CLI_DIST) return join(process.env.RXSECRETS_CLI_DIST, 'cli', 'main.js');
  const home = join(tmpdir(), `rxsecrets-cli-${sourceHash()}`);
  const main = join(home, 'dist', 'cli', 'main.js');
  const ready = join(home, 'ready');
  const lock = `${home}.lock`;
  for (let waited = 0; !existsSync(ready); waited += 250) {
    try {
      mkdirSync(lock);
    } catch {
      // another test process is building: wait for its `ready` marker (at most 5 minutes)
      if (waited > 300_000) throw new Error(`the CLI build in ${home} did not finish; remove ${lock}`);
      await delay(250);
      continue;
    }
    try {
      const staging = `${home}.${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      symlinkSync(join(repoRoot, 'node_modules'), join(staging, 'node_modules'));
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      await execFileAsync(process.execPath, [
        tsc,
        ...['-p', join(repoRoot, 'tsconfig.json'), '--outDir', join(staging, 'dist')],
        ...['--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'],
      ]);
      mkdirSync(join(staging, 'ready'));
      rmSync(home, { recursive: true, force: true });
      renameSync(staging, home);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return main;
}

/** The path of the compiled CLI entry (built on first call). */
export function cliMain(): Promise<string> {
  built ??= build();
  return built;
}

/** What a CLI run left. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface CliOptions {
  /** Variables added to a clean environment (PATH, HOME and the test's own). */
  readonly env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed (default: empty stdin). */
  readonly input?: string | Uint8Array;
  readonly cwd?: string;
}

/** A minimal environment: no RXSECRETS_* or AWS_* variables of the developer's shell leak into a test. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/** Starts the CLI with `args`; the caller owns the child. */
export async function spawnCli(args: readonly string[], options: CliOptions = {}): Promise<ChildProcess> {
  return spawn(process.execPath, [await cliMain(), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: baseEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Runs `rxsecrets args… | reader` through `sh` (a real pipeline: the CLI's stdout is a pipe whose reader may leave
 * early, as `head -1` does) and collects the pipeline's output.
 */
export async function runCliPiped(
  args: readonly string[],
  reader: string,
  options: Omit<CliOptions, 'input'> = {},
): Promise<CliResult> {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, await cliMain(), ...args].map(quote).join(' ');
  const child = spawn('sh', ['-c', `${command} | ${reader}`], {
    cwd: options.cwd ?? repoRoot,
    env: baseEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return collect(child);
}

/** Runs the CLI to its end and collects its output. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const child = await spawnCli(args, options);
  return collect(child, options.input);
}

/** Collects a child's output until it exits. */
export function collect(child: ChildProcess, input?: string | Uint8Array): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The environment that points the CLI (through the AWS SDK's own variables) at an AWS emulator. */
export function awsEnvFor(aws: AwsEmulator): Record<string, string> {
  const { accessKeyId, secretAccessKey } = aws.clientConfig().credentials;
  return {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
  };
}
