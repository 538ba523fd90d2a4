/**
 * A throwaway KWallet (Debian's kwalletd5 5.103, whose Secret Service API is built in) on a private bus, headless.
 * kwalletd5 is started as pam_kwallet5 starts it at login (`--pam-login`: the PBKDF2-SHA512 hash of the password on
 * a pipe, the session's environment over a unix socket), so the wallet is created and opened with no dialog. On a
 * first run kwalletd5 does not list the wallet it just created: the harness starts it once to create, then again.
 * Lock is `Service.Lock`; unlock is kwalletd's own `pamOpen` with the password hash, then `Service.Unlock`, whose
 * prompt then completes at once (without pamOpen it would ask for the password in a dialog).
 */
import { pbkdf2Sync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { call, terminate, withTimeout } from './secret-service-harness-io.js';
import type { TestSecretService } from './secret-service-peers.js';
import { startPrivateBus, unlessExited } from './secret-service-private-bus.js';

/** The collection of the wallet `kdewallet` (the `default` alias). */
export const KWALLET_COLLECTION = '/org/freedesktop/secrets/collection/kdewallet';
const PYTHON = '/usr/bin/python3';

const SETTINGS = `[Wallet]
Enabled=true
First Use=false

[org.freedesktop.secrets]
apiEnabled=true
`;

// Run by Debian's python3: the salt file, the hash on a pipe, the environment queued on a listening unix socket
// (kwalletd5 accepts it later), then exec kwalletd5 with both descriptors (the pid stays the same).
const LAUNCHER = `
import hashlib, os, socket, sys
password = sys.stdin.buffer.read()
salt_path = os.path.join(os.environ['XDG_DATA_HOME'], 'kwalletd', 'kdewallet.salt')
os.makedirs(os.path.dirname(salt_path), exist_ok=True)
if not os.path.exists(salt_path):
    with open(salt_path, 'wb') as f:
        f.write(os.urandom(56))
with open(salt_path, 'rb') as f:
    salt = f.read()
r, w = os.pipe()
os.write(w, hashlib.pbkdf2_hmac('sha512', password, salt, 50000, 56))
os.close(w)
path = os.path.join(os.environ['XDG_RUNTIME_DIR'], 'kwallet-env')
if os.path.exists(path):
    os.unlink(path)
server = socket.socket(socket.AF_UNIX)
server.bind(path)
server.listen(1)
client = socket.socket(socket.AF_UNIX)
client.connect(path)
names = ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'HOME']
client.sendall(''.join(name + '=' + os.environ[name] + '\\n' for name in names).encode())
client.close()
os.set_inheritable(r, True)
os.set_inheritable(server.fileno(), True)
os.environ['PAM_KWALLET5_LOGIN'] = path
os.execvp('kwalletd5', ['kwalletd5', '--pam-login', str(r), str(server.fileno())])
`;

/** Options of {@link startKWallet}. */
export interface KWalletOptions {
  /**
   * Whether kwalletd5 may load the QCA plugins (libqca-qt5-2-plugins) that its DH session needs. Default true; false
   * (`QCA_NO_PLUGINS=1`) makes `OpenSession` with DH answer InvalidArgs, as on a system without the package.
   */
  qcaPlugins?: boolean;
  startTimeoutMs?: number;
}

/** Starts kwalletd5 on a private bus with its wallet open and unlocked; see the module comment. */
export async function startKWallet(options: KWalletOptions = {}): Promise<TestSecretService> {
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const world = await startPrivateBus(startTimeoutMs);
  const password = 'rxsecrets-test';
  try {
    await writeFile(join(world.env.XDG_CONFIG_HOME as string, 'kwalletrc'), SETTINGS);
    const launcher = join(world.dir, 'kwallet-launcher.py');
    await writeFile(launcher, LAUNCHER);
    const env = options.qcaPlugins === false ? { ...world.env, QCA_NO_PLUGINS: '1' } : world.env;
    const start = async () => {
      const owned = world.waitForService(true, startTimeoutMs);
      const child = world.spawn(PYTHON, [launcher], { env, stdio: ['pipe', 'ignore', 'pipe'] });
      child.stdin?.end(password);
      await unlessExited(child, owned, () => `kwalletd5 exited early: ${world.log()}`);
      return child;
    };
    await call(world.bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [
      "type='signal',interface='org.kde.KWallet',member='walletListDirty'",
    ]);
    // the new wallet is on disk once kwalletd says its wallet list changed (~0.5 s after it claims its names)
    const written = withTimeout(
      new Promise<void>((resolve) => {
        const onMessage = (message: { member?: string }): void => {
          if (message.member !== 'walletListDirty') return;
          world.bus.off('message', onMessage);
          resolve();
        };
        world.bus.on('message', onMessage);
      }),
      startTimeoutMs,
      () => `kwalletd5 did not create its wallet: ${world.log()}`,
    );
    const first = await start();
    await unlessExited(first, written, () => `kwalletd5 exited early: ${world.log()}`);
    const released = world.waitForService(false, startTimeoutMs);
    await terminate(first);
    await released;
    await start();
    const service = (member: string, signature = '', body: unknown[] = []) =>
      world.secrets('/org/freedesktop/secrets', 'org.freedesktop.Secret.Service', member, signature, body);
    const [alias] = await service('ReadAlias', 's', ['default']);
    if (alias !== KWALLET_COLLECTION) throw new Error(`KWallet published ${String(alias)}: ${world.log()}`);
    await world.changeLock('Unlock', [KWALLET_COLLECTION]);
    const salt = await readFile(join(world.env.XDG_DATA_HOME as string, 'kwalletd', 'kdewallet.salt'));
    const hash = pbkdf2Sync(password, salt, 50_000, 56, 'sha512');
    return {
      kind: 'kwallet',
      address: world.address,
      env: world.env,
      dir: world.dir,
      defaultCollection: KWALLET_COLLECTION,
      lock: async () => world.changeLock('Lock', [KWALLET_COLLECTION]),
      // kwalletd's own pamOpen reopens the wallet with the login hash; the Unlock prompt then completes at once
      unlock: async () => {
        await call(world.bus, 'org.kde.kwalletd5', '/modules/kwalletd5', 'org.kde.KWallet', 'pamOpen', 'sayi', [
          'kdewallet',
          hash,
          0,
        ]);
        await world.changeLock('Unlock', [KWALLET_COLLECTION]);
      },
      log: world.log,
      stop: world.stop,
    };
  } catch (error) {
    await world.stop();
    throw error;
  }
}
