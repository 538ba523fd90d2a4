import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { startSecretServiceDaemon } from '../support/secret-service-daemon.js';
import { run, uniqueAttributes } from '../support/secret-service-fixture.js';
import { holdWatch, refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

test("a bus restarted at the same address: the watch resumes, sees another client's change, and gets work", async (t) => {
  const daemon = await startSecretServiceDaemon();
  t.teardown(() => daemon.stop());
  const secrets = secretsOn(t, daemon);
  const attributes = uniqueAttributes();
  const ref = refFor(attributes);
  await firstValueFrom(secrets.set(ref, 'before bus restart'));
  const watch = holdWatch(t, secrets, ref, { interval: '1h' });
  await watch.until((value) => value === 'before bus restart');

  const address = daemon.address;
  const started = performance.now();
  await daemon.restartBus();
  t.is(daemon.address, address, 'the bus is back at the same address');
  await run(daemon, 'secret-tool', ['store', '--label=outside', ...Object.entries(attributes).flat()], 'after restart');
  const seen = await watch.until((value) => value === 'after restart');
  t.log(`bus restart → change seen by the same watch: ${Math.round(seen.at - started)} ms`);
  t.deepEqual(
    watch.values.map((s) => s.value),
    ['before bus restart', 'after restart'],
  );
  const secret = await firstValueFrom(secrets.get(ref));
  t.is(secret.value, 'after restart');
});
