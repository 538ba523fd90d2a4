/**
 * Start-up of the `rxsecrets` command line: fresh processes of the compiled CLI (the tests' build) next to what a
 * user at a shell would otherwise run, interleaved in random order per round, median per command. `--version`
 * against `node -e ''` (the floor: Node's own start-up) and the aws CLI's `--version`; one read from the memory
 * provider (a scheme in rxsecrets.config.json); one Parameter Store read against the AWS emulator next to
 * `aws ssm get-parameter`; one keyring read on a private gnome-keyring next to `secret-tool lookup`.
 * An anchor that is not installed is left out (said in the row's note). And where the start-up goes: the import
 * time of rxjs, the core, the providers' own modules and the CLI program, step by step in a fresh process.
 * Run alone: `node --import tsx --import ./benchmarks/use-build.mjs benchmarks/cli.bench.ts` (after `npm run build`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startAwsEmulator } from '../src/emulators/aws/index.js';
import { awsEnvFor, baseEnv, cliMain } from '../test/support/cli.js';
import { installed } from '../test/support/installed.js';
import { startSecretServiceDaemon } from '../test/support/secret-service-daemon.js';
import { type BenchRow, fmt, interleaved, median, toMarkdown } from './report.js';

const exec = promisify(execFile);
const ROUNDS = 15;
const WARMUP = 2;

/** A command line to time: argv and its environment. */
interface Side {
  readonly argv: readonly string[];
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

/** Median wall time (ms) of each side, from spawn to exit; a side that fails stops the benchmark. */
async function timeCommands<K extends string>(sides: Record<K, Side>): Promise<Record<K, number>> {
  const runs = Object.fromEntries(
    Object.entries<Side>(sides).map(([name, side]) => [
      name,
      () =>
        exec(side.argv[0]!, side.argv.slice(1), {
          env: baseEnv(side.env),
          ...(side.cwd ? { cwd: side.cwd } : {}),
        }),
    ]),
  ) as unknown as Record<K, () => Promise<unknown>>;
  const times = await interleaved(runs, ROUNDS, WARMUP);
  return Object.fromEntries(Object.entries<number[]>(times).map(([name, t]) => [name, median(t)])) as Record<K, number>;
}

const ms = (value: number) => `${fmt(value)} ms`;

/**
 * Where the start-up goes: a fresh process imports rxjs, then the core (dist/index.js), then the three providers'
 * own modules (no SDK), then the CLI program, and prints the time of each step; median of each step over `rounds`.
 */
async function importSteps(main: string, rounds: number): Promise<Record<string, number>> {
  const dist = join(main, '..', '..');
  const script = `
    const steps = {};
    let last = performance.now();
    const step = async (name, load) => { await load(); const now = performance.now(); steps[name] = now - last; last = now; };
    await step('rxjs', () => import('rxjs'));
    await step('core', () => import(${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)}));
    await step('providers', () => Promise.all(['aws', 'azure', 'secret-service'].map((p) =>
      import(${JSON.stringify(pathToFileURL(join(dist, 'providers')).href)} + '/' + p + '/index.js'))));
    await step('cli', () => import(${JSON.stringify(pathToFileURL(join(dist, 'cli', 'program.js')).href)}));
    console.log(JSON.stringify(steps));`;
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    // run from the build's folder, whose node_modules resolves rxjs
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: join(dist, '..') });
    for (const [name, time] of Object.entries(JSON.parse(stdout) as Record<string, number>)) {
      samples[name] = [...(samples[name] ?? []), time];
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, times]) => [name, median(times)]));
}

