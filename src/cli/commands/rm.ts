/**
 * `rxs rm <ref>`: deletes a secret, asking first on a TTY unless `--yes`; the operation's states (Key Vault's
 * poller: deleting … deleted) go to stderr, or to stdout as ndjson with `--ndjson`.
 * @module
 */
import { Command } from '@commander-js/extra-typings';
import { lastValueFrom, tap } from 'rxjs';
import { parseSecretRef } from '../../index.js';
import { action } from '../action.js';
import type { CliContext } from '../context.js';
import { confirm } from '../terminal.js';

interface RmOptions {
  force?: boolean;
  yes?: boolean;
}

function stateDocument(ref: string, state: { status: string; done: boolean }): Record<string, unknown> {
  return { ref, status: state.status, done: state.done };
}

async function rm(context: CliContext, input: string, options: RmOptions): Promise<number> {
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

/** The `rm` command. */
export function rmCommand() {
  return new Command('rm')
    .description('delete a secret (asks on a terminal unless --yes)')
    .argument('<ref>', 'the secret to delete')
    .option('--force', 'delete without a recovery window (Secrets Manager), or purge after deleting (Key Vault)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(action((context, ref: string, options: RmOptions) => rm(context, ref, options)));
}
