// Watch probes served by the item cache on gnome-keyring: a poll costs an alias read and one GetSecrets, and no
// change is missed (a SetSecret, which sends no signal, a newer match, an attribute change, a service restart).
import test, { type ExecutionContext } from 'ava';
import { firstValueFrom } from 'rxjs';
import { isSecretNotFoundError, makeRef, type ProbeResult, type Secrets } from '../../src/index.js';
import type { SecretServiceProvider } from '../../src/providers/secret-service/index.js';
import { countCalls } from '../support/secret-service-call-counter.js';
import { LOGIN_COLLECTION, run, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

const fixture = useSecretServiceDaemon(test);

/** The provider's probe of these refs, as the watch engine calls it. */
function probe(secrets: Secrets, refs: readonly string[]): Promise<readonly ProbeResult[]> {
  const provider = secrets.provider<SecretServiceProvider>('secret-service');
  const parsed = refs.map((ref) => makeRef('secret-service', ref.slice('secret-service:'.length)));
  return provider.probe(parsed, { signal: new AbortController().signal });
}

const versionOf = (result: ProbeResult | undefined) => (result && 'version' in result ? result.version : undefined);

async function watchedGroup(t: ExecutionContext, size: number) {
  const secrets = secretsOn(t, fixture.daemon);
  const group = uniqueAttributes();
  const attributes = Array.from({ length: size }, (_, i) => ({ ...group, n: String(i) }));
  const refs = attributes.map((a) => refFor(a));
  for (const [i, ref] of refs.entries()) await firstValueFrom(secrets.set(ref, `value-${i}`));
  const read = await firstValueFrom(secrets.getMany(refs)); // what a watch does first: one shared search
  return { secrets, attributes, refs, versions: read.map((r) => (r.ok ? r.secret.version : undefined)) };
}

// call counts: serial, since another test's write into the same collection drops the cached searches
test.serial('after a getMany, probing its refs costs an alias read and one GetSecrets: no search', async (t) => {
  const { secrets, refs, versions } = await watchedGroup(t, 12);
  const calls = await countCalls(secrets);
  const results = await probe(secrets, refs);
  t.deepEqual(results.map(versionOf), versions);
  t.deepEqual(calls(), { ReadAlias: 1, GetSecrets: 1 });
});

test.serial('a SetSecret by another client (no signal) changes the probed version; still no search', async (t) => {
  const { secrets, attributes, refs, versions } = await watchedGroup(t, 6);
  const other = await fixture.client();
  const [item] = await other.collection(LOGIN_COLLECTION).searchItems(attributes[2] as Record<string, string>);
  await item?.setSecret('changed');
  const calls = await countCalls(secrets);
  const after = (await probe(secrets, refs)).map(versionOf);
  t.notDeepEqual(after[2], versions[2]);
  t.deepEqual([...after.slice(0, 2), ...after.slice(3)], [...versions.slice(0, 2), ...versions.slice(3)]);
  t.is(calls().SearchItems, undefined);
  // the next read returns the new value with that very version
  const secret = await firstValueFrom(secrets.get(refs[2] as string));
  t.is(secret.value, 'changed');
  t.is(secret.version, after[2]);
});

test('a newer match stored by secret-tool and an attribute change are seen by the next probe', async (t) => {
  const { secrets, attributes, refs, versions } = await watchedGroup(t, 5);
  const target = attributes[1] as Record<string, string>;
  await run(fixture.daemon, 'secret-tool', ['store', '--label=newer', ...Object.entries(target).flat()], 'newer');
  const afterStore = await probe(secrets, refs);
  t.not(versionOf(afterStore[1]), versions[1]);
  t.is(versionOf(afterStore[0]), versions[0]);
  t.is((await firstValueFrom(secrets.get(refs[1] as string))).value, 'newer');

  const other = await fixture.client();
  const [moved] = await other.collection(LOGIN_COLLECTION).searchItems(attributes[3] as Record<string, string>);
  await moved?.setAttributes({ ...attributes[3], n: 'elsewhere' });
  const afterMove = await probe(secrets, refs);
  const error = afterMove[3] && 'error' in afterMove[3] ? afterMove[3].error : undefined;
  t.true(isSecretNotFoundError(error), String(error));
  t.is(versionOf(afterMove[4]), versions[4]);
});

test('cacheItems: false: every probe searches each ref', async (t) => {
  const secrets = secretsOn(t, fixture.daemon, { cacheItems: false });
  const group = uniqueAttributes();
  const refs = [0, 1, 2, 3].map((i) => refFor({ ...group, n: String(i) }));
  for (const ref of refs) await firstValueFrom(secrets.set(ref, 'v'));
  await firstValueFrom(secrets.getMany(refs));
  const calls = await countCalls(secrets);
  await probe(secrets, refs);
  await probe(secrets, refs);
  t.is(calls().SearchItems, 8);
});
