/**
 * `rxs rm <ref>`: deletes a secret, asking first on a TTY unless `--yes`; the operation's states (Key Vault's
 * poller: deleting … deleted) go to stderr, or to stdout as ndjson with `--ndjson`.
 * @module
 */
import { Command } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { RmOptions } from '../actions/rm.js';

/** The `rm` command. */
export function rmCommand() {
  return new Command('rm')
    .description('delete a secret (asks on a terminal unless --yes)')
    .argument('<ref>', 'the secret to delete')
    .option('--force', 'delete without a recovery window (Secrets Manager), or purge after deleting (Key Vault)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(async (context, ref: string, options: RmOptions) =>
        (await import('../actions/rm.js')).rm(context, ref, options),
      ),
    );
}
