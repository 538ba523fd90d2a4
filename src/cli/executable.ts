/**
 * Finding the command `run` starts, as `execvp` would: a name with a slash is a path, any other is looked up on
 * PATH. Not found is exit 127, found but not executable 126 (GNU env's codes).
 * @module
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The command could not be found (127) or cannot be executed (126). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: 126 | 127,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The path of `command`, resolved on `path` (a PATH value) unless it contains a slash. */
export function resolveExecutable(command: string, path: string | undefined): string {
  if (command.includes('/')) {
    if (executable(command)) return command;
    throw exists(command)
      ? new CommandError(`${command}: permission denied`, 126)
      : new CommandError(`${command}: no such file or directory`, 127);
  }
  let denied: string | undefined;
  for (const dir of (path ?? '').split(delimiter)) {
    const candidate = join(dir || '.', command);
    if (executable(candidate)) return candidate;
    if (denied === undefined && exists(candidate) && !statSync(candidate).isDirectory()) denied = candidate;
  }
  if (denied !== undefined) throw new CommandError(`${denied}: permission denied`, 126);
  throw new CommandError(`${command}: command not found`, 127);
}
