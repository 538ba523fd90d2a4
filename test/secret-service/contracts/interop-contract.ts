// Interop with an independent client, secret-tool (libsecret), held to the same contract on every Secret Service.
import { firstValueFrom } from 'rxjs';
import { DH_ALGORITHM, PLAIN_ALGORITHM, type SessionAlgorithm } from '../../../src/providers/secret-service/index.js';
import type { SecretServiceWorld } from '../../support/secret-service-contract-fixture.js';
import { run, uniqueAttributes } from '../../support/secret-service-fixture.js';
import { refFor } from '../../support/secret-service-provider-fixture.js';

const TEXT = 'interop ✓ päss 秘密';

/** Registers the secret-tool interop scenarios for one service. */
export function interopContract(world: SecretServiceWorld): void {
  for (const algorithm of [DH_ALGORITHM, PLAIN_ALGORITHM] as SessionAlgorithm[]) {
    const name = algorithm === DH_ALGORITHM ? 'dh' : 'plain';

    world.test(
      `${name}: what secret-tool stores, the provider reads; what the provider stores, secret-tool looks up`,
      async (t) => {
        const secrets = world.secrets(t, { algorithm });
        const fromTool = uniqueAttributes({ writer: 'secret-tool' });
        await run(world.service, 'secret-tool', ['store', '--label=st', ...Object.entries(fromTool).flat()], TEXT);
        const secret = await firstValueFrom(secrets.get(refFor(fromTool)));
        t.is(secret.value, TEXT);
        t.is(secret.metadata.label, 'st');

        const fromUs = uniqueAttributes({ writer: 'rxsecrets' });
        await firstValueFrom(secrets.set(refFor(fromUs), `${TEXT} (rx)`));
        const stdout = await run(world.service, 'secret-tool', ['lookup', ...Object.entries(fromUs).flat()]);
        t.is(stdout.toString('utf8'), `${TEXT} (rx)`);
      },
    );
  }
}
