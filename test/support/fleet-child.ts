// One instance of a fleet in its own process, for tests that kill or freeze it. Arguments: the emulator's endpoint,
// region, the Redis URL, the namespace, then the parameter names. Prints one JSON line per fleet event.

import { redisFleet } from '../../src/fleet/redis/index.js';
import { createSecrets } from '../../src/index.js';
import { parameterStore } from '../../src/providers/aws/index.js';
import { FLEET_TIMING } from './fleet-fixture.js';

const [endpoint, region, url, namespace, ...names] = process.argv.slice(2) as [string, string, string, string];
const secrets = createSecrets({
  providers: [parameterStore({ endpoint, region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } })],
  watch: { interval: FLEET_TIMING.interval, minBackoff: FLEET_TIMING.interval },
  fleet: redisFleet({
    url,
    namespace,
    leaseTtl: FLEET_TIMING.leaseTtl,
    spread: FLEET_TIMING.spread,
    commandTimeout: 1500,
  }),
});
secrets.events.subscribe((event) => {
  if (['lease-acquired', 'lease-lost', 'fleet-lost', 'fleet-restored'].includes(event.type)) {
    process.stdout.write(`${JSON.stringify({ type: event.type })}\n`);
  }
});
for (const name of names) secrets.watch(`aws-ssm:${name}`).subscribe();
process.on('SIGTERM', () => void secrets.close().then(() => process.exit(0)));
// The parent holds our stdin: when it goes (a test that failed, a killed run), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
