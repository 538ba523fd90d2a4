/**
 * The throwaway world of the test Secret Service: folders, bus config, the silent prompter, and a watchdog that
 * cleans up after a test process that died without stopping its daemon.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const PROMPTER_SERVICES = ['org.gnome.keyring.SystemPrompter.service', 'org.gnome.keyring.PrivatePrompter.service'];
const DBUS_SERVICES_DIR = '/usr/share/dbus-1/services';

/** Who answers gnome-keyring's prompts; see `SecretServiceDaemonOptions.prompter`. */
export type PrompterKind = 'gcr' | 'silent';

/**
 * A detached shell that outlives this process: when our end of its stdin closes (this process exited, even when
 * killed without running `stop()`), it kills every tracked child and removes the folder. No polling: `read` blocks.
 */
export function startWatchdog(dir: string): ChildProcess {
  const script =
    'read _; for f in "$1"/pids/*; do [ -f "$f" ] && kill -9 "$(basename "$f")" 2>/dev/null; done; rm -rf "$1"';
  const watchdog = spawn('/bin/sh', ['-c', script, 'watchdog', dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}

/** Spawns a child and records its pid in `dir/pids/` for the watchdog until it exits. */
export function spawnTracked(dir: string, command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  if (child.pid !== undefined) {
    const pidFile = join(dir, 'pids', String(child.pid));
    writeFileSync(pidFile, '');
    child.once('exit', () => rmSync(pidFile, { force: true }));
  }
  return child;
}

/** Creates HOME, the XDG dirs, a bus config and the prompter service files; returns the children's environment. */
export async function prepareWorld(
  dir: string,
  busOnly: boolean,
  prompter: PrompterKind,
  display?: string,
): Promise<NodeJS.ProcessEnv> {
  const paths = {
    HOME: join(dir, 'home'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
  };
  for (const path of Object.values(paths)) await mkdir(path, { recursive: true, mode: 0o700 });
  const servicesDir = join(dir, 'services');
  await mkdir(servicesDir);
  await mkdir(join(dir, 'pids'));
  // Only the prompters are activatable: org.freedesktop.secrets must never be auto-started by a call (a killed
  // daemon must stay dead, and a busOnly bus must have no Secret Service at all).
  if (!busOnly && prompter === 'gcr') {
    for (const name of PROMPTER_SERVICES) {
      await copyFile(join(DBUS_SERVICES_DIR, name), join(servicesDir, name)).catch(() => {});
    }
  }
  if (!busOnly && prompter === 'silent') await writeSilentPrompter(dir, servicesDir);
  const socket = join(paths.XDG_RUNTIME_DIR, 'bus');
  await writeFile(
    join(dir, 'bus.conf'),
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${servicesDir}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, ...paths, NO_AT_BRIDGE: '1', GSETTINGS_BACKEND: 'memory' };
  for (const name of [
    'DBUS_SESSION_BUS_ADDRESS',
    'DISPLAY',
    'WAYLAND_DISPLAY',
    'GNOME_KEYRING_CONTROL',
    'SSH_AUTH_SOCK',
  ]) {
    delete env[name];
  }
  // the bus daemon's environment is the activation environment: gcr-prompter shows its dialogs on this display
  if (display !== undefined) env.DISPLAY = display;
  return env;
}

/**
 * Installs a bus-activatable stand-in for gcr's SystemPrompter that acknowledges every method call and never answers
 * a prompt, so gnome-keyring's prompts stay pending until the client calls `Prompt.Dismiss()`.
 */
async function writeSilentPrompter(dir: string, servicesDir: string): Promise<void> {
  const script = join(dir, 'silent-prompter.cjs');
  const launcher = join(dir, 'silent-prompter.sh');
  const dbusNext = createRequire(import.meta.url).resolve('dbus-next');
  await writeFile(
    script,
    `const dbus = require(${JSON.stringify(dbusNext)});
const bus = dbus.sessionBus();
bus.on('error', () => process.exit(0));
// Acknowledge every call; after BeginPrompting say "ready" once (as gcr-prompter does) so gnome-keyring sends the
// prompt, then never answer it: the prompt stays pending. (Leaving BeginPrompting without reply or readiness
// makes gnome-keyring 42 crash when the prompt is dismissed.)
// gcr's secret exchange wants the prompter's DH public key (1024-bit MODP) in the ready message
const dh = require('node:crypto').getDiffieHellman('modp2');
const exchange = '[sx-aes-1]\\npublic=' + dh.generateKeys('base64') + '\\n';
bus.addMethodHandler((msg) => {
  bus.send(dbus.Message.newMethodReturn(msg, '', []));
  if (msg.member === 'BeginPrompting') {
    bus.send(new dbus.Message({
      type: dbus.MessageType.METHOD_CALL, destination: msg.sender, path: msg.body[0],
      interface: 'org.gnome.keyring.internal.Prompter.Callback', member: 'PromptReady',
      signature: 'sa{sv}s', body: ['', {}, exchange], flags: dbus.MessageFlag.NO_REPLY_EXPECTED,
    }));
  }
  return true;
});
bus.requestName('org.gnome.keyring.SystemPrompter', 0).catch(() => process.exit(1));
`,
  );
  await writeFile(launcher, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}\n`, {
    mode: 0o755,
  });
  await writeFile(
    join(servicesDir, 'org.gnome.keyring.SystemPrompter.service'),
    `[D-BUS Service]\nName=org.gnome.keyring.SystemPrompter\nExec=${launcher}\n`,
  );
}
