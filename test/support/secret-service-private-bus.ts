/**
 * A private session bus in a throwaway world (HOME and every XDG dir in a temp folder) for the KeePassXC and KWallet
 * harnesses: no service is activatable on it, so a call can never auto-start another Secret Service. The harness
 * talks D-Bus with its own dbus-next connection (not through the provider under test).
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dbus from 'dbus-next';
import {
  call,
  collectStderr,
  firstLine,
  PROMPT_IFACE,
  SECRETS,
  SERVICE_IFACE,
  SERVICE_PATH,
  terminate,
  waitForOwner,
  withTimeout,
} from './secret-service-harness-io.js';
import { prepareWorld, spawnTracked, startWatchdog } from './secret-service-world.js';

/** A running private bus, with helpers for the daemon harnesses built on it. */
export interface PrivateBus {
  /** The bus address (for `MessageBus` connections and the provider's `bus` option). */
  readonly address: string;
  /** The temp folder holding everything. */
  readonly dir: string;
  /** An environment for child processes: the private bus, HOME and XDG dirs, no display, Qt's offscreen platform. */
  readonly env: NodeJS.ProcessEnv;
  /** The harness's own connection to the bus. */
  readonly bus: dbus.MessageBus;
  /** Spawns a child tracked by the watchdog and stopped by {@link stop}; its stderr is kept for {@link log}. */
  spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** The last few KB each child wrote to stderr. */
  log(): string;
  /** A call to the Secret Service; returns the reply body. */
  secrets(path: string, iface: string, member: string, signature?: string, body?: unknown[]): Promise<unknown[]>;
  /** `Service.Lock` / `Service.Unlock` of collections, running the service's prompt if it asks for one. */
  changeLock(action: 'Lock' | 'Unlock', paths: string[]): Promise<void>;
  /** Resolves once `org.freedesktop.secrets` is (or is no longer) owned. */
  waitForService(owned: boolean, timeoutMs: number): Promise<void>;
  /** Stops every child, the bus, and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a private bus; see {@link PrivateBus}. */
export async function startPrivateBus(startTimeoutMs = 10_000): Promise<PrivateBus> {
  const base = tmpdir().length <= 32 ? tmpdir() : '/tmp';
  const dir = await mkdtemp(join(base, 'rxss-'));
  const children: ChildProcess[] = [];
  const logs: Array<() => string> = [];
  let bus: dbus.MessageBus | undefined;
  let stopped = false;
  const world = await prepareWorld(dir, true, 'gcr');
  const watchdog = startWatchdog(dir);
  const spawn = (command: string, args: string[], options: SpawnOptions = {}): ChildProcess => {
    const child = spawnTracked(dir, command, args, { env: world, stdio: ['ignore', 'ignore', 'pipe'], ...options });
    children.push(child);
    const stderr = collectStderr(child);
    let exit = '';
    child.once('exit', (code, signal) => {
      exit = ` [exited: ${signal ?? code}]`;
    });
    logs.push(() => `${command}${exit}: ${stderr()}`);
    return child;
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    bus?.disconnect();
    await Promise.all(children.map((child) => terminate(child)));
    watchdog.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const daemon = spawn('dbus-daemon', ['--nofork', '--print-address=1', `--config-file=${join(dir, 'bus.conf')}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const address = (await withTimeout(firstLine(daemon), startTimeoutMs, () => 'dbus-daemon did not start')).replace(
      /,guid=[0-9a-f]*/,
      '',
    );
    const env: NodeJS.ProcessEnv = { ...world, DBUS_SESSION_BUS_ADDRESS: address, QT_QPA_PLATFORM: 'offscreen' };
    const connection = dbus.sessionBus({ busAddress: address });
    bus = connection;
    connection.on('error', () => {
      // the bus going away at stop() is expected
    });
    await call(connection, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [
      `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${SECRETS}'`,
    ]);
    await call(connection, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [
      `type='signal',interface='${PROMPT_IFACE}',member='Completed'`,
    ]);
    const secrets = (path: string, iface: string, member: string, signature = '', body: unknown[] = []) =>
      call(connection, SECRETS, path, iface, member, signature, body);
    const runPrompt = (prompt: string): Promise<void> =>
      withTimeout(
        new Promise<void>((resolve, reject) => {
          const onMessage = (message: dbus.Message): void => {
            if (message.path !== prompt || message.member !== 'Completed') return;
            connection.off('message', onMessage);
            if (message.body[0] === true) reject(new Error(`the prompt ${prompt} was dismissed`));
            else resolve();
          };
          connection.on('message', onMessage);
          secrets(prompt, PROMPT_IFACE, 'Prompt', 's', ['']).catch((error: unknown) => {
            connection.off('message', onMessage);
            reject(error);
          });
        }),
        startTimeoutMs,
        () => `the prompt ${prompt} did not complete`,
      );
    return {
      address,
      dir,
      env,
      bus: connection,
      spawn: (command, args, options) => spawn(command, args, { env, ...options }),
      log: () => logs.map((log) => log()).join('\n'),
      secrets,
      changeLock: async (action, paths) => {
        const [, prompt] = await secrets(SERVICE_PATH, SERVICE_IFACE, action, 'ao', [paths]);
        if (prompt !== '/') await runPrompt(prompt as string);
      },
      waitForService: (owned, timeoutMs) => waitForOwner(connection, owned, timeoutMs),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves when `child` exits; rejects with `why()` if that happens before `ready` settles. */
export async function unlessExited<T>(child: ChildProcess, ready: Promise<T>, why: () => string): Promise<T> {
  const exited = once(child, 'exit').then(() => {
    throw new Error(why());
  });
  try {
    return await Promise.race([ready, exited]);
  } finally {
    exited.catch(() => {});
  }
}
