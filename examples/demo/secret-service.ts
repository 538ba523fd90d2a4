/**
 * The demo on the Linux keyring (freedesktop Secret Service over D-Bus). It starts a private gnome-keyring on a
 * private bus when the binaries are installed (never touching your own keyring); otherwise it uses a session bus
 * that offers the service, cleaning up its demo item; otherwise it says so and skips.
 */
import { filter, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { createSecrets } from '../../src/index.js';
import { secretService } from '../../src/providers/secret-service/index.js';
import { installed } from '../../test/support/installed.js';
import { startSecretServiceDaemon } from '../../test/support/secret-service-daemon.js';
import { log, since } from './log.js';

/** Runs the Secret Service section of the demo, or explains why it cannot. */
export async function secretServiceDemo(): Promise<void> {
  const canStartPrivate = installed('gnome-keyring-daemon') && installed('dbus-daemon');
  const sessionBus = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (!canStartPrivate && !sessionBus) {
    log('== secret-service: skipped — gnome-keyring-daemon and dbus-daemon are not installed and no session bus');
    log('   is available (Debian/Ubuntu: apt-get install dbus gnome-keyring)');
    return;
  }
  const daemon = canStartPrivate ? await startSecretServiceDaemon() : undefined;
  try {
    const bus = daemon?.address ?? (sessionBus as string);
    log(`== secret-service: ${daemon ? 'a private gnome-keyring on a private bus' : 'the session bus'}`);
    await using secrets = createSecrets({
      providers: [secretService({ bus, nonInteractive: true })],
      watch: { interval: '1h' }, // changes are pushed by D-Bus signals: no polling needed for this demo
    });
    const ref = 'secret-service:default?app=rxsecrets-demo&user=alice';
    const probes: string[] = [];
    secrets.events.pipe(filter((event) => event.type === 'watch-probe')).subscribe((e) => probes.push(e.type));

    await firstValueFrom(secrets.set(ref, 'initial-password', { label: 'rxsecrets demo' }));
    const secret = await firstValueFrom(secrets.get(ref));
    log(`get ${ref} -> ${secret} (${String(secret.value).length} characters)`);
    for await (const info of secrets.list('secret-service:default?app=rxsecrets-demo')) log(`  listed ${info.name}`);

    const watch = secrets.watch(ref);
    const seen = firstValueFrom(watch.pipe(take(2), toArray()));
    await firstValueFrom(watch);
    const started = performance.now();
    await firstValueFrom(secrets.set(ref, 'rotated-password'));
    const [, rotated] = await seen;
    log(`watch saw the new value ${since(started)} ms after the write, pushed by a D-Bus signal`);
    log(
      `watch probes (polling calls) for that change: ${probes.length}; new value length ${String(rotated?.value).length}`,
    );

    await lastValueFrom(secrets.delete(ref));
    log(`deleted; exists now: ${await firstValueFrom(secrets.exists(ref))}`);
  } finally {
    await daemon?.stop();
  }
}
