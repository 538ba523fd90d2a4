/**
 * `rxs set <ref>`: writes a value read from stdin, a file, or a no-echo prompt on a TTY, never from the command
 * line (shell history, `ps`). Prints the new version only.
 * @module
 */
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { SetOptions } from '../actions/set.js';

function collectTag(pair: string, tags: Record<string, string>): Record<string, string> {
  const at = pair.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected key=value');
  return { ...tags, [pair.slice(0, at)]: pair.slice(at + 1) };
}

/** The `set` command. */
export function setCommand() {
  return new Command('set')
    .description('write a secret from stdin, --file, or a no-echo prompt (never from the command line)')
    .argument('<ref>', 'the secret to write, e.g. aws-ssm:/prod/db/password')
    .option('--file <path>', 'read the value from a file (binary content stays binary)')
    .option('--content-type <type>', 'the content type to store with the value')
    .option('--tag <key=value>', 'a tag (repeatable)', collectTag, {} as Record<string, string>)
    .option('--if-not-exists', 'fail with a conflict (exit 65) when the secret exists')
    .action(
      action(async (context, ref: string, options: SetOptions) =>
        (await import('../actions/set.js')).set(context, ref, options),
      ),
    );
}
