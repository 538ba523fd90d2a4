/**
 * What `rxs export` does (its options and help: commands/export.ts), loaded only when the command runs.
 * @module
 */
import { firstValueFrom } from 'rxjs';
import { parseSecretPrefix } from '../../index.js';
import type { CliContext } from '../context.js';
import { exitCodeOf } from '../exit-codes.js';
import { envNameOf, formatPairs, valueText } from '../values.js';

/** The output formats of `rxs export`. */
export type Format = 'dotenv' | 'json' | 'shell';

/** Whether an argument names a prefix rather than one secret. */
export function isPrefix(argument: string): boolean {
  return argument.endsWith('/') || argument.endsWith(':');
}

/** Runs `rxs export`; resolves to its exit code. */
export async function exportSecrets(context: CliContext, args: string[], options: { format: Format }): Promise<number> {
  const pairs: [string, string][] = [];
  let exitCode = 0;
  if (args.length === 1 && isPrefix(args[0]!)) {
    const prefix = parseSecretPrefix(args[0]!);
    const listing = context.secrets.list(args[0]!, { withValues: true, recursive: true, signal: context.signal });
    for await (const secret of listing) pairs.push([envNameOf(secret, prefix.name), valueText(secret)]);
  } else {
    const results = await firstValueFrom(context.secrets.getMany(args, { signal: context.signal }));
    for (const result of results) {
      if (result.ok) pairs.push([envNameOf(result.ref), valueText(result.secret)]);
      else {
        exitCode ||= exitCodeOf(result.error);
        context.note(`rxsecrets: ${result.ref.text}: ${(result.error as Error).message}`);
      }
    }
  }
  if (exitCode !== 0) return exitCode;
  await context.out.write(formatPairs(pairs, context.json ? 'json' : options.format));
  return 0;
}
