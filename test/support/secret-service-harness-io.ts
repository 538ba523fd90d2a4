/**
 * Low-level helpers of the test Secret Service harness (secret-service-daemon.ts): raw dbus-next calls with
 * timeouts, waiting for the Secret Service's bus name, and reading / stopping child processes.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import dbus from 'dbus-next';

export const SECRETS = 'org.freedesktop.secrets';
/** The Secret Service object and its interfaces. */
export const SERVICE_PATH = '/org/freedesktop/secrets';
export const SERVICE_IFACE = 'org.freedesktop.Secret.Service';
export const PROMPT_IFACE = 'org.freedesktop.Secret.Prompt';

/** Resolves once `org.freedesktop.secrets` has (or no longer has) an owner, from NameOwnerChanged or a first check. */
export function waitForOwner(bus: dbus.MessageBus, owned: boolean, timeoutMs: number): Promise<void> {
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
export async function call(
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

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function firstLine(child: ChildProcess): Promise<string> {
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

export function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  });
  return () => text.trim();
}

export async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}
