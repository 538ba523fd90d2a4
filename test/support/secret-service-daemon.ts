/**
 * A throwaway Secret Service for tests: a private `dbus-daemon` and a real `gnome-keyring-daemon`, both living in a
 * fresh temp folder that becomes HOME and every XDG_* dir. The real user's bus and keyring are never touched: the
 * children get an environment without DBUS_SESSION_BUS_ADDRESS, DISPLAY or WAYLAND_DISPLAY of their own.
 *
 * The harness talks D-Bus with dbus-next directly (not through the provider under test), so a provider bug cannot
 * hide itself by breaking the harness the same way.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import dbus from 'dbus-next';
import { type PrompterKind, prepareWorld, spawnTracked, startWatchdog } from './secret-service-world.js';

const SECRETS = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';
const SERVICE_IFACE = 'org.freedesktop.Secret.Service';
const GUILT_RIDDEN_IFACE = 'org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface';

/** Options of {@link startSecretServiceDaemon}. */
export interface SecretServiceDaemonOptions {
  /** The login keyring's password (also used by {@link SecretServiceDaemon.unlock}). Default `'rxsecrets-test'`. */
  password?: string;
  /** Start only the bus, with no Secret Service on it (and none activatable). Default false. */
  busOnly?: boolean;
  /** How long to wait for each process to be ready. Default 10 s. */
  startTimeoutMs?: number;
  /**
   * Who answers gnome-keyring's prompts. `'gcr'` (default): the real gcr-prompter, which without a display fails
   * at once, so prompts complete dismissed in ~15–70 ms. `'silent'`: a stand-in that owns the prompter's bus name,
   * acknowledges every call and never answers a prompt, so a prompt stays open until the client dismisses it (for
   * Dismiss and timeout tests).
   */
  prompter?: PrompterKind;
  /**
   * An X display (from `startXvfb` in secret-service-xvfb.ts) for gcr-prompter's dialogs; never the user's own display. Default none:
   * the daemon and everything it starts run without DISPLAY.
   */
  display?: string;
}

