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
import dbus from 'dbus-next';
import {
  call,
  collectStderr,
  firstLine,
  SECRETS,
  SERVICE_IFACE,
  SERVICE_PATH,
  terminate,
  waitForOwner,
  withTimeout,
} from './secret-service-harness-io.js';
import { type PrompterKind, prepareWorld, spawnTracked, startWatchdog } from './secret-service-world.js';

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
  /**
   * Kills the bus daemon and starts a new one at the same {@link address} (as when a session bus restarts), then
   * (unless `busOnly`) gnome-keyring on it again, as {@link restart} does. Every connection to the old bus is lost.
   */
  restartBus(): Promise<void>;
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
  let busDaemon: ChildProcess | undefined;

  /** Starts a dbus-daemon on bus.conf's listen address; returns its address without the guid. */
  const startBusDaemon = async (): Promise<string> => {
    const child = spawnTracked(
      dir,
      'dbus-daemon',
      ['--nofork', '--print-address=1', `--config-file=${join(dir, 'bus.conf')}`],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    busDaemon = child;
    const stderrOf = collectStderr(child);
    const printed = await withTimeout(
      firstLine(child),
      startTimeoutMs,
      () => `dbus-daemon did not start: ${stderrOf()}`,
    );
    // Each daemon has a new guid, and libdbus clients (secret-tool) refuse a server whose guid differs from the
    // address's: without it the address stays valid for a restarted bus, like a real `unix:path=/run/user/…/bus`.
    return printed.replace(/,guid=[0-9a-f]*/, '');
  };

  const killBus = async (): Promise<void> => {
    const child = busDaemon;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    client?.disconnect();
    await Promise.all(children.map((child) => terminate(child)));
    watchdog.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const address = await startBusDaemon();
    const childEnv: NodeJS.ProcessEnv = { ...env, DBUS_SESSION_BUS_ADDRESS: address };
    const connect = async (): Promise<dbus.MessageBus> => {
      const next = dbus.sessionBus({ busAddress: address });
      client = next;
      next.on('error', () => {
        // the bus going away (killBus, stop) is expected; calls then time out in `call`
      });
      await call(next, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [
        `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${SECRETS}'`,
      ]);
      return next;
    };
    // replaced by restartBus: every helper below reads the current connection
    let bus = await connect();

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

    /** Ends the keyring process (without waiting for its bus name: the bus may be gone). */
    const endKeyring = async (signal: NodeJS.Signals): Promise<void> => {
      const child = keyring;
      keyring = undefined;
      if (child && child.exitCode === null && child.signalCode === null) {
        if (signal !== 'SIGCONT') child.kill('SIGCONT');
        child.kill(signal);
        await once(child, 'exit');
      }
    };

    const killKeyring = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
      if (!keyring) return;
      const released = waitForOwner(bus, false, startTimeoutMs);
      await endKeyring(signal);
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
      killBus,
      restartBus: async () => {
        await killBus();
        await endKeyring('SIGTERM'); // it lost its bus (and may be exiting already)
        bus.disconnect();
        // a killed dbus-daemon leaves its socket file behind: remove it so the new daemon can bind the same path
        const socketPath = /^unix:path=([^,;]+)/.exec(address)?.[1];
        if (socketPath !== undefined) await rm(socketPath, { force: true });
        const restarted = await startBusDaemon();
        if (restarted !== address) throw new Error(`the restarted bus moved from ${address} to ${restarted}`);
        bus = await connect();
        if (!options.busOnly) await startKeyring();
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
