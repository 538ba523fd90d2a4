/**
 * `rxs get <ref>…`: one ref prints its value; several are read with one batched `getMany` and printed as
 * `--format env|json`. `--meta` prints metadata only; binary values need `--base64` or `--out-file`.
 * @module
 */
import { Command, Option } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { GetOptions } from '../actions/get.js';

/** The `get` command. */
export function getCommand() {
  return new Command('get')
    .description('print the value of a secret; several refs are read in one batch per provider')
    .argument('<refs...>', 'refs like aws-sm:prod/db#password')
    .addOption(
      new Option('--format <format>', 'how several values are printed')
        .choices(['env', 'json'] as const)
        .default('env' as const),
    )
    .option('--meta', 'print metadata (version, dates, tags), never the value')
    .option('--base64', 'print the value base64-encoded (needed for binary values)')
    .option('--out-file <path>', 'write the value to a file (mode 0600, atomic replace) instead of stdout')
    .action(
      action(async (context, refs: string[], options: GetOptions) =>
        (await import('../actions/get.js')).get(context, refs, options),
      ),
    );
}