/** A running private bus with (unless `busOnly`) a real gnome-keyring on it. */
export interface SecretServiceDaemon {
  /** The private bus address, for `MessageBus` connections. */
  readonly address: string;
  /** An environment for child processes (secret-tool, python) that points them at the private bus and HOME. */
  readonly env: NodeJS.ProcessEnv;
  /** The temp folder holding everything (HOME, XDG dirs, bus socket). */
  readonly dir: string;
  /** The login keyring's password. */
  readonly password: string;
  /** The pid of the current gnome-keyring-daemon (undefined in `busOnly` mode or after {@link killKeyring}). */
  readonly keyringPid: number | undefined;
  /** The last few KB gnome-keyring wrote to stderr (for diagnosing a failing test). */
  keyringLog(): string;
  /** Stops gnome-keyring and starts it again with the same password and files (items persist, `login` unlocked). */
  restart(): Promise<void>;
  /** Kills gnome-keyring with `signal` and waits until its bus name is released. */
  killKeyring(signal?: NodeJS.Signals): Promise<void>;
  /** Sends SIGSTOP to gnome-keyring: calls to it then hang (for timeout tests). */
  pauseKeyring(): void;
  /** Sends SIGCONT to a paused gnome-keyring. */
  resumeKeyring(): void;
  /** Kills the bus daemon itself: every connection to it is lost. */
  killBus(): Promise<void>;
  /** Locks a collection (gnome-keyring locks without a prompt). */
  lock(collectionPath: string): Promise<void>;
  /** Unlocks a collection without a prompt, through gnome-keyring's InternalUnsupportedGuiltRiddenInterface. */
  unlock(collectionPath: string, password?: string): Promise<void>;
  /** Creates a collection without a prompt (guilt-ridden interface); returns its path. */
  createCollection(label: string, password?: string): Promise<string>;
  /** Kills both processes and removes the temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a private bus and a real gnome-keyring on it; see {@link SecretServiceDaemon}. */
export async function startSecretServiceDaemon(options: SecretServiceDaemonOptions = {}): Promise<SecretServiceDaemon> {
  const password = options.password ?? 'rxsecrets-test';
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  // Unix socket paths are limited to 108 bytes: prefer a short base folder.
  const base = tmpdir().length <= 32 ? tmpdir() : '/tmp';
  const dir = await mkdtemp(join(base, 'rxss-'));
  const children: ChildProcess[] = [];
  let keyring: ChildProcess | undefined;
  let client: dbus.MessageBus | undefined;
  let stopped = false;
  let keyringLog = (): string => '';

  const env = await prepareWorld(dir, options.busOnly === true, options.prompter ?? 'gcr', options.display);
  const watchdog = startWatchdog(dir);
  const busDaemon = spawnTracked(
    dir,
    'dbus-daemon',
    ['--nofork', '--print-address=1', `--config-file=${join(dir, 'bus.conf')}`],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(busDaemon);
  const stderrOf = collectStderr(busDaemon);

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    client?.disconnect();
    await Promise.all(children.map((child) => terminate(child)));
    watchdog.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const address = await withTimeout(
      firstLine(busDaemon),
      startTimeoutMs,
      () => `dbus-daemon did not start: ${stderrOf()}`,
    );
    const childEnv: NodeJS.ProcessEnv = { ...env, DBUS_SESSION_BUS_ADDRESS: address };
    client = dbus.sessionBus({ busAddress: address });
    client.on('error', () => {
      // the bus going away (killBus, stop) is expected; calls then time out in `call`
    });
    const bus = client;
    await call(bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [
      `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${SECRETS}'`,
    ]);

    const startKeyring = async (): Promise<void> => {
      const owned = waitForOwner(bus, true, startTimeoutMs);
      const child = spawnTracked(dir, 'gnome-keyring-daemon', ['--unlock', '--foreground', '--components=secrets'], {
        env: childEnv,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      children.push(child);
      const keyringStderr = collectStderr(child);
      keyringLog = keyringStderr;
      child.stdin?.end(password);
      keyring = child;
      const exited = once(child, 'exit').then(() => {
        throw new Error(`gnome-keyring-daemon exited early: ${keyringStderr()}`);
      });
      try {
        await Promise.race([owned, exited]);
      } finally {
        exited.catch(() => {});
      }
    };

    const killKeyring = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
      const child = keyring;
      if (!child) return;
      keyring = undefined;
      const released = waitForOwner(bus, false, startTimeoutMs);
      if (child.exitCode === null && child.signalCode === null) {
        if (signal !== 'SIGCONT') child.kill('SIGCONT');
        child.kill(signal);
        await once(child, 'exit');
      }
      await released;
    };

    const guiltRiddenSecret = async (secret: string): Promise<[string, Buffer, Buffer, string]> => {
      const reply = await call(bus, SECRETS, SERVICE_PATH, SERVICE_IFACE, 'OpenSession', 'sv', [
        'plain',
        new dbus.Variant('s', ''),
      ]);
      return [reply[1] as string, Buffer.alloc(0), Buffer.from(secret, 'utf8'), 'text/plain'];
    };

    if (!options.busOnly) await startKeyring();

    return {
      address,
      env: childEnv,
      dir,
      password,
      keyringLog: () => keyringLog(),
      get keyringPid() {
        return keyring?.pid;
      },
      restart: async () => {
        await killKeyring('SIGTERM');
        await startKeyring();
      },
      killKeyring,
      pauseKeyring: () => keyring?.kill('SIGSTOP'),
      resumeKeyring: () => keyring?.kill('SIGCONT'),
      killBus: async () => {
        if (busDaemon.exitCode === null && busDaemon.signalCode === null) {
          busDaemon.kill('SIGKILL');
          await once(busDaemon, 'exit');
        }
      },
      lock: async (collectionPath) => {
        await call(bus, SECRETS, SERVICE_PATH, SERVICE_IFACE, 'Lock', 'ao', [[collectionPath]]);
      },
      unlock: async (collectionPath, secret = password) => {
        await call(bus, SECRETS, SERVICE_PATH, GUILT_RIDDEN_IFACE, 'UnlockWithMasterPassword', 'o(oayays)', [
          collectionPath,
          await guiltRiddenSecret(secret),
        ]);
      },
      createCollection: async (label, secret = password) => {
        const properties = { 'org.freedesktop.Secret.Collection.Label': new dbus.Variant('s', label) };
        const reply = await call(
          bus,
          SECRETS,
          SERVICE_PATH,
          GUILT_RIDDEN_IFACE,
          'CreateWithMasterPassword',
          'a{sv}(oayays)',
          [properties, await guiltRiddenSecret(secret)],
        );
        return reply[0] as string;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves once `org.freedesktop.secrets` has (or no longer has) an owner, from NameOwnerChanged or a first check. */
function waitForOwner(bus: dbus.MessageBus, owned: boolean, timeoutMs: number): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      const onMessage = (msg: dbus.Message): void => {
        if (msg.member !== 'NameOwnerChanged' || msg.body[0] !== SECRETS) return;
        if ((msg.body[2] !== '') === owned) done();
      };
      const done = (): void => {
        bus.off('message', onMessage);
        resolve();
      };
      bus.on('message', onMessage);
      call(bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', [SECRETS])
        .then((reply) => {
          if (reply[0] === owned) done();
        })
        .catch((error: unknown) => {
          bus.off('message', onMessage);
          reject(error);
        });
    }),
    timeoutMs,
    () => `${SECRETS} was not ${owned ? 'claimed' : 'released'} in time`,
  );
}

/** One low-level D-Bus call with a timeout; returns the reply body. */
async function call(
  bus: dbus.MessageBus,
  destination: string,
  path: string,
  iface: string,
  member: string,
  signature: string,
  body: unknown[],
  timeoutMs = 5000,
): Promise<unknown[]> {
  const message = new dbus.Message({ destination, path, interface: iface, member, signature, body });
  const reply = await withTimeout(bus.call(message), timeoutMs, () => `${iface}.${member} timed out`);
  return reply?.body ?? [];
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function firstLine(child: ChildProcess): Promise<string> {
  if (!child.stdout) throw new Error('no stdout');
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(() => {
    throw new Error('process exited before printing its address');
  });
  try {
    const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
    return line.trim();
  } finally {
    exited.catch(() => {});
  }
}

function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  });
  return () => text.trim();
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}
