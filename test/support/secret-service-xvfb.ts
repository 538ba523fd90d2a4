/**
 * A private X server (Xvfb) on which gcr-prompter shows real GTK prompt dialogs, and xdotool helpers to answer them
 * as a user would. Only for tests that need a prompt accepted; the default headless daemon dismisses every prompt.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** A running Xvfb. */
export interface Xvfb {
  /** The display, e.g. `:99`, for {@link SecretServiceDaemonOptions.display}. */
  readonly display: string;
  /** Waits for the prompt dialog, focuses it, types `password` and presses Return. */
  acceptPrompt(password: string, timeoutMs?: number): Promise<void>;
  /** Waits for the prompt dialog, focuses it and presses Escape. */
  cancelPrompt(timeoutMs?: number): Promise<void>;
  /** Resolves when a prompt dialog is visible (xdotool `search --sync`). */
  waitForPrompt(timeoutMs?: number): Promise<void>;
  /** Whether a prompt dialog is visible right now (no waiting). */
  promptVisible(): Promise<boolean>;
  /** Stops the X server. */
  stop(): Promise<void>;
}

/** Starts Xvfb on a free display (`-displayfd`: the server picks the number and tells us). */
export async function startXvfb(): Promise<Xvfb> {
  const server: ChildProcess = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // if this process dies without stop(), a detached shell notices its stdin closing and kills the X server
  const watchdog = spawn('/bin/sh', ['-c', 'read _; kill -9 "$1" 2>/dev/null', 'watchdog', String(server.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const exited = once(server, 'exit').then(() => {
    throw new Error('Xvfb exited before reporting its display');
  });
  const [line] = (await Promise.race([once(createInterface({ input: server.stdout! }), 'line'), exited])) as [string];
  exited.catch(() => {});
  const display = `:${line.trim()}`;
  const env = { ...process.env, DISPLAY: display };
  const xdotool = (args: string[], timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile('xdotool', args, { env, timeout: timeoutMs }, (error, stdout) =>
        error ? reject(new Error(`xdotool ${args.join(' ')} failed`, { cause: error })) : resolve(stdout.trim()),
      );
    });
  // `search --sync` blocks inside xdotool until a matching window exists: an event wait, not a sleep loop here
  const focusPrompt = async (timeoutMs: number): Promise<void> => {
    const [window] = (await xdotool(['search', '--sync', '--onlyvisible', '--class', 'gcr-prompter'], timeoutMs)).split(
      '\n',
    );
    if (!window) throw new Error('no prompt window');
    // GTK ignores synthetic keys sent with `key --window`: focus the dialog, then type normally
    await xdotool(['windowactivate', '--sync', window], timeoutMs).catch(() =>
      xdotool(['windowfocus', '--sync', window], timeoutMs),
    );
  };
  return {
    display,
    acceptPrompt: async (password, timeoutMs = 10_000) => {
      await focusPrompt(timeoutMs);
      await xdotool(['type', '--delay', '5', password], timeoutMs);
      await xdotool(['key', 'Return'], timeoutMs);
    },
    cancelPrompt: async (timeoutMs = 10_000) => {
      await focusPrompt(timeoutMs);
      await xdotool(['key', 'Escape'], timeoutMs);
    },
    waitForPrompt: async (timeoutMs = 10_000) => {
      await xdotool(['search', '--sync', '--onlyvisible', '--class', 'gcr-prompter'], timeoutMs);
    },
    promptVisible: async () =>
      (await xdotool(['search', '--onlyvisible', '--class', 'gcr-prompter'], 5000).catch(() => '')) !== '',
    stop: async () => {
      watchdog.kill('SIGKILL');
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill('SIGTERM');
      await once(server, 'exit');
    },
  };
}
