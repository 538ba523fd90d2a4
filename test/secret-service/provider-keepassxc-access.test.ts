// KeePassXC 2.7.4 opens an "Access Request" dialog when a client writes over an item another client created, even
// with access confirmation off (keepassxreboot/keepassxc#9255, fixed in 2.7.5). Its own KeePassXC: the dismissed
// prompt leaves the dialog open, and KeePassXC then refuses to lock and may crash, so no other test shares it.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isAccessDeniedError } from '../../src/index.js';
import { run, uniqueAttributes } from '../support/secret-service-fixture.js';
import { startKeePassXC } from '../support/secret-service-keepassxc.js';
import type { TestSecretService } from '../support/secret-service-peers.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

let keepassxc: TestSecretService | undefined;
test.before(async () => {
  keepassxc = await startKeePassXC();
});
test.after.always(() => keepassxc?.stop());

test('overwriting an item secret-tool created ends with AccessDeniedError within the prompt timeout', async (t) => {
  const service = keepassxc as TestSecretService;
  const attributes = uniqueAttributes({ writer: 'secret-tool' });
  await run(service, 'secret-tool', ['store', '--label=st', ...Object.entries(attributes).flat()], 'first');
  const secrets = secretsOn(t, service, { promptTimeout: 500 });
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.set(refFor(attributes), 'second')));
  const elapsed = performance.now() - started;
  t.true(isAccessDeniedError(error), String(error));
  t.regex(String(error?.message), /KeePassXC 2\.7\.4/);
  t.true(elapsed < 5000, `${elapsed} ms: dismissed after the prompt timeout, not retried`);
  t.is((await firstValueFrom(secrets.get(refFor(attributes)))).value, 'first', 'nothing was written');
});
