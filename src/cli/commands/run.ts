/**
 * `rxs run [--env NAME=<ref>]… [--env-file F]… [--from <prefix>] [--watch] -- cmd args…`: resolves every ref with
 * one batched read per provider and starts the command with the values in its environment. Without `--watch` and
 * masking it replaces itself with the command (`process.execve`); otherwise it supervises it. Exit codes as GNU
 * env: 125 when rxsecrets fails, 126 the command cannot run, 127 it is not found; else the command's own
 * (128 + N after signal N). `--watch`: on a rotation it fetches first (a failed fetch keeps the child), then
 * restarts the command, signals it, or exits 75.
 * @module
 */
import { constants } from 'node:os';
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { RunOptions } from '../actions/run.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Whether `name` is a signal this system knows (SIGHUP, SIGUSR1…). */
export function isSignal(name: string): name is NodeJS.Signals {
  return /^SIG[A-Z0-9]+$/.test(name) && name in constants.signals;
}

function onChangeOption(value: string): string {
  if (value === 'restart' || value === 'exit') return value;
  if (value.startsWith('signal:') && isSignal(value.slice('signal:'.length))) return value;
  throw new InvalidArgumentError('expected restart, exit or signal:SIGNAME (e.g. signal:SIGHUP)');
}

/** The `run` command. */
export function runCommand() {
  return new Command('run')
    .description('run a command with secrets in its environment (refs: --env NAME=<ref>, rxs:<ref> values)')
    .argument('[command...]', 'the command and its arguments, after --')
    .option('--env <NAME=ref>', 'set NAME to the value of ref (repeatable)', collect, [] as string[])
    .option(
      '--env-file <file>',
      'a dotenv file whose rxs:<ref> values are resolved (repeatable)',
      collect,
      [] as string[],
    )
    .option('--from <prefix>', 'every secret under a prefix, named after its path (upper-cased)')
    .option('--watch', 'keep watching the refs and act on a rotation (--on-change)')
    .option('--interval <duration>', 'poll interval of --watch, e.g. 30s')
    .option('--on-change <action>', 'restart | signal:SIGNAME | exit (exit code 75)', onChangeOption, 'restart')
    .addOption(
      new Option('--mask <when>', "mask values in the command's output (best effort)")
        .choices(['auto', 'always', 'never'] as const)
        .default('auto' as const),
    )
    .option('--splay <duration>', 'wait a random time up to this before a restart', '0')
    .option('--kill-signal <signal>', 'the signal that stops the command for a restart', 'SIGTERM')
    .option('--kill-timeout <duration>', 'then SIGKILL after this', '10s')
    .action(
      action(async (context, command: string[], options: RunOptions) =>
        (await import('../actions/run.js')).run(context, command, options),
      ),
    );
}
