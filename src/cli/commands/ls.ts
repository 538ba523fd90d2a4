/**
 * `rxs ls <prefix>`: streams a listing page by page as it arrives. When stdout's reader goes away (`| head -1`)
 * paging stops; on a TTY a status line on stderr counts pages, items and time.
 * @module
 */
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { LsOptions } from '../actions/ls.js';

/** Parses a positive integer option value. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive integer');
  return number;
}

/** The `ls` command. */
export function lsCommand() {
  return new Command('ls')
    .description('list the secrets under a prefix (scheme: or scheme:prefix), streamed page by page')
    .argument('<prefix>', "a prefix like aws-ssm:/prod/ or 'azure-kv:'")
    .option('-r, --recursive', 'include nested paths (Parameter Store)')
    .option('--limit <n>', 'stop after n secrets', positiveInteger)
    .option('--versions', 'print the current version beside each ref')
    .action(
      action(async (context, prefix: string, options: LsOptions) =>
        (await import('../actions/ls.js')).ls(context, prefix, options),
      ),
    );
}
