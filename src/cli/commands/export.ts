/**
 * `rxs export <prefix|ref…>`: name/value pairs for a shell or a file. A single argument ending in `/` or `:` is a
 * prefix (listed with values, names relative to it); otherwise the refs are read in one batch per provider.
 * @module
 */
import { Command, Option } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { Format } from '../actions/export.js';

/** The `export` command. */
export function exportCommand() {
  return new Command('export')
    .description('print secrets as dotenv, json or shell exports (names from the refs, upper-cased)')
    .argument('<prefix-or-refs...>', "a prefix ending in '/' or ':', or refs")
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['dotenv', 'json', 'shell'] as const)
        .default('dotenv' as const),
    )
    .action(
      action(async (context, args: string[], options: { format: Format }) =>
        (await import('../actions/export.js')).exportSecrets(context, args, options),
      ),
    );
}
