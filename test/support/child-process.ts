// Runs TypeScript files in a child Node process (through tsx) and reads what they print: for tests about module
// loading, which need a fresh module graph.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `script` (a path from the repo root) with `args` and parses its standard output as JSON. */
export async function runJsonScript<T>(script: string, ...args: string[]): Promise<T> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot });
  return JSON.parse(stdout) as T;
}

/** Every module URL resolved while `entry` (a path from the repo root) runs in a fresh process. */
export function modulesLoadedBy(entry: string): Promise<string[]> {
  return runJsonScript<string[]>('test/support/list-module-loads.mjs', entry);
}
