// Whether a program is on PATH (for tests, demos and benchmarks that use system tools when present).
import { execFileSync } from 'node:child_process';

/** Whether `binary` is found on PATH. */
export function installed(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
