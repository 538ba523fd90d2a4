/**
 * Runs the benchmarks side by side and prints a Markdown table (recorded in benchmarks/README.md).
 * Usage: `npm run bench` (all suites) or `npm run bench -- core`; `azure-watch` is the Key Vault watch row alone.
 */
import { runAwsBenchmarks } from './aws.bench.js';
import { watchCost as keyVaultWatchCost, runAzureBenchmarks } from './azure.bench.js';
import { runCliBenchmarks } from './cli.bench.js';
import { runCoreBenchmarks } from './core.bench.js';
import { runFleetBenchmarks } from './fleet.bench.js';
import { type BenchRow, toMarkdown } from './report.js';
import { runSecretServiceBenchmarks } from './secret-service.bench.js';
import { runOutageBenchmarks } from './watch-outage.bench.js';

const suites: Record<string, () => Promise<BenchRow[]>> = {
  core: runCoreBenchmarks,
  aws: runAwsBenchmarks,
  azure: runAzureBenchmarks,
  'azure-watch': async () => [await keyVaultWatchCost()],
  'secret-service': runSecretServiceBenchmarks,
  outage: runOutageBenchmarks,
  fleet: runFleetBenchmarks,
  cli: runCliBenchmarks,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  // `azure-watch` is part of `azure`: run on its own only when asked for.
  const names = wanted.length > 0 ? wanted : Object.keys(suites).filter((name) => name !== 'azure-watch');
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
