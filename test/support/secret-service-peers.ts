/**
 * The three real Secret Services the provider is held to, behind one shape: gnome-keyring
 * (secret-service-daemon.ts), KeePassXC (secret-service-keepassxc.ts) and KWallet (secret-service-kwallet.ts), each
 * headless on its own private bus in a temp folder.
 */
import { startSecretServiceDaemon } from './secret-service-daemon.js';
import { startKeePassXC } from './secret-service-keepassxc.js';
import { startKWallet } from './secret-service-kwallet.js';

/** Which Secret Service implementation a test runs against. */
export type SecretServiceKind = 'gnome-keyring' | 'keepassxc' | 'kwallet';

/** Every implementation, in the order the contract runs them. */
export const SECRET_SERVICE_KINDS: readonly SecretServiceKind[] = ['gnome-keyring', 'keepassxc', 'kwallet'];

/** A running Secret Service on a private bus, whatever the implementation. */
export interface TestSecretService {
  readonly kind: SecretServiceKind;
  /** The private bus address (the provider's `bus` option). */
  readonly address: string;
  /** An environment for child processes (secret-tool, python) pointing at the private bus and HOME. */
  readonly env: NodeJS.ProcessEnv;
  /** The temp folder holding everything. */
  readonly dir: string;
  /** The real path of the collection the `default` alias names. */
  readonly defaultCollection: string;
  /** Locks the default collection without a person (KeePassXC: the database). */
  lock(): Promise<void>;
  /** Unlocks the default collection without a dialog. */
  unlock(): Promise<void>;
  /** What the daemons wrote to stderr lately (for diagnosing a failing test). */
  log(): string;
  /** Stops everything and removes the temp folder. Safe to call twice. */
  stop(): Promise<void>;
  /** KeePassXC: the signal or exit code it died of on its own (before `stop`), if it did. */
  died?(): string | undefined;
}

/** Starts one implementation, unlocked, on a private bus. */
export async function startTestSecretService(kind: SecretServiceKind): Promise<TestSecretService> {
  if (kind === 'keepassxc') return startKeePassXC();
  if (kind === 'kwallet') return startKWallet();
  const daemon = await startSecretServiceDaemon();
  const login = '/org/freedesktop/secrets/collection/login';
  return {
    kind,
    address: daemon.address,
    env: daemon.env,
    dir: daemon.dir,
    defaultCollection: login,
    lock: () => daemon.lock(login),
    unlock: () => daemon.unlock(login),
    log: () => daemon.keyringLog(),
    stop: () => daemon.stop(),
  };
}
