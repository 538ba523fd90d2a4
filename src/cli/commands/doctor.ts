/**
 * `rxs doctor`: per scheme, the provider that serves it, where its configuration and credentials come from (the
 * names of variables and files, never their values), and one cheap probe (the first page of a listing, no retry,
 * 10 s at most). Exit 0 when every probe that ran passed, 69 otherwise.
 * @module
 */
import { Command } from '@commander-js/extra-typings';
import { action } from '../action.js';

/** The `doctor` command. */
export function doctorCommand() {
  return new Command('doctor')
    .description('per scheme: the provider, where its settings and credentials come from, and one cheap probe')
    .option('--no-probe', 'only show the configuration')
    .action(
      action(async (context, options: { probe: boolean }) =>
        (await import('../actions/doctor.js')).doctor(context, options),
      ),
    );
}
