/**
 * The child of `run` when rxsecrets has to stay in between (masking, `--watch`): spawns it, forwards signals,
 * pipes its output through the {@link Masker}, and restarts it gracefully (kill signal, timeout, then SIGKILL).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { Masker } from './masker.js';

/** Signals passed on to the child. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
];

/** How a child ended, as a shell exit code: its own code, or 128 + N after signal N. */
export function exitCodeOfChild(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/** Options of a {@link Supervisor}. */
export interface SupervisorOptions {
  readonly mask: boolean;
  readonly killSignal: NodeJS.Signals;
  readonly killTimeoutMs: number;
  /** Where the supervisor says what it does (stderr), e.g. that a child had to be killed. */
  readonly note?: (text: string) => void;
}

/** One supervised command, possibly restarted with a new environment. */
export class Supervisor {
  #child: ChildProcess | undefined;
  #exit: Promise<number> | undefined;
  #restarting = false;
  readonly #maskers: Masker[] = [];

  constructor(
    readonly file: string,
    readonly argv: readonly string[],
    readonly options: SupervisorOptions,
  ) {}

  /** Starts the command with `env`; `values` are masked in its output. */
  start(env: NodeJS.ProcessEnv, values: readonly string[]): void {
    const child = spawn(this.file, this.argv.slice(1), {
      argv0: this.argv[0],
      env,
      stdio: ['inherit', this.options.mask ? 'pipe' : 'inherit', this.options.mask ? 'pipe' : 'inherit'],
    });
    this.#maskers.length = 0;
    if (this.options.mask) {
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ] as const) {
        const masker = new Masker(values);
        this.#maskers.push(masker);
        from?.pipe(masker).pipe(to, { end: false });
      }
    }
    this.#child = child;
    this.#exit = new Promise((resolve) => {
      child.once('error', () => resolve(126));
      child.once('close', (code, signal) => resolve(exitCodeOfChild(code, signal)));
    });
  }

  /** Resolves with the exit code once the current child ends on its own (not while it is being restarted). */
  async exited(): Promise<number> {
    for (;;) {
      const exit = this.#exit;
      const code = await exit;
      if (!this.#restarting && exit === this.#exit) return code ?? 1;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Sends a signal to the current child. */
  signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  /** Stops the current child: the kill signal, then SIGKILL after the timeout. */
  async stop(): Promise<void> {
    const child = this.#child;
    const exit = this.#exit;
    if (!child || !exit || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(this.options.killSignal);
    const timer = setTimeout(() => {
      this.options.note?.(
        `the command did not stop within ${this.options.killTimeoutMs} ms of ${this.options.killSignal}; sending SIGKILL`,
      );
      child.kill('SIGKILL');
    }, this.options.killTimeoutMs);
    await exit;
    clearTimeout(timer);
  }

  /** Stops the child and starts it again with a new environment. */
  async restart(env: NodeJS.ProcessEnv, values: readonly string[]): Promise<void> {
    this.#restarting = true;
    try {
      await this.stop();
      this.start(env, values);
    } finally {
      this.#restarting = false;
    }
  }
}
