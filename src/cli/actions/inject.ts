/**
 * What `rxs inject` does (its options and help: commands/inject.ts), loaded only when the command runs.
 * @module
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { firstValueFrom } from 'rxjs';
import { parseSecretRef } from '../../index.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { CliContext } from '../context.js';
import { ExitCode, errorCodeOf, UsageError } from '../exit-codes.js';
import { valueText } from '../values.js';
import { watchChanges } from '../watch-changes.js';

/** The options of `rxs inject`, as commander parsed them. */
export interface InjectOptions {
  in: string;
  out?: string;
  watch?: boolean;
  interval?: string;
  onChange?: string;
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The refs of a template's placeholders, each once, in order of appearance. */
export function templateRefs(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

async function render(context: CliContext, template: string, refs: string[], fresh: boolean): Promise<string> {
  const results = await firstValueFrom(context.secrets.getMany(refs, { signal: context.signal, fresh }));
  const values = new Map<string, string>();
  for (const [index, result] of results.entries()) {
    if (!result.ok) throw result.error;
    values.set(refs[index]!, valueText(result.secret));
  }
  return template.replace(PLACEHOLDER, (_match, ref: string) => values.get(ref)!);
}

async function emit(context: CliContext, text: string, out: string | undefined): Promise<void> {
  if (out === undefined) await context.out.write(text);
  else await writeFileAtomic(out, text);
}

function runOnChange(context: CliContext, onChange: string | undefined): void {
  if (onChange === undefined) return;
  if (onChange.startsWith('signal:')) {
    const [, pid, signal] = onChange.split(':');
    try {
      process.kill(Number(pid), signal as NodeJS.Signals);
    } catch (error) {
      context.note(`rxsecrets inject: cannot signal ${pid}: ${(error as Error).message}`);
    }
    return;
  }
  const child = spawn('/bin/sh', ['-c', onChange.slice('exec:'.length)], { stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('error', (error) => context.note(`rxsecrets inject: --on-change failed: ${error.message}`));
}

/** Runs `rxs inject`; resolves to its exit code. */
export async function inject(context: CliContext, options: InjectOptions): Promise<number> {
  const template = await readFile(options.in, 'utf8').catch((error: Error) => {
    throw new UsageError(`cannot read the template ${options.in}: ${error.message}`);
  });
  const refs = templateRefs(template);
  for (const ref of refs) parseSecretRef(ref);
  if (options.watch && options.out === undefined) throw new UsageError('--watch needs -o (a file to rewrite)');
  let current = await render(context, template, refs, false);
  await emit(context, current, options.out);
  if (!options.watch || refs.length === 0) return 0;

  const watchOptions = {
    signal: context.signal,
    ...(options.interval === undefined ? {} : { interval: options.interval as never }),
  };
  const rerender = async () => {
    try {
      const next = await render(context, template, refs, true);
      if (next === current) return;
      current = next;
      await emit(context, next, options.out);
      context.note(`rxsecrets inject: ${options.out} rewritten`);
      runOnChange(context, options.onChange);
    } catch (error) {
      if (!context.signal.aborted)
        context.note(
          `rxsecrets inject: a secret changed but could not be read; ${options.out} kept (${errorCodeOf(error)})`,
        );
    }
  };
  await new Promise<void>((resolve) => {
    const subscription = watchChanges(context.secrets, refs, watchOptions, rerender, (error) => {
      if (!context.signal.aborted) context.note(`rxsecrets inject: watching stopped (${errorCodeOf(error)})`);
      resolve();
    });
    context.signal.addEventListener('abort', () => {
      subscription.unsubscribe();
      resolve();
    });
  });
  return context.signal.aborted ? ExitCode.interrupted : ExitCode.unavailable;
}
