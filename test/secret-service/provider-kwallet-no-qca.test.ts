// KWallet without the QCA plugins (as on a system lacking libqca-qt5-2-plugins): its DH OpenSession answers
// InvalidArgs. Without allowPlain the provider fails saying what is missing; with it, it falls back to plain.
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isProviderError } from '../../src/index.js';
import { uniqueAttributes } from '../support/secret-service-fixture.js';
import { startKWallet } from '../support/secret-service-kwallet.js';
import type { TestSecretService } from '../support/secret-service-peers.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

let wallet: TestSecretService | undefined;
test.before(async () => {
  wallet = await startKWallet({ qcaPlugins: false });
});
test.after.always(() => wallet?.stop());

test('without allowPlain: a ProviderError naming the missing QCA plugin, and nothing written', async (t) => {
  const service = wallet as TestSecretService;
  const secrets = secretsOn(t, service, { retries: 0 });
  const ref = refFor(uniqueAttributes());
  const error = await t.throwsAsync(firstValueFrom(secrets.set(ref, 'never sent')));
  t.true(isProviderError(error), String(error));
  t.regex(String(error?.message), /InvalidArgs/);
  t.regex(String(error?.message), /libqca-qt5-2-plugins/);
  t.regex(String(error?.message), /allowPlain/);
  t.false(await firstValueFrom(secrets.exists(ref)), 'the write failed before CreateItem');
});

test('with allowPlain: falls back to a plain session on InvalidArgs', async (t) => {
  const service = wallet as TestSecretService;
  const secrets = secretsOn(t, service, { allowPlain: true });
  const ref = refFor(uniqueAttributes());
  await firstValueFrom(secrets.set(ref, 'in clear on a private bus'));
  t.is((await firstValueFrom(secrets.get(ref))).value, 'in clear on a private bus');
});