/** Runs the CLI start-up suite. */
export async function runCliBenchmarks(): Promise<BenchRow[]> {
  const rxs = [process.execPath, await cliMain()];
  const floor: Side = { argv: [process.execPath, '-e', ''] };
  const hasAws = installed('aws');
  const hasSecretTool = installed('secret-tool');
  const rows: BenchRow[] = [];
  const work = await mkdtemp(join(tmpdir(), 'rxs-cli-bench-'));
  const aws = await startAwsEmulator();
  try {
    const version = await timeCommands({
      rxs: { argv: [...rxs, '--version'] },
      node: floor,
      ...(hasAws ? { aws: { argv: ['aws', '--version'] } } : {}),
    } as Record<'rxs' | 'node' | 'aws', Side>);
    rows.push({
      suite: 'cli',
      case: `rxs --version, fresh process (median of ${ROUNDS})`,
      rxsecrets: ms(version.rxs),
      alternative: `node -e '' ${ms(version.node)}${hasAws ? `; aws --version ${ms(version.aws)}` : ''}`,
      ratio: `+${ms(version.rxs - version.node)} over Node's own start-up`,
      note: hasAws ? 'aws: the Python aws CLI found on PATH' : 'aws CLI not installed',
    });

    const steps = await importSteps(await cliMain(), ROUNDS);
    rows.push({
      suite: 'cli',
      case: `where the start-up goes: import times in a fresh process, in order (median of ${ROUNDS})`,
      rxsecrets: Object.entries(steps)
        .map(([name, time]) => `${name} ${ms(time)}`)
        .join(', '),
      alternative: '',
      ratio: '',
      note: "providers: the three providers' own modules, no SDK; cli: the program and its commands",
    });

    await writeFile(
      join(work, 'rxsecrets.config.json'),
      JSON.stringify({ schemes: { fixtures: { provider: 'memory', secrets: { 'db/password': 'bench-pw' } } } }),
    );
    const memory = await timeCommands({
      rxs: { argv: [...rxs, 'get', 'fixtures:db/password'], cwd: work },
      node: floor,
    });
    rows.push({
      suite: 'cli',
      case: `rxs get of a memory-provider secret (rxsecrets.config.json), fresh process (median of ${ROUNDS})`,
      rxsecrets: ms(memory.rxs),
      alternative: `node -e '' ${ms(memory.node)}`,
      ratio: `+${ms(memory.rxs - memory.node)} over Node's own start-up`,
      note: 'no SDK, no network: the CLI, the core and the config file',
    });

    aws.store.parameters.putParameter({ Name: '/bench/cli/password', Value: 'bench-pw', Type: 'SecureString' });
    const awsEnv = awsEnvFor(aws);
    const ssm = await timeCommands({
      rxs: { argv: [...rxs, 'get', 'aws-ssm:/bench/cli/password'], env: awsEnv },
      node: floor,
      ...(hasAws
        ? {
            aws: {
              argv: [
                ...['aws', 'ssm', 'get-parameter', '--name', '/bench/cli/password', '--with-decryption'],
                ...['--query', 'Parameter.Value', '--output', 'text', '--endpoint-url', aws.endpoint],
              ],
              // aws CLI v1 takes its region from AWS_DEFAULT_REGION only
              env: { ...awsEnv, AWS_DEFAULT_REGION: aws.region },
            },
          }
        : {}),
    } as Record<'rxs' | 'node' | 'aws', Side>);
    rows.push({
      suite: 'cli',
      case: `rxs get aws-ssm:… (one GetParameters over HTTP to the AWS emulator), fresh process (median of ${ROUNDS})`,
      rxsecrets: ms(ssm.rxs),
      alternative: hasAws ? `aws ssm get-parameter ${ms(ssm.aws)}; node -e '' ${ms(ssm.node)}` : `node ${ms(ssm.node)}`,
      ratio: hasAws ? `${fmt(ssm.aws / ssm.rxs, 1)}× faster than the aws CLI` : '',
      note: 'the SSM client of the AWS SDK loaded on first use',
    });

    if (hasSecretTool) {
      const daemon = await startSecretServiceDaemon();
      try {
        await exec('sh', ['-c', 'printf bench-pw | secret-tool store --label=bench service rxs-bench user cli'], {
          env: daemon.env,
        });
        const keyring = await timeCommands({
          rxs: { argv: [...rxs, 'get', 'secret-service:default?service=rxs-bench&user=cli'], env: daemon.env },
          secretTool: { argv: ['secret-tool', 'lookup', 'service', 'rxs-bench', 'user', 'cli'], env: daemon.env },
          node: floor,
        });
        rows.push({
          suite: 'cli',
          case: `rxs get secret-service:… on a private gnome-keyring, fresh process (median of ${ROUNDS})`,
          rxsecrets: ms(keyring.rxs),
          alternative: `secret-tool lookup ${ms(keyring.secretTool)}; node -e '' ${ms(keyring.node)}`,
          ratio: `${fmt(keyring.rxs / keyring.secretTool, 1)}× secret-tool's time`,
          note: 'secret-tool is C (libsecret): no runtime to start',
        });
      } finally {
        await daemon.stop();
      }
    }
  } finally {
    await aws.stop();
    await rm(work, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(toMarkdown(await runCliBenchmarks()));
}
