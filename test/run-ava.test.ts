// The wrapper CI reads (test/support/run-ava.mjs): its closing line, and the skip bound that keeps a suite whose
// peer is missing from passing silently under CI. A stand-in for ava prints the TAP of one passing and one skipped
// test (ava's real output goes through the wrapper on every run of the suite).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs the wrapper on the fixture with an environment of its own (no CI or bound inherited from this run). */
function runWrapper(env: Record<string, string>): Promise<{ code: number; lastLine: string; stdout: string }> {
  const { CI: _ci, RXSECRETS_MAX_SKIPS: _bound, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['test/support/run-ava.mjs'],
      { cwd: root, env: { ...inherited, RXSECRETS_AVA_CLI: 'test/fixtures/run-ava/fake-ava.mjs', ...env } },
      (error, stdout) => {
        const lines = stdout.trimEnd().split('\n');
        resolve({ code: (error as { code?: number } | null)?.code ?? 0, lastLine: lines.at(-1) ?? '', stdout });
      },
    );
  });
}

test('on a contributor machine a skip is reported, not failed', async (t) => {
  const run = await runWrapper({});
  t.is(run.lastLine, 'ava: 1 passed, 0 failed, 1 skipped');
  t.is(run.code, 0);
});

test('under CI a skip beyond the bound (default 0) fails the run, in the closing line too', async (t) => {
  const run = await runWrapper({ CI: 'true' });
  t.is(run.lastLine, 'ava: 1 passed, 1 failed, 1 skipped');
  t.is(run.code, 1);
  t.regex(run.stdout, /1 tests skipped, more than the 0 this run expects \(RXSECRETS_MAX_SKIPS\)/);
});

test('RXSECRETS_MAX_SKIPS sets the bound; a bad value is refused', async (t) => {
  const allowed = await runWrapper({ CI: 'true', RXSECRETS_MAX_SKIPS: '1' });
  t.is(allowed.lastLine, 'ava: 1 passed, 0 failed, 1 skipped');
  t.is(allowed.code, 0);
  const bad = await runWrapper({ RXSECRETS_MAX_SKIPS: 'some' });
  t.is(bad.code, 2);
});

test('a crash with no test line is a failure', async (t) => {
  const run = await runWrapper({ FAKE_AVA: 'crash' });
  t.is(run.lastLine, 'ava: 0 passed, 1 failed, 0 skipped');
  t.is(run.code, 1);
});
