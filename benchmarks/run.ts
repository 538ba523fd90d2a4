/**
 * Runs the benchmarks side by side and prints a Markdown table (recorded in benchmarks/README.md).
 * Usage: `npm run bench` (all suites) or `npm run bench -- core`.
 */
import { runAwsBenchmarks } from './aws.bench.js';
import { runAzureBenchmarks } from './azure.bench.js';
import { runCoreBenchmarks } from './core.bench.js';
import { type BenchRow, toMarkdown } from './report.js';
import { runSecretServiceBenchmarks } from './secret-service.bench.js';
import { runOutageBenchmarks } from './watch-outage.bench.js';

const suites: Record<string, () => Promise<BenchRow[]>> = {
  core: runCoreBenchmarks,
  aws: runAwsBenchmarks,
  azure: runAzureBenchmarks,
  'secret-service': runSecretServiceBenchmarks,
  outage: runOutageBenchmarks,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(suites);
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
