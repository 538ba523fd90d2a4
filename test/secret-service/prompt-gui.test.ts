import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { isPromptDismissedError } from '../../src/core/errors/index.js';
import { Interfaces, SecretServiceClient } from '../../src/providers/secret-service/index.js';
import type { SecretServiceDaemon } from '../support/secret-service-daemon.js';
import { startSecretServiceDaemon } from '../support/secret-service-daemon.js';
import { monitorBus } from '../support/secret-service-fixture.js';
import { startXvfb, type Xvfb } from '../support/secret-service-xvfb.js';

// Real gcr-prompter dialogs on a private Xvfb, answered with xdotool. One display, one prompt at a time: serial.
let xvfb: Xvfb | undefined;
let daemon: SecretServiceDaemon | undefined;
let client: SecretServiceClient | undefined;

test.before(async () => {
  xvfb = await startXvfb();
  daemon = await startSecretServiceDaemon({ display: xvfb.display });
  client = await SecretServiceClient.connect({ address: daemon.address });
});

test.after.always(async () => {
  await client?.close();
  await daemon?.stop();
  await xvfb?.stop();
});

async function lockedCollection(label: string) {
  const collection = client!.collection(await daemon!.createCollection(label));
  await daemon!.lock(collection.path);
  return collection;
}

test.serial('a real Unlock prompt answered with the password unlocks the collection', async (t) => {
  const collection = await lockedCollection('gui-accept');
  const unlocked = firstValueFrom(collection.unlock());
  await xvfb!.acceptPrompt(daemon!.password);
  t.deepEqual(await unlocked, [collection.path]);
  t.false(await collection.isLocked());
});

test.serial('a real Unlock prompt cancelled with Escape fails with PromptDismissedError', async (t) => {
  const collection = await lockedCollection('gui-cancel');
  const unlocked = firstValueFrom(collection.unlock());
  await xvfb!.cancelPrompt();
  t.true(isPromptDismissedError(await t.throwsAsync(unlocked)));
  t.true(await collection.isLocked());
});

test.serial('unsubscribing from an open Unlock prompt on gnome-keyring leaves the dialog to the user', async (t) => {
  // gnome-keyring 42 aborts when an open Unlock prompt is dismissed, so the client must not send Dismiss here
  const collection = await lockedCollection('gui-left-open');
  const monitor = await monitorBus(daemon!.address, [`interface='${Interfaces.prompt}'`]);
  t.teardown(() => monitor.stop());
  const subscription = collection.unlock().subscribe({ error: () => {} });
  const prompt = await monitor.waitFor((message) => message.member === 'Prompt');
  await xvfb!.waitForPrompt();
  subscription.unsubscribe();
  // Dismiss would be sent right after unsubscribe: a ping through the service orders us after it
  t.true(await client!.isAvailable(), 'gnome-keyring is still running');
  await client!.readAlias('default');
  t.true(await xvfb!.promptVisible(), 'the dialog is still shown');
  t.false(monitor.messages.some((message) => message.member === 'Dismiss'));
  // the user answers the dialog that was left open; the service completes the prompt
  await xvfb!.cancelPrompt();
  const completed = await monitor.waitFor((message) => message.member === 'Completed' && message.path === prompt.path);
  t.is(completed.body[0], true);
  t.true(await client!.isAvailable());
});
