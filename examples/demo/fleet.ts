/**
 * The demo of fleet coordination: three instances of one service watch 30 Parameter Store refs (on the AWS
 * emulator) through a private redis-server; one leads and probes for all, the others follow its version table.
 * Skipped, with a note, when `redis-server` is not installed.
 */
import { filter, firstValueFrom, type Subscription, take, toArray } from 'rxjs';
import { startAwsEmulator } from '../../src/emulators/aws/index.js';
import { redisFleet } from '../../src/fleet/redis/index.js';
import { createSecrets, type Secrets } from '../../src/index.js';
import { parameterStore } from '../../src/providers/aws/index.js';
import { installed } from '../../test/support/installed.js';
import { startRedisServer } from '../../test/support/redis-server.js';
import { log } from './log.js';

const K = 3;
const M = 30;

/** Runs the fleet section of the demo, or explains why it cannot. */
export async function fleetDemo(): Promise<void> {
  if (!installed('redis-server')) {
    log('== fleet: skipped — redis-server is not installed (Debian/Ubuntu: apt-get install redis-server)');
    return;
  }
  log(`== fleet: ${K} instances × ${M} Parameter Store refs coordinated through a private redis-server`);
  const [emulator, redis] = await Promise.all([startAwsEmulator(), startRedisServer()]);
  const instances: Secrets[] = [];
  const subscriptions: Subscription[] = [];
  try {
    const names = Array.from({ length: M }, (_, i) => `/demo/fleet/p${i}`);
    for (const name of names) emulator.store.parameters.putParameter({ Name: name, Value: 'v1', Type: 'String' });
    const { endpoint, region, credentials } = emulator.clientConfig();
    let leader: Secrets | undefined;
    const firstValues: Promise<unknown>[] = [];
    for (let i = 0; i < K; i += 1) {
      const secrets = createSecrets({
        providers: [parameterStore({ endpoint, region, credentials })],
        watch: { interval: 500 },
        fleet: redisFleet({ url: redis.url, namespace: 'demo-svc', leaseTtl: '1500ms', spread: 100 }),
      });
      secrets.events.subscribe((event) => {
        if (event.type === 'lease-acquired') leader = secrets;
      });
      firstValues.push(
        firstValueFrom(
          secrets.events.pipe(
            filter((e) => e.type === 'watch-changed'),
            take(M),
            toArray(),
          ),
        ),
      );
      for (const name of names) subscriptions.push(secrets.watch(`aws-ssm:${name}`).subscribe());
      instances.push(secrets);
    }
    await Promise.all(firstValues);
    while (leader === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    const rounds = (n: number) =>
      firstValueFrom(
        (leader as Secrets).events.pipe(
          filter((e) => e.type === 'watch-probe'),
          take(n),
          toArray(),
        ),
      );
    await rounds(3);
    const before = emulator.stats.count('ssm.GetParameters');
    await rounds(4);
    const probes = (emulator.stats.count('ssm.GetParameters') - before) / 4;
    log(`instance ${instances.indexOf(leader) + 1} leads; GetParameters per interval for the whole fleet: ${probes}`);
    log(`  (each instance polling on its own: ${K * Math.ceil(M / 10)})`);

    const seen = instances.map((secrets) =>
      firstValueFrom(
        secrets.events.pipe(
          filter((e) => e.type === 'watch-changed'),
          take(M),
          toArray(),
        ),
      ),
    );
    for (const name of names) {
      emulator.store.parameters.putParameter({ Name: name, Value: 'v2', Type: 'String', Overwrite: true });
    }
    const changed = await Promise.all(seen);
    log(
      `rotated all ${M}: every instance saw each new version once: ${changed.every((c) => new Set(c.map((e) => (e as { ref: string }).ref)).size === M)}`,
    );
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
    await Promise.all(instances.map((secrets) => secrets.close()));
    await Promise.all([emulator.stop(), redis.dispose()]);
  }
}
