// Interop with an independent client, secret-tool (libsecret), held to the same contract on every Secret Service.
import { firstValueFrom } from 'rxjs';
import { isAccessDeniedError } from '../../../src/index.js';
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

  if (world.kind === 'keepassxc') {
    world.test(
      '2.7.4: overwriting an item secret-tool created ends with AccessDeniedError within the prompt timeout',
      async (t) => {
        const attributes = uniqueAttributes({ writer: 'secret-tool' });
        await run(world.service, 'secret-tool', ['store', '--label=st', ...Object.entries(attributes).flat()], 'first');
        const secrets = world.secrets(t, { promptTimeout: 500 });
        const started = performance.now();
        const error = await t.throwsAsync(firstValueFrom(secrets.set(refFor(attributes), 'second')));
        const elapsed = performance.now() - started;
        t.true(isAccessDeniedError(error), String(error));
        t.regex(String(error?.message), /KeePassXC 2\.7\.4/);
        t.true(elapsed < 5000, `${elapsed} ms: dismissed after the prompt timeout, not retried`);
        t.is((await firstValueFrom(secrets.get(refFor(attributes)))).value, 'first', 'nothing was written');
        // the dismissed dialog is gone: the next write goes through
        const other = refFor(uniqueAttributes());
        await firstValueFrom(secrets.set(other, 'fine'));
        t.is((await firstValueFrom(secrets.get(other))).value, 'fine');
      },
    );
  }
}
