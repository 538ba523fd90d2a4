/**
 * `rxs set <ref>`: writes a value read from stdin, a file, or a no-echo prompt on a TTY, never from the command
 * line (shell history, `ps`). Prints the new version only.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { firstValueFrom } from 'rxjs';
import type { SecretValue } from '../../index.js';
import { action } from '../action.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { promptHidden, readStdin } from '../terminal.js';
import { infoDocument } from '../values.js';

interface SetOptions {
  file?: string;
  contentType?: string;
  tag: Record<string, string>;
  ifNotExists?: boolean;
}

function collectTag(pair: string, tags: Record<string, string>): Record<string, string> {
  const at = pair.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected key=value');
  return { ...tags, [pair.slice(0, at)]: pair.slice(at + 1) };
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

async function set(context: CliContext, ref: string, options: SetOptions): Promise<number> {
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

/** The `set` command. */
export function setCommand() {
  return new Command('set')
    .description('write a secret from stdin, --file, or a no-echo prompt (never from the command line)')
    .argument('<ref>', 'the secret to write, e.g. aws-ssm:/prod/db/password')
    .option('--file <path>', 'read the value from a file (binary content stays binary)')
    .option('--content-type <type>', 'the content type to store with the value')
    .option('--tag <key=value>', 'a tag (repeatable)', collectTag, {} as Record<string, string>)
    .option('--if-not-exists', 'fail with a conflict (exit 65) when the secret exists')
    .action(action((context, ref: string, options: SetOptions) => set(context, ref, options)));
}
