#!/usr/bin/env node
/**
 * The `rxsecrets` (`rxs`) command line: parses the arguments, runs one command, prints a failure as one line (or
 * one JSON object with `--json`) on stderr, and exits with a sysexits code.
 * @module
 */
import { CommanderError } from '@commander-js/extra-typings';
import { cliState } from './action.js';
import { ExitCode, errorCodeOf, errorDocument, exitCodeOf } from './exit-codes.js';
import { buildProgram, RUN_USAGE_EXIT } from './program.js';

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return cliState.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed the usage message (or the help / version, exit code 0)
      if (error.exitCode === 0 || error.exitCode === RUN_USAGE_EXIT) return error.exitCode;
      return ExitCode.usage;
    }
    const json = cliState.context?.json === true || cliState.context?.ndjson === true || argv.includes('--json');
    if (json) process.stderr.write(`${JSON.stringify(errorDocument(error))}\n`);
    else process.stderr.write(`rxsecrets: ${(error as Error)?.message ?? String(error)} (${errorCodeOf(error)})\n`);
    return exitCodeOf(error);
  } finally {
    await cliState.context?.close().catch(() => undefined);
  }
}

const code = await main(process.argv);
await Promise.all([flush(process.stdout), flush(process.stderr)]);
process.exit(code);
