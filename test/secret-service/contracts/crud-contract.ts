// Reads and writes through the facade, held to the same contract on every Secret Service.
import { firstValueFrom } from 'rxjs';
import { isConflictError, isSecretNotFoundError, type Secret, type SecretInfo } from '../../../src/index.js';
import type { SecretServiceWorld } from '../../support/secret-service-contract-fixture.js';
import { uniqueAttributes } from '../../support/secret-service-fixture.js';
import { refFor } from '../../support/secret-service-provider-fixture.js';

/** Registers the read / write scenarios for one service. */
export function crudContract(world: SecretServiceWorld): void {
  world.test('set then get, exists and delete', async (t) => {
    const secrets = world.secrets(t);
    const attributes = uniqueAttributes({ service: 'myapp', user: 'alice' });
    const ref = refFor(attributes);
    t.false(await firstValueFrom(secrets.exists(ref)));
    const written = await firstValueFrom(secrets.set(ref, 'p4ss wörd'));
    t.deepEqual(written.tags, attributes, "the user's attributes only");
    t.is(written.metadata.collection, world.service.defaultCollection);
    const secret = await firstValueFrom(secrets.get(ref));
    t.is(secret.value, 'p4ss wörd');
    t.is(secret.version, written.version);
    t.deepEqual(secret.tags, attributes);
    t.true(await firstValueFrom(secrets.exists(ref)));
    await firstValueFrom(secrets.set(ref, 'second'));
    const second = await firstValueFrom(secrets.get(ref));
    t.is(second.value, 'second');
    t.not(second.version, secret.version);
    t.is(second.metadata.path, secret.metadata.path, 'replaced in place');
    await firstValueFrom(secrets.delete(ref));
    t.false(await firstValueFrom(secrets.exists(ref)));
    t.true(isSecretNotFoundError(await t.throwsAsync(firstValueFrom(secrets.get(ref)))));
    t.true(isSecretNotFoundError(await t.throwsAsync(firstValueFrom(secrets.delete(ref)))));
  });

  world.test('JSON values read by key path; bytes stay bytes', async (t) => {
    const secrets = world.secrets(t);
    const json = refFor(uniqueAttributes({ kind: 'json' }));
    await firstValueFrom(secrets.set(json, { db: { user: 'app', password: 'hunter2' }, port: 5432 }));
    t.is((await firstValueFrom(secrets.get(`${json}#db.password`))).value, 'hunter2');
    t.is((await firstValueFrom(secrets.get(`${json}#port`))).value, 5432);
    const bytes = refFor(uniqueAttributes({ kind: 'bytes' }));
    await firstValueFrom(secrets.set(bytes, new Uint8Array([0, 255, 128, 1, 2])));
    t.deepEqual((await firstValueFrom(secrets.get(bytes))).value, new Uint8Array([0, 255, 128, 1, 2]));
  });

  world.test('attribute values with @, #, &, = and % round-trip through refs', async (t) => {
    const secrets = world.secrets(t);
    // KeePassXC 2.7.4 resolves %…% placeholders in entry fields whenever it walks its entries: a '%' in an attribute
    // logged "Maximum depth of replacement" and later crashed it (SIGSEGV) in whole-suite runs. There the value keeps
    // the other marks; '%' escaping is still proven on gnome-keyring and KWallet.
    const note = world.kind === 'keepassxc' ? 'a&b=c#d 100 percent' : 'a&b=c#d 100%';
    const attributes = uniqueAttributes({ user: 'alice@example.com', note });
    // a plain label: KeePassXC 2.7.4 resolves %…% placeholders in titles (the default label is the ref, %-encoded
    // here), logged "Maximum depth of replacement" and then crashed (SIGSEGV) in the whole-suite run
    await firstValueFrom(secrets.set(refFor(attributes), 'odd', { label: 'odd characters' }));
    const secret = await firstValueFrom(secrets.get(refFor(attributes)));
    t.is(secret.value, 'odd');
    t.deepEqual(secret.tags, attributes);
  });

  world.test('getMany reads many refs and reports misses per ref', async (t) => {
    const secrets = world.secrets(t);
    const group = uniqueAttributes();
    const refs = Array.from({ length: 5 }, (_, i) => refFor({ ...group, n: String(i) }));
    for (const [i, ref] of refs.entries()) await firstValueFrom(secrets.set(ref, `value-${i}`));
    const results = await firstValueFrom(secrets.getMany([...refs, refFor(uniqueAttributes())]));
    t.deepEqual(
      results.slice(0, 5).map((r) => (r.ok ? r.secret.value : r.error.message)),
      refs.map((_, i) => `value-${i}`),
    );
    const last = results[5];
    t.true(last !== undefined && !last.ok && isSecretNotFoundError(last.error));
  });

  world.test('ifNotExists refuses to overwrite; labels come from the options', async (t) => {
    const secrets = world.secrets(t, { label: (_ref, attributes) => `app ${attributes.n}` });
    const group = uniqueAttributes();
    const ref = refFor({ ...group, n: '1' });
    const written = await firstValueFrom(secrets.set(ref, 'first', { ifNotExists: true }));
    t.is(written.metadata.label, 'app 1');
    t.true(isConflictError(await t.throwsAsync(firstValueFrom(secrets.set(ref, 'second', { ifNotExists: true })))));
    t.is((await firstValueFrom(secrets.get(ref))).value, 'first');
    const custom = await firstValueFrom(secrets.set(refFor({ ...group, n: '2' }), 'y', { label: 'custom' }));
    t.is(custom.metadata.label, 'custom');
  });

  world.test(
    "listings page, name items by the user's attributes only, and each name reads the same item",
    async (t) => {
      const secrets = world.secrets(t, { pageSize: 3 });
      const group = uniqueAttributes({ listed: 'yes' });
      for (let i = 0; i < 7; i++) await firstValueFrom(secrets.set(refFor({ ...group, n: String(i) }), `v${i}`));
      const prefix = `secret-service:default?${new URLSearchParams(group).toString()}`;
      const pages: SecretInfo[][] = [];
      for await (const page of secrets.list(prefix).pages()) pages.push([...page]);
      t.deepEqual(
        pages.map((page) => page.length),
        [3, 3, 1],
      );
      const infos = pages.flat();
      for (const info of infos) {
        t.deepEqual(info.tags, { ...group, n: info.tags.n }, 'no attribute the service added');
        t.is(info.ref.text, refFor(info.tags), `${info.ref.text} names the item by its attributes`);
      }
      const reads = await firstValueFrom(secrets.getMany(infos.map((info) => info.ref)));
      t.deepEqual(
        reads.map((read) => (read.ok ? read.secret.metadata.path : read.error.message)),
        infos.map((info) => info.metadata.path),
        'each listed name reads back the same item',
      );
      const values: Secret[] = [];
      for await (const secret of secrets.list(prefix, { withValues: true })) values.push(secret);
      t.deepEqual(values.map((s) => s.value).sort(), ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    },
  );
}
