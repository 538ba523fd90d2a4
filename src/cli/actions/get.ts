/**
 * What `rxs get` does (its options and help: commands/get.ts), loaded only when the command runs.
 * @module
 */
import { firstValueFrom } from 'rxjs';
import { parseSecretRef, type Secret } from '../../index.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { CliContext } from '../context.js';
import { errorDocument, exitCodeOf, UsageError } from '../exit-codes.js';
import { envNameOf, formatPairs, infoDocument, valueBytes, valueText } from '../values.js';

/** The options of `rxs get`, as commander parsed them. */
export interface GetOptions {
  format: 'env' | 'json';
  meta?: boolean;
  base64?: boolean;
  outFile?: string;
}

async function printOne(context: CliContext, secret: Secret, options: GetOptions): Promise<void> {
  if (options.meta) {
    await context.out.line(JSON.stringify(infoDocument(secret), null, context.json ? undefined : 2));
  } else if (options.outFile !== undefined) {
    await writeFileAtomic(options.outFile, valueBytes(secret));
    if (context.json) await context.out.json({ ...infoDocument(secret), file: options.outFile });
  } else if (context.json) {
    await context.out.json({ ...infoDocument(secret), value: valueText(secret, options.base64) });
  } else {
    await context.out.line(valueText(secret, options.base64));
  }
}

/** Runs `rxs get`; resolves to its exit code. */
export async function get(context: CliContext, refs: string[], options: GetOptions): Promise<number> {
  const parsed = refs.map((ref) => parseSecretRef(ref));
  if (options.outFile !== undefined && refs.length > 1) throw new UsageError('--out-file takes a single ref');
  const signal = context.signal;
  if (parsed.length === 1) {
    await printOne(context, await firstValueFrom(context.secrets.get(parsed[0]!, { signal })), options);
    return 0;
  }
  const results = await firstValueFrom(context.secrets.getMany(parsed, { signal }));
  let exitCode = 0;
  const pairs: [string, string][] = [];
  const documents: Record<string, unknown>[] = [];
  for (const result of results) {
    if (!result.ok) {
      exitCode ||= exitCodeOf(result.error);
      if (context.json)
        process.stderr.write(`${JSON.stringify({ ref: result.ref.text, ...errorDocument(result.error) })}\n`);
      else context.note(`rxsecrets: ${result.ref.text}: ${(result.error as Error).message}`);
      continue;
    }
    const { secret } = result;
    if (options.meta) documents.push(infoDocument(secret));
    else if (context.json) documents.push({ ...infoDocument(secret), value: valueText(secret, options.base64) });
    else pairs.push([envNameOf(result.ref), valueText(secret, options.base64)]);
  }
  if (options.meta || context.json)
    await context.out.line(JSON.stringify(documents, null, context.json ? undefined : 2));
  else if (options.format === 'json') await context.out.write(formatPairs(pairs, 'json'));
  else await context.out.write(formatPairs(pairs, 'env'));
  return exitCode;
}
