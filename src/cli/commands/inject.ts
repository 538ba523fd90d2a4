/**
 * `rxs inject -i template [-o out]`: renders `{{ <ref> }}` placeholders (every ref read in one batch per provider)
 * to stdout or, with `-o`, to a file written atomically (temp + rename) with mode 0600. `--watch` renders again on
 * every rotation (fetching first: a failed read keeps the old file) and then runs `--on-change`:
 * `signal:PID:SIG` signals a process, `exec:CMD` runs a shell command.
 * @module
 */
import { constants } from 'node:os';
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { InjectOptions } from '../actions/inject.js';

function onChangeOption(value: string): string {
  const signal = /^signal:\d+:(SIG[A-Z0-9]+)$/.exec(value)?.[1];
  if ((signal !== undefined && signal in constants.signals) || /^exec:.+/.test(value)) return value;
  throw new InvalidArgumentError('expected signal:PID:SIGNAME or exec:COMMAND');
}

/** The `inject` command. */
export function injectCommand() {
  return new Command('inject')
    .description('render {{ <ref> }} placeholders of a template to stdout or a file (atomic, mode 0600)')
    .requiredOption('-i, --in <template>', 'the template file')
    .option('-o, --out <file>', 'write here (atomically, mode 0600) instead of stdout')
    .option('--watch', 'render again whenever a secret rotates (needs -o)')
    .option('--interval <duration>', 'poll interval of --watch')
    .option('--on-change <action>', 'after a rewrite: signal:PID:SIGNAME or exec:COMMAND', onChangeOption)
    .action(
      action(async (context, options: InjectOptions) =>
        (await import('../actions/inject.js')).inject(context, options),
      ),
    );
}
