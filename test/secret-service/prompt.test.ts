import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isPromptDismissedError, isTimeoutError } from '../../src/core/errors/index.js';
import { Interfaces, runPrompt } from '../../src/providers/secret-service/index.js';
import { monitorBus, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { AT_ONCE_MS, since } from '../support/timing.js';

// gcr-prompter without a display: every prompt completes dismissed by itself
const headless = useSecretServiceDaemon(test);
// a prompter that never answers: prompts stay open until dismissed
const silent = useSecretServiceDaemon(test, { prompter: 'silent' });

const isCall = (member: string, path?: string) => (message: { member: string; path: string; interface: string }) =>
  message.interface === Interfaces.prompt && message.member === member && (path === undefined || message.path === path);

test('unlocking a locked collection runs a real prompt; headless it is dismissed fast', async (t) => {
  const client = await headless.client();
  const collection = client.collection(await headless.daemon.createCollection('prompted'));
  await headless.daemon.lock(collection.path);
  const started = performance.now();
  const error = await t.throwsAsync(firstValueFrom(collection.unlock()));
  const elapsed = since(started);
  t.true(isPromptDismissedError(error), String(error));
  // dismissed by the headless prompter, not ended by the prompt timeout (5 minutes by default)
  t.true(elapsed < AT_ONCE_MS, `took ${elapsed} ms`);
  t.log(`dismissed prompt: ${elapsed.toFixed(0)} ms`);
  t.true(await collection.isLocked());
});

test('creating a collection prompts for its password; headless the prompt is dismissed', async (t) => {
  const client = await headless.client();
  t.true(isPromptDismissedError(await t.throwsAsync(firstValueFrom(client.createCollection('never')))));
  const labels = await Promise.all((await client.collections()).map((collection) => collection.label()));
  t.false(labels.includes('never'));
});

test('a prompt path of / needs no prompt', async (t) => {
  const client = await headless.client();
  t.deepEqual(await firstValueFrom(runPrompt(client.connection, '/')), { dismissed: false, result: undefined });
});

// With the silent prompter the CreateCollection prompt stays open. (Dismissing an *Unlock* prompt while its password
// dialog is pending aborts gnome-keyring 42: "gkd-secret-unlock.c: assertion failed: (!self->current)"; the
// CreateCollection prompt is dismissed cleanly, so these tests use it.)

test.serial('unsubscribing from an open prompt dismisses it on the service', async (t) => {
  const client = await silent.client();
  const monitor = await monitorBus(silent.daemon.address, [`interface='${Interfaces.prompt}'`]);
  t.teardown(() => monitor.stop());
  const outcomes: string[] = [];
  const subscription = client
    .createCollection('dismissed-by-unsubscribe')
    .subscribe({ next: () => outcomes.push('next'), error: () => outcomes.push('error') });
  const promptCall = await monitor.waitFor(isCall('Prompt'));
  subscription.unsubscribe();
  await monitor.waitFor(isCall('Dismiss', promptCall.path));
  const completed = await monitor.waitFor(
    (message) => message.member === 'Completed' && message.path === promptCall.path,
  );
  t.is(completed.body[0], true, 'the service reports the prompt dismissed');
  t.deepEqual(outcomes, [], 'an unsubscribed stream emits nothing');
  const labels = await Promise.all((await client.collections()).map((collection) => collection.label()));
  t.false(labels.includes('dismissed-by-unsubscribe'));
});

test.serial('a prompt that times out is dismissed and fails with TimeoutError; the next prompt can run', async (t) => {
  const client = await silent.client();
  const monitor = await monitorBus(silent.daemon.address, [`interface='${Interfaces.prompt}'`]);
  t.teardown(() => monitor.stop());
  // the silent prompter never answers: only the 300 ms prompt timeout can end this with a TimeoutError
  const error = await t.throwsAsync(firstValueFrom(client.createCollection('too-slow', { promptTimeout: 300 })));
  t.true(isTimeoutError(error), String(error));
  const prompt = await monitor.waitFor(isCall('Prompt'));
  await monitor.waitFor(isCall('Dismiss', prompt.path));
  // gnome-keyring runs one prompt at a time: had the first been left open, this one would never be shown
  const next = await t.throwsAsync(firstValueFrom(client.createCollection('also-too-slow', { promptTimeout: 300 })));
  t.true(isTimeoutError(next));
  const second = await monitor.waitFor((message) => isCall('Prompt')(message) && message.path !== prompt.path);
  await monitor.waitFor(isCall('Dismiss', second.path));
});

test.serial('the daemon with the silent prompter serves ordinary calls', async (t) => {
  const client = await silent.client();
  const login = client.collection('/org/freedesktop/secrets/collection/login');
  const item = await login.createItem({ label: 'p', attributes: uniqueAttributes(), secret: 'p' });
  t.is((await item.secret()).text(), 'p');
  t.true(await client.isAvailable(), 'gnome-keyring is still running after the dismissed prompts');
});
