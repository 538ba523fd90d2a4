/**
 * What `rxs rm` does (its options and help: commands/rm.ts), loaded only when the command runs.
 * @module
 */
import { lastValueFrom, tap } from 'rxjs';
import { parseSecretRef } from '../../index.js';
import type { CliContext } from '../context.js';
import { confirm } from '../terminal.js';

/** The options of `rxs rm`, as commander parsed them. */
export interface RmOptions {
  force?: boolean;
  yes?: boolean;
}

function stateDocument(ref: string, state: { status: string; done: boolean }): Record<string, unknown> {
  return { ref, status: state.status, done: state.done };
}

/** Runs `rxs rm`; resolves to its exit code. */
export async function rm(context: CliContext, input: string, options: RmOptions): Promise<number> {
  const ref = parseSecretRef(input);
  if (process.stdin.isTTY && process.stderr.isTTY && !options.yes) {
    const what = options.force ? 'Delete (and purge, no recovery)' : 'Delete';
    if (!(await confirm(`${what} ${ref.text}? [y/N] `))) {
      context.note('rxsecrets: nothing deleted');
      return 1;
    }
  }
  const last = await lastValueFrom(
    context.secrets.delete(ref, { ...(options.force ? { force: true } : {}), signal: context.signal }).pipe(
      tap((state) => {
        if (context.ndjson) void context.out.json(stateDocument(ref.text, state));
        else context.note(`${ref.text}: ${state.status}`);
      }),
    ),
  );
  if (context.json) await context.out.json(stateDocument(ref.text, last));
  return 0;
}
