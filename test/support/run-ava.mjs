#!/usr/bin/env node
// Runs ava with the TAP reporter, echoes its output, and ends with the closing line CI reads:
// `ava: N passed, N failed, N skipped`. ava's exit code is kept; a crash or a run with no test counts as failed, and
// so does a run with more skipped tests than it expects: `RXSECRETS_MAX_SKIPS` (default 0 under CI, where every suite
// must run; no bound on a contributor's machine, where a suite whose peer is missing skips and says why).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** How many skipped tests this run accepts. */
function maxSkips(env) {
  const configured = env.RXSECRETS_MAX_SKIPS?.trim();
  if (configured !== undefined && configured !== '') {
    const bound = Number(configured);
    if (!Number.isInteger(bound) || bound < 0) {
      console.error(`RXSECRETS_MAX_SKIPS must be a whole number >= 0, got ${JSON.stringify(configured)}`);
      process.exit(2);
    }
    return bound;
  }
  const ci = env.CI?.trim().toLowerCase();
  return ci && ci !== 'false' && ci !== '0' ? 0 : Number.POSITIVE_INFINITY;
}
const skipBound = maxSkips(process.env);
// RXSECRETS_AVA_CLI: a stand-in for ava's CLI, for this wrapper's own tests (test/run-ava.test.ts)
const avaCli = process.env.RXSECRETS_AVA_CLI ?? join(dirname(dirname(require.resolve('ava'))), 'entrypoints', 'cli.js');

const child = spawn(process.execPath, [avaCli, '--tap', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: process.env,
});

let passed = 0;
let failed = 0;
let skipped = 0;
let todo = 0;
let buffered = '';

function count(line) {
  const ok = /^ok \d+/.test(line);
  const notOk = /^not ok \d+/.test(line);
  if (!ok && !notOk) return;
  if (/#\s*TODO\b/i.test(line)) todo += 1;
  else if (/#\s*SKIP\b/i.test(line)) skipped += 1;
  else if (ok) passed += 1;
  else failed += 1;
}

child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  buffered += chunk.toString('utf8');
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) count(line);
});

child.on('close', (code, signal) => {
  if (buffered) count(buffered);
  let exitCode = code ?? 1;
  if (signal) exitCode = 1;
  if (exitCode !== 0 && failed === 0) failed = 1; // a crash is a failure even when no test line said so
  if (passed + failed === 0) {
    console.log('# no test ran: counted as a failure');
    failed = 1;
    exitCode = exitCode || 1;
  }
  if (skipped > skipBound) {
    console.log(
      `# ${skipped} tests skipped, more than the ${skipBound} this run expects (RXSECRETS_MAX_SKIPS): failed`,
    );
    if (failed === 0) failed = 1;
    exitCode = exitCode || 1;
  }
  const todoNote = todo ? ` (${todo} todo)` : '';
  console.log(`\nava: ${passed} passed, ${failed} failed, ${skipped} skipped${todoNote}`);
  process.exit(exitCode);
});
