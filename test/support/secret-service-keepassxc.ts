/**
 * A throwaway KeePassXC (Debian's 2.7.4) serving the Secret Service on a private bus, headless (Qt's offscreen
 * platform). Its database is made with `keepassxc-cli import` from KeePass XML whose `FDO_SECRETS_EXPOSED_GROUP`
 * exposes the root group, so it publishes one collection, the `default` alias. Lock and unlock go through KeePassXC's
 * own D-Bus interface (`lockAllDatabases`, `openDatabase` with the password): no dialog is needed. (A second
 * `Service.Lock` after an `openDatabase` is dismissed by 2.7.4.)
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { call, withTimeout } from './secret-service-harness-io.js';
import type { TestSecretService } from './secret-service-peers.js';
import { startPrivateBus, unlessExited } from './secret-service-private-bus.js';

const MAIN_WINDOW = 'org.keepassxc.KeePassXC.MainWindow';
/** The collection a database `rxsecrets.kdbx` is published as (KeePassXC names it after the file). */
export const KEEPASSXC_COLLECTION = '/org/freedesktop/secrets/collection/rxsecrets';

const SETTINGS = `[General]
SingleInstance=false
ConfigVersion=2
AutoSaveAfterEveryChange=true
AutoSaveOnExit=true
BackupBeforeSave=false

[GUI]
CheckForUpdates=false
ShowTrayIcon=false

[Security]
LockDatabaseIdle=false

[FdoSecrets]
Enabled=true
ShowNotification=false
ConfirmAccessItem=false
ConfirmDeleteItem=false
UnlockBeforeSearch=false
`;

function databaseXml(groupUuid: string): string {
  const base64 = Buffer.from(groupUuid.replaceAll('-', ''), 'hex').toString('base64');
  return `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile>
  <Meta>
    <Generator>rxsecrets-test</Generator>
    <DatabaseName>rxsecrets</DatabaseName>
    <CustomData><Item><Key>FDO_SECRETS_EXPOSED_GROUP</Key><Value>{${groupUuid}}</Value></Item></CustomData>
  </Meta>
  <Root><Group><UUID>${base64}</UUID><Name>Root</Name></Group></Root>
</KeePassFile>
`;
}

/** Starts KeePassXC on a private bus with an unlocked database; see the module comment. */
export async function startKeePassXC(startTimeoutMs = 15_000): Promise<TestSecretService> {
  const world = await startPrivateBus(startTimeoutMs);
  const password = 'rxsecrets-test';
  try {
    const database = join(world.dir, 'db', 'rxsecrets.kdbx');
    await mkdir(join(world.dir, 'db'));
    await mkdir(join(world.env.XDG_CONFIG_HOME as string, 'keepassxc'), { recursive: true });
    await writeFile(join(world.env.XDG_CONFIG_HOME as string, 'keepassxc', 'keepassxc.ini'), SETTINGS);
    const xml = join(world.dir, 'db', 'rxsecrets.xml');
    await writeFile(xml, databaseXml(randomUUID()));
    // -t 100: the lowest key-derivation target, so opening the database costs ~0.1 s
    const importer = world.spawn('keepassxc-cli', ['import', '-q', '-p', '-t', '100', xml, database], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    importer.stdin?.end(`${password}\n${password}\n`);
    await withTimeout(
      new Promise<void>((resolve, reject) =>
        importer.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`keepassxc-cli import failed: ${world.log()}`)),
        ),
      ),
      startTimeoutMs,
      () => 'keepassxc-cli import timed out',
    );
    // The collection exists as soon as the database tab does, still locked; it unlocks a moment later (a write in
    // between would raise KeePassXC's unlock dialog): ready once the collection says it is unlocked
    // and, after a lock, once it lists again every item it had (KeePassXC re-publishes them one by one)
    let itemsBeforeLock = 0;
    const settled = (wantLocked: boolean): Promise<void> =>
      new Promise<void>((resolve) => {
        const onMessage = (message: { member?: string }): void => {
          if (/^(Collection|Item)(Created|Changed|Deleted)$/.test(message.member ?? '')) check();
        };
        const check = (): void => {
          world
            .secrets(KEEPASSXC_COLLECTION, 'org.freedesktop.DBus.Properties', 'GetAll', 's', [
              'org.freedesktop.Secret.Collection',
            ])
            .then(([properties]) => {
              const { Locked, Items } = properties as Record<string, { value: unknown }>;
              const count = ((Items?.value as unknown[]) ?? []).length;
              if (
                wantLocked ? Locked?.value !== true || count > 0 : Locked?.value !== false || count < itemsBeforeLock
              ) {
                recheck();
                return;
              }
              done = true;
              clearTimeout(timer);
              world.bus.off('message', onMessage);
              resolve();
            })
            .catch(recheck); // not on the bus yet
        };
        // KeePassXC's last signal may come before the state it announces: check again a little later too
        let done = false;
        let timer: NodeJS.Timeout | undefined;
        const giveUpAt = Date.now() + startTimeoutMs; // the caller's timeout reports it
        const recheck = (): void => {
          clearTimeout(timer);
          if (!done && Date.now() < giveUpAt) timer = setTimeout(check, 250).unref();
        };
        world.bus.on('message', onMessage);
        check();
      });
    await call(world.bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [
      "type='signal',interface='org.freedesktop.Secret.Service'",
    ]);
    await call(world.bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [
      `type='signal',interface='org.freedesktop.Secret.Collection',path='${KEEPASSXC_COLLECTION}'`,
    ]);
    const exposed = settled(false);
    const app = world.spawn('keepassxc', ['--pw-stdin', database], { stdio: ['pipe', 'ignore', 'pipe'] });
    app.stdin?.end(`${password}\n`);
    await unlessExited(
      app,
      withTimeout(exposed, startTimeoutMs, () => `KeePassXC did not publish its collection: ${world.log()}`),
      () => `keepassxc exited early: ${world.log()}`,
    );
    const mainWindow = (member: string, signature = '', body: unknown[] = []) =>
      call(world.bus, MAIN_WINDOW, '/keepassxc', MAIN_WINDOW, member, signature, body);
    return {
      kind: 'keepassxc',
      address: world.address,
      env: world.env,
      dir: world.dir,
      defaultCollection: KEEPASSXC_COLLECTION,
      // lockAllDatabases returns before the lock is done: locked once the collection says so and lists no item
      lock: async () => {
        const [items] = await world.secrets(KEEPASSXC_COLLECTION, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [
          'org.freedesktop.Secret.Collection',
          'Items',
        ]);
        itemsBeforeLock = ((items as { value: unknown[] }).value ?? []).length;
        const done = settled(true);
        await mainWindow('lockAllDatabases');
        await withTimeout(done, startTimeoutMs, () => `KeePassXC did not lock: ${world.log()}`);
      },
      unlock: async () => {
        const [locked] = await world.secrets(KEEPASSXC_COLLECTION, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [
          'org.freedesktop.Secret.Collection',
          'Locked',
        ]);
        if ((locked as { value: unknown }).value === false) return; // openDatabase would only raise the window
        const done = settled(false);
        await mainWindow('openDatabase', 'ss', [database, password]);
        await withTimeout(done, startTimeoutMs, () => `KeePassXC did not unlock: ${world.log()}`);
      },
      log: world.log,
      stop: world.stop,
      died: () => app.signalCode ?? (app.exitCode === null ? undefined : `exit code ${app.exitCode}`),
    };
  } catch (error) {
    await world.stop();
    throw error;
  }
}
