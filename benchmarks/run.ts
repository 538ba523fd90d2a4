/**
 * Runs the benchmarks side by side and prints a Markdown table (recorded in benchmarks/README.md).
 * Usage: `npm run bench` (all suites) or `npm run bench -- core`; `azure-watch` is the Key Vault watch row alone,
 * `azure-reads` its listing-with-values and getMany rows.
 */

import { startAwsEmulator } from '../src/emulators/aws/index.js';
import { cachedGetThroughput, runAwsBenchmarks } from './aws.bench.js';
import { watchCost as keyVaultWatchCost, runAzureBenchmarks } from './azure.bench.js';
import { keyVaultCpuPerRead } from './azure-cpu.bench.js';
import { runKeyVaultReadBenchmarks } from './azure-reads.bench.js';
import { runCliBenchmarks } from './cli.bench.js';
import { runCoreBenchmarks } from './core.bench.js';
import { runFleetBenchmarks } from './fleet.bench.js';
import { runHeapBenchmarks } from './heap.bench.js';
import { type BenchRow, toMarkdown } from './report.js';
import { runSecretServiceBenchmarks } from './secret-service.bench.js';
import { runOutageBenchmarks } from './watch-outage.bench.js';

const suites: Record<string, () => Promise<BenchRow[]>> = {
  core: runCoreBenchmarks,
  aws: runAwsBenchmarks,
  'aws-cached': async () => {
    const emulator = await startAwsEmulator();
    try {
      return [await cachedGetThroughput(emulator)];
    } finally {
      await emulator.stop();
    }
  },
  azure: runAzureBenchmarks,
  'azure-watch': async () => [await keyVaultWatchCost()],
  'azure-reads': runKeyVaultReadBenchmarks,
  'azure-cpu': async () => [await keyVaultCpuPerRead()],
  'secret-service': runSecretServiceBenchmarks,
  outage: runOutageBenchmarks,
  fleet: runFleetBenchmarks,
  heap: runHeapBenchmarks,
  cli: runCliBenchmarks,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  // `azure-watch`, `azure-reads` and `azure-cpu` are part of `azure`, `aws-cached` of `aws`: run on their own only when asked for.
  const parts = new Set(['azure-watch', 'azure-reads', 'azure-cpu', 'aws-cached']);
  const names = wanted.length > 0 ? wanted : Object.keys(suites).filter((name) => !parts.has(name));
  const rows: BenchRow[] = [];
  for (const name of names) {
    const suite = suites[name];
    if (!suite) throw new Error(`unknown suite '${name}' (known: ${Object.keys(suites).join(', ')})`);
    console.error(`running ${name}…`);
    rows.push(...(await suite()));
  }
  console.log(`Node ${process.version}, ${new Date().toISOString()}\n`);
  console.log(toMarkdown(rows));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
