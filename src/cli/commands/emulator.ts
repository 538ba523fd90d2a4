/**
 * `rxs emulator aws|key-vault`: starts a bundled emulator in this process and prints the environment that points
 * the CLI (and the SDKs) at it, as `export` lines (or one JSON document with `--json`); runs until SIGINT/SIGTERM.
 * @module
 */
import { Argument, Command } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { EmulatorOptions } from '../actions/emulator.js';
import { positiveInteger } from './ls.js';

/** The `emulator` command. */
export function emulatorCommand() {
  return new Command('emulator')
    .description('start a bundled emulator (AWS or Key Vault) and print the environment that points rxsecrets at it')
    .addArgument(new Argument('<kind>', 'which emulator').choices(['aws', 'key-vault'] as const))
    .option('--port <port>', 'listen on this port (default: a free one)', positiveInteger)
    .action(
      action(async (context, kind: 'aws' | 'key-vault', options: EmulatorOptions) =>
        (await import('../actions/emulator.js')).emulator(context, kind, options),
      ),
    );
}
