/**
 * What `rxs set` does (its options and help: commands/set.ts), loaded only when the command runs.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { firstValueFrom } from 'rxjs';
import type { SecretValue } from '../../index.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { promptHidden, readStdin } from '../terminal.js';
import { infoDocument } from '../values.js';

/** The options of `rxs set`, as commander parsed them. */
export interface SetOptions {
  file?: string;
  contentType?: string;
  tag: Record<string, string>;
  ifNotExists?: boolean;
}

/** Bytes that are valid UTF-8 become text; anything else stays binary. */
function decode(bytes: Buffer): SecretValue {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return Buffer.from(text, 'utf8').equals(bytes) ? text : new Uint8Array(bytes);
}

async function readValue(options: SetOptions): Promise<SecretValue> {
  if (options.file !== undefined) return decode(await readFile(options.file));
  if (process.stdin.isTTY) {
    const value = await promptHidden('value (not echoed): ');
    if (value === '') throw new UsageError('empty value: nothing written');
    return value;
  }
  // `echo value | rxs set …`: one trailing newline is the shell's, not the value's
  const bytes = await readStdin();
  const trimmed = bytes.at(-1) === 0x0a ? bytes.subarray(0, bytes.at(-2) === 0x0d ? -2 : -1) : bytes;
  return decode(trimmed);
}

/** Runs `rxs set`; resolves to its exit code. */
export async function set(context: CliContext, ref: string, options: SetOptions): Promise<number> {
  const value = await readValue(options);
  const info = await firstValueFrom(
    context.secrets.set(ref, value, {
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
      ...(Object.keys(options.tag).length === 0 ? {} : { tags: options.tag }),
      ...(options.ifNotExists ? { ifNotExists: true } : {}),
      signal: context.signal,
    }),
  );
  if (context.json) await context.out.json(infoDocument(info));
  else await context.out.line(info.version ?? '');
  return 0;
}
