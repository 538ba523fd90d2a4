import test from 'ava';
import {
  ConflictError,
  InvalidSecretRefError,
  isProviderUnavailableError,
  SecretNotFoundError,
  ValidationError,
} from '../../src/core/errors/index.js';
import { makeRef, parseSecretPrefix, parseSecretRef } from '../../src/core/ref.js';
import { memoryProvider } from '../../src/providers/memory/index.js';

const ctx = () => ({ signal: new AbortController().signal });

test('stats has exactly the documented keys', (t) => {
  t.deepEqual(Object.keys(memoryProvider().stats).sort(), ['delete', 'get', 'getMany', 'listPage', 'probe', 'set']);
});

test('every set makes a new version; old versions stay readable', async (t) => {
  const provider = memoryProvider();
  const ref = parseSecretRef('memory:db/password');
  t.is((await provider.set(ref, 'one', {}, ctx())).version, '1');
  t.is((await provider.set(ref, 'two', { tags: { env: 'prod' } }, ctx())).version, '2');
  const latest = await provider.get(ref, ctx());
  t.is(latest.value, 'two');
  t.is(latest.version, '2');
  t.deepEqual(latest.tags, { env: 'prod' });
  t.is((await provider.get(makeRef('memory', 'db/password', '1'), ctx())).value, 'one');
  await t.throwsAsync(provider.get(makeRef('memory', 'db/password', '9'), ctx()), {
    instanceOf: SecretNotFoundError,
  });
  t.is(provider.stats.set, 2);
  t.is(provider.stats.get, 3);
});

test('bad input is a typed error and nothing is written', async (t) => {
  const provider = memoryProvider({ maxValueBytes: 8 });
  const ref = parseSecretRef('memory:a');
  const over9 = await t.throwsAsync(provider.set(ref, 'x'.repeat(9), {}, ctx()), { instanceOf: ValidationError });
  const over50 = await t.throwsAsync(provider.set(ref, 'y'.repeat(50), {}, ctx()), { instanceOf: ValidationError });
  t.is(over9?.message, over50?.message, 'the message does not tell the value’s size');
  t.false(provider.store.has('a'));
  t.is(provider.stats.set, 0);
  t.throws(() => provider.validateRef(parseSecretRef('memory:bad\u0001name')), { instanceOf: InvalidSecretRefError });
  await provider.set(ref, 'v', {}, ctx());
  await t.throwsAsync(provider.set(ref, 'w', { ifNotExists: true }, ctx()), { instanceOf: ConflictError });
  t.is(provider.store.versions('a').length, 1);
});

test('listing pages by pageSize, one level unless recursive', async (t) => {
  const secrets: Record<string, string> = { 'app/a': '1', 'app/b': '2', 'app/c': '3', 'app/deep/x': '4', other: '5' };
  const provider = memoryProvider({ secrets, pageSize: 2 });
  const prefix = parseSecretPrefix('memory:app/');
  const first = await provider.listPage(prefix, {}, undefined, ctx());
  t.deepEqual(
    first.items.map((i) => i.name),
    ['app/a', 'app/b'],
  );
  const second = await provider.listPage(prefix, {}, first.next, ctx());
  t.deepEqual(
    second.items.map((i) => i.name),
    ['app/c'],
  );
  t.is(second.next, undefined);
  const all = await provider.listPage(prefix, { recursive: true, pageSize: 10 }, undefined, ctx());
  t.deepEqual(
    all.items.map((i) => i.name),
    ['app/a', 'app/b', 'app/c', 'app/deep/x'],
  );
  t.false(JSON.stringify(all.items).includes('"value"'));
});

test('probe reports versions per ref and errors per missing ref', async (t) => {
  const provider = memoryProvider({ secrets: { a: 'x' } });
  provider.store.put('a', 'y');
  const results = await provider.probe([parseSecretRef('memory:a'), parseSecretRef('memory:missing')], ctx());
  t.deepEqual(results[0], { version: '2' });
  t.true((results[1] as { error: unknown }).error instanceof SecretNotFoundError);
  t.is(provider.stats.probe, 1);
});

test('latency honours the abort signal', async (t) => {
  const provider = memoryProvider({ secrets: { a: 'x' }, latency: '10s' });
  const controller = new AbortController();
  const pending = provider.get(parseSecretRef('memory:a'), { signal: controller.signal });
  controller.abort(new Error('stop'));
  await t.throwsAsync(pending, { message: 'stop' });
});

test('injected failures are transient and deterministic with a seeded random', async (t) => {
  const rolls = [0.1, 0.9];
  const provider = memoryProvider({ secrets: { a: 'x' }, failureRate: 0.5, random: () => rolls.shift() ?? 1 });
  const error = await t.throwsAsync(provider.get(parseSecretRef('memory:a'), ctx()));
  t.true(isProviderUnavailableError(error));
  t.true((error as unknown as { transient: boolean }).transient);
  t.is((await provider.get(parseSecretRef('memory:a'), ctx())).value, 'x');
  t.throws(() => memoryProvider({ failureRate: 2 }), { instanceOf: ValidationError });
});

test('JSON seeds are stored as JSON text with a JSON content type', async (t) => {
  const provider = memoryProvider({ secrets: { cfg: { user: 'u', port: 5432 } } });
  const secret = await provider.get(parseSecretRef('memory:cfg'), ctx());
  t.is(secret.value, '{"user":"u","port":5432}');
  t.is(secret.contentType, 'application/json');
});

test('the change feed exists only when pushChanges is on', (t) => {
  t.is(memoryProvider().changes, undefined);
  const pushing = memoryProvider({ pushChanges: true });
  const seen: string[][] = [];
  const subscription = pushing.changes?.().subscribe((hint) => seen.push([...(hint.names ?? [])]));
  pushing.store.put('a', 'x');
  subscription?.unsubscribe();
  t.deepEqual(seen, [['a']]);
  t.is(pushing.capabilities.changeDetection, 'push');
});
