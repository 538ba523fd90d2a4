import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isLockedError, isPromptDismissedError } from '../../src/index.js';
import { uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';
import { AT_ONCE_MS, LONG_TIMEOUT_MS, since } from '../support/timing.js';

// gcr-prompter cannot show a dialog here (no display): every unlock prompt completes dismissed at once.
const fixture = useSecretServiceDaemon(test);

/** A new collection holding one item per value, locked afterwards; returns the refs. */
async function lockedCollection(label: string, values: string[]): Promise<{ path: string; refs: string[] }> {
  const client = await fixture.client();
  const path = await fixture.daemon.createCollection(label);
  const group = uniqueAttributes();
  const refs: string[] = [];
  for (const [index, value] of values.entries()) {
    const attributes = { ...group, n: String(index) };
    await client.collection(path).createItem({ label: value, attributes, secret: value });
    refs.push(refFor(attributes, path));
  }
  await fixture.daemon.lock(path);
  return { path, refs };
}

test('non-interactive: a locked item fails at once with LockedError, and no prompt is started', async (t) => {
  const { refs } = await lockedCollection('locked-ni', ['a']);
  const secrets = secretsOn(t, fixture.daemon, { nonInteractive: true, callTimeout: LONG_TIMEOUT_MS });
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.get(refs[0]!)));
  t.true(isLockedError(error), String(error));
  t.true(since(started) < AT_ONCE_MS, 'failed at once, not at the call timeout');
  t.true(await firstValueFrom(secrets.exists(refs[0]!)), 'a locked item still exists');
});

test('non-interactive getMany reports locked refs one by one and reads the others', async (t) => {
  const { refs: locked } = await lockedCollection('locked-mix', ['l1', 'l2']);
  const secrets = secretsOn(t, fixture.daemon, { nonInteractive: true });
  const open = refFor(uniqueAttributes());
  await firstValueFrom(secrets.set(open, 'readable'));
  const results = await firstValueFrom(secrets.getMany([locked[0]!, open, locked[1]!]));
  t.deepEqual(
    results.map((result) => (result.ok ? result.secret.value : isLockedError(result.error) ? 'locked' : 'other')),
    ['locked', 'readable', 'locked'],
  );
});

test('non-interactive set into a locked collection is LockedError', async (t) => {
  const { path } = await lockedCollection('locked-set', []);
  const secrets = secretsOn(t, fixture.daemon, { nonInteractive: true });
  const error = await t.throwsAsync(firstValueFrom(secrets.set(refFor(uniqueAttributes(), path), 'x')));
  t.true(isLockedError(error), String(error));
});

test('interactive, headless: the unlock prompt is dismissed and the read fails fast with PromptDismissedError', async (t) => {
  const { refs } = await lockedCollection('locked-i', ['a']);
  const secrets = secretsOn(t, fixture.daemon);
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(secrets.get(refs[0]!)));
  t.true(isPromptDismissedError(error), String(error));
  // dismissed by the headless prompter, not ended by the prompt timeout (5 minutes by default)
  t.true(since(started) < AT_ONCE_MS, `${since(started)} ms`);
});

test('once unlocked (by anyone), the same provider reads the item', async (t) => {
  const { path, refs } = await lockedCollection('locked-then-open', ['secret after unlock']);
  const secrets = secretsOn(t, fixture.daemon, { nonInteractive: true });
  t.true(isLockedError(await t.throwsAsync(firstValueFrom(secrets.get(refs[0]!)))));
  await fixture.daemon.unlock(path);
  t.is((await firstValueFrom(secrets.get(refs[0]!))).value, 'secret after unlock');
});
