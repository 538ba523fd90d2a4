/**
 * Runs a command's action with a {@link CliContext}: SIGINT and SIGTERM abort its operations (a second SIGINT
 * exits at once with 130), the client is closed afterwards, and the exit code is recorded for `main`. The context,
 * and with it the client and rxjs, is loaded only when an action runs: `--help`, `--version` and `completion` never
 * load them.
 * @module
 */
import type { CliContext } from './context.js';
import { ExitCode } from './exit-codes.js';

/** What `main` reads after the command ran. */
export const cliState: { exitCode: number; context: CliContext | undefined } = { exitCode: 0, context: undefined };

/** Interrupt handling a command may take over (`run` forwards signals to its child instead). */
export const interrupts = {
  handler: (signal: NodeJS.Signals, context: CliContext): void => {
    if (context.signal.aborted) process.exit(signal === 'SIGINT' ? ExitCode.interrupted : 128 + 15);
    const error = new Error(`interrupted by ${signal}`);
    error.name = 'AbortError';
    context.abort(error);
  },
};

/** Wraps a command body `(context, ...commander arguments) => exit code`. */
export function action<A extends unknown[]>(
  body: (context: CliContext, ...args: A) => Promise<number | undefined>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const { CliContext, globalsOf } = await import('./context.js');
    const context = new CliContext(globalsOf(args.at(-1)));
    cliState.context = context;
    const onSignal = (signal: NodeJS.Signals) => interrupts.handler(signal, context);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      cliState.exitCode = (await body(context, ...args)) ?? ExitCode.ok;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}
