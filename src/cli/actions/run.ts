/**
 * What `rxs run` does (its options and help: commands/run.ts), loaded only when the command runs.
 * @module
 */
import { firstValueFrom } from 'rxjs';
import { parseSecretPrefix, toMilliseconds } from '../../index.js';
import { interrupts } from '../action.js';
import { isSignal } from '../commands/run.js';
import type { CliContext } from '../context.js';
import { type EnvPlan, planEnvironment } from '../env-refs.js';
import { CommandError, resolveExecutable } from '../executable.js';
import { ExitCode, errorCodeOf } from '../exit-codes.js';
import { FORWARDED_SIGNALS, Supervisor } from '../supervisor.js';
import { envNameOf, valueText } from '../values.js';
import { watchChanges } from '../watch-changes.js';

/** The options of `rxs run`, as commander parsed them. */
export interface RunOptions {
  env: string[];
  envFile: string[];
  from?: string;
  watch?: boolean;
  interval?: string;
  onChange: string;
  mask: 'auto' | 'always' | 'never';
  splay: string;
  killSignal: string;
  killTimeout: string;
}

/** Reads every ref of the plan (one batch per provider) and the `--from` prefix; any failure throws. */
async function resolveEnvironment(
  context: CliContext,
  plan: EnvPlan,
  from: string | undefined,
  fresh: boolean,
): Promise<{ env: Record<string, string>; values: string[] }> {
  const env: Record<string, string> = { ...plan.literal };
  const values: string[] = [];
  if (from !== undefined) {
    const prefix = parseSecretPrefix(from);
    for await (const secret of context.secrets.list(from, {
      withValues: true,
      recursive: true,
      signal: context.signal,
    })) {
      const value = valueText(secret);
      env[envNameOf(secret, prefix.name)] = value;
      values.push(value);
    }
  }
  const names = [...plan.refs.keys()];
  if (names.length > 0) {
    const results = await firstValueFrom(
      context.secrets.getMany(
        names.map((name) => plan.refs.get(name)!),
        { signal: context.signal, fresh },
      ),
    );
    for (const [index, result] of results.entries()) {
      if (!result.ok) throw result.error;
      const value = valueText(result.secret);
      env[names[index]!] = value;
      values.push(value);
    }
  }
  return { env, values };
}

function shouldMask(mask: RunOptions['mask']): boolean {
  if (mask === 'auto') return !(process.stdout.isTTY && process.stderr.isTTY);
  return mask === 'always';
}

/** Runs `rxs run`; resolves to its exit code. */
export async function run(context: CliContext, command: string[], options: RunOptions): Promise<number> {
  if (command.length === 0) {
    context.note('rxsecrets run: no command given (rxs run [options] -- command args…)');
    return 125;
  }
  let file: string;
  let resolved: { env: Record<string, string>; values: string[] };
  let envPlan: EnvPlan;
  try {
    for (const [flag, value] of [
      ['--interval', options.interval],
      ['--splay', options.splay],
      ['--kill-timeout', options.killTimeout],
    ] as const) {
      if (value !== undefined) toMilliseconds(value as never, flag);
    }
    if (!isSignal(options.killSignal)) throw new Error(`--kill-signal: '${options.killSignal}' is not a signal name`);
    envPlan = await planEnvironment(process.env, options.envFile, options.env);
    resolved = await resolveEnvironment(context, envPlan, options.from, false);
    file = resolveExecutable(command[0]!, resolved.env.PATH ?? process.env.PATH);
  } catch (error) {
    if (error instanceof CommandError) {
      context.note(`rxsecrets run: ${error.message}`);
      return error.exitCode;
    }
    context.note(`rxsecrets run: ${(error as Error).message} (${errorCodeOf(error)})`);
    return 125;
  }
  const mask = shouldMask(options.mask);
  if (!options.watch && !mask && typeof process.execve === 'function') {
    await context.close();
    try {
      process.execve(file, command, resolved.env);
    } catch (error) {
      context.note(`rxsecrets run: ${command[0]}: ${(error as Error).message}`);
      return 126;
    }
  }
  const supervisor = new Supervisor(file, command, {
    mask,
    killSignal: options.killSignal as NodeJS.Signals,
    killTimeoutMs: toMilliseconds(options.killTimeout as never, '--kill-timeout'),
    note: (text) => context.note(`rxsecrets run: ${text}`),
  });
  interrupts.handler = (signal) => supervisor.signal(signal);
  const forward = (signal: NodeJS.Signals) => supervisor.signal(signal);
  const extra = FORWARDED_SIGNALS.filter((signal) => signal !== 'SIGINT' && signal !== 'SIGTERM');
  for (const signal of extra) process.on(signal, forward);
  supervisor.start(resolved.env, resolved.values);
  const watching = options.watch ? watchRefs(context, envPlan, options, supervisor, resolved) : undefined;
  try {
    const outcome = await Promise.race([
      supervisor.exited().then((code) => ({ code, byWatch: false })),
      (watching?.ended ?? new Promise<number>(() => {})).then((code) => ({ code, byWatch: true })),
    ]);
    if (outcome.byWatch) await supervisor.stop();
    return outcome.code;
  } finally {
    watching?.stop();
    for (const signal of extra) process.off(signal, forward);
  }
}

function watchRefs(
  context: CliContext,
  plan: EnvPlan,
  options: RunOptions,
  supervisor: Supervisor,
  current: { env: Record<string, string>; values: string[] },
): { ended: Promise<number>; stop: () => void } {
  const interval = options.interval;
  const watchOptions = interval === undefined ? {} : { interval: interval as never };
  const refs = [...new Set(plan.refs.values())];
  let endWith: (code: number) => void = () => undefined;
  const ended = new Promise<number>((resolve) => (endWith = resolve));
  const splayMs = toMilliseconds(options.splay as never, '--splay');
  const onChange = async () => {
    let next: { env: Record<string, string>; values: string[] };
    try {
      next = await resolveEnvironment(context, plan, options.from, true);
    } catch (error) {
      context.note(
        `rxsecrets run: a secret changed but could not be read; the command keeps running (${errorCodeOf(error)}: ${(error as Error).message})`,
      );
      return;
    }
    if (JSON.stringify(next.env) === JSON.stringify(current.env)) return;
    current = next;
    if (options.onChange === 'exit') {
      context.note('rxsecrets run: a secret changed; stopping the command and exiting with 75');
      endWith(ExitCode.temporary);
    } else if (options.onChange.startsWith('signal:')) {
      const signal = options.onChange.slice('signal:'.length) as NodeJS.Signals;
      context.note(`rxsecrets run: a secret changed; sending ${signal}`);
      supervisor.signal(signal);
    } else {
      // --splay: instances that see the same rotation do not all restart at the same moment
      const wait = Math.round(Math.random() * splayMs);
      if (splayMs > 0) {
        context.note(
          `rxsecrets run: a secret changed; restarting the command in ${wait} ms (--splay ${options.splay})`,
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      } else context.note('rxsecrets run: a secret changed; restarting the command');
      await supervisor.restart(next.env, [...new Set([...current.values, ...next.values])]);
    }
  };
  const subscription = watchChanges(context.secrets, refs, watchOptions, onChange, (error) =>
    context.note(
      `rxsecrets run: watching stopped (${errorCodeOf(error)}: ${(error as Error).message}); the command keeps running`,
    ),
  );
  return { ended, stop: () => subscription.unsubscribe() };
}
