// Delete and recover as streams of the SDK's own pollers, plus purge, getDeleted, backup and restore. The emulator
// runs on a manual clock: a deletion settles when the test says so (after the n-th poll), never by sleeping.
import test from 'ava';
import { firstValueFrom, take } from 'rxjs';
import { isSecretDeletedError, isSecretNotFoundError, isValidationError, parseSecretRef } from '../../src/index.js';
import type { KeyVaultOperationState } from '../../src/providers/azure/index.js';
import {
  type AzureFixture,
  all,
  freshName,
  startAzureFixture,
  stopAzureFixture,
} from '../support/azure-provider-fixture.js';
import { installFakeClock } from '../support/fake-clock.js';

const DELAY_MS = 5_000;
let clock = Date.UTC(2026, 0, 1);
let trigger: { pattern: RegExp; remaining: number } | undefined;
/** After the `occurrence`-th request line matching `pattern`, the clock jumps past the settle delay. */
function settleAfter(pattern: RegExp, occurrence: number): void {
  trigger = { pattern, remaining: occurrence };
}

let f: AzureFixture;
test.before(async () => {
  f = await startAzureFixture({
    emulator: {
      deletionDelayMs: DELAY_MS,
      now: () => clock,
      log: (line) => {
        if (trigger?.pattern.test(line) && --trigger.remaining === 0) {
          trigger = undefined;
          clock += DELAY_MS;
        }
      },
    },
  });
});
test.after.always(() => stopAzureFixture(f));
test.beforeEach(() => {
  f.kv.stats.reset();
  trigger = undefined;
});

const POLL_DELETED = 'GET /deletedsecrets/{name}';
const statuses = (states: readonly KeyVaultOperationState[]) => states.map((s) => s.status);

test.serial('delete streams every poll of the SDK poller and completes when the deletion has settled', async (t) => {
  const name = freshName('to-delete');
  f.kv.store.setSecret(name, 'secret-value');
  settleAfter(new RegExp(`^GET /deletedsecrets/${name} 404$`), 3);
  const states = (await all(f.secrets.delete(`azure-kv:${name}`))) as KeyVaultOperationState[];
  t.deepEqual(statuses(states), ['deleting', 'deleting', 'deleting', 'deleted']);
  t.deepEqual(
    states.map((s) => s.done),
    [false, false, false, true],
  );
  t.is(f.kv.stats.calls['DELETE /secrets/{name}'], 1);
  t.is(f.kv.stats.calls[POLL_DELETED], 4);
  const last = states.at(-1) as KeyVaultOperationState;
  t.is(last.name, name);
  t.true(last.deletedOn instanceof Date);
  t.like(JSON.parse(last.resumeFrom), { state: { name, isStarted: true, isCompleted: true } });
  t.false(last.resumeFrom.includes('secret-value'));
  t.true(isSecretNotFoundError(await t.throwsAsync(firstValueFrom(f.secrets.get(`azure-kv:${name}`)))));
});

test.serial('unsubscribing aborts the poll in flight and stops polling', async (t) => {
  // the poller's waits between polls run on a fake clock; its HTTP requests stay real
  const clock = installFakeClock(t, { toFake: ['setTimeout', 'clearTimeout'] });
  const interval = f.kv.pollerOptions().intervalInMs;
  /** One poll interval of fake time, then a turn of the real event loop for the requests. */
  const nextInterval = async () => {
    await clock.tickAsync(interval);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const name = freshName('stop');
  f.kv.store.setSecret(name, 'v');
  const states: KeyVaultOperationState[] = [];
  let hang: { consumed: Promise<void> } | undefined;
  const subscription = f.provider.beginDelete(parseSecretRef(`azure-kv:${name}`)).subscribe((state) => {
    states.push(state);
    // After the second state, the next poll hangs until the client gives up.
    if (states.length === 2) hang = f.kv.faults.schedule({ kind: 'hang' }, { route: POLL_DELETED });
  });
  while (hang === undefined) await nextInterval();
  let hung = false;
  void hang.consumed.then(() => {
    hung = true;
  });
  while (!hung) await nextInterval();
  subscription.unsubscribe();
  await f.kv.idle();
  t.is(f.kv.stats.clientAborted, 1);
  const polls = f.kv.stats.calls[POLL_DELETED];
  t.is(polls, 3);
  // ten poll intervals pass (fake time): no poll is sent, and no timer is left to send one
  for (let i = 0; i < 10; i++) await nextInterval();
  t.is(f.kv.stats.calls[POLL_DELETED], polls);
  // The client's call pipeline keeps one shared deadline timer armed (unreferenced) until its due time, the attempt
  // timeout of the aborted poll; it sends nothing when it fires, and then nothing is left.
  await clock.tickAsync(10_000);
  t.is(f.kv.stats.calls[POLL_DELETED], polls);
  t.is(clock.countTimers(), 0);
  t.deepEqual(statuses(states), ['deleting', 'deleting']);
});

test.serial('a delete resumes from a serialized state without deleting again', async (t) => {
  const name = freshName('resume-delete');
  f.kv.store.setSecret(name, 'v');
  const [first] = await all(f.provider.beginDelete(parseSecretRef(`azure-kv:${name}`)).pipe(take(1)));
  t.is(first?.status, 'deleting');
  settleAfter(new RegExp(`^GET /deletedsecrets/${name} 404$`), 1);
  const resumed = await all(f.provider.resumeDelete(JSON.parse(JSON.stringify(first?.resumeFrom))));
  t.deepEqual(statuses(resumed), ['deleting', 'deleted']);
  t.is(f.kv.stats.calls['DELETE /secrets/{name}'], 1);
});

test.serial('recover streams its poller until the secret is readable again; it resumes too', async (t) => {
  const name = freshName('recover');
  f.kv.store.setSecret(name, 'back');
  settleAfter(new RegExp(`^GET /deletedsecrets/${name} 404$`), 1);
  await all(f.secrets.delete(`azure-kv:${name}`));
  const ref = parseSecretRef(`azure-kv:${name}`);
  const [first] = await all(f.provider.recover(ref).pipe(take(1)));
  t.is(first?.status, 'recovering');
  t.is(f.kv.stats.calls['POST /deletedsecrets/{name}/recover'], 1);
  settleAfter(new RegExp(`^GET /secrets/${name}/ 404$`), 2);
  const resumed = await all(f.provider.resumeRecover(first?.resumeFrom ?? ''));
  t.deepEqual(statuses(resumed), ['recovering', 'recovering', 'recovered']);
  t.true(resumed.at(-1)?.done);
  t.is(f.kv.stats.calls['POST /deletedsecrets/{name}/recover'], 1);
  t.is((await firstValueFrom(f.secrets.get(ref))).value, 'back');
});

test.serial(
  'recovering a secret that is not deleted fails with SecretNotFoundError, as the service answers',
  async (t) => {
    const live = freshName('live');
    f.kv.store.setSecret(live, 'here');
    f.kv.stats.reset();
    const error = await t.throwsAsync(all(f.provider.recover(`azure-kv:${live}`)));
    t.true(isSecretNotFoundError(error), String(error));
    t.regex(error?.message ?? '', /recover of azure-kv:live-\d+ failed: 404 SecretNotFound/);
    t.is(f.kv.stats.calls['POST /deletedsecrets/{name}/recover'], 0, 'never reported as recovered');
    t.is((await firstValueFrom(f.secrets.get(`azure-kv:${live}`))).value, 'here');
    const never = await t.throwsAsync(all(f.provider.recover(`azure-kv:${freshName('never')}`)));
    t.true(isSecretNotFoundError(never), String(never));
  },
);

test.serial('a forced delete purges once deleted; writes to a deleted name fail with SecretDeletedError', async (t) => {
  const forced = freshName('forced');
  f.kv.store.setSecret(forced, 'v');
  settleAfter(new RegExp(`^GET /deletedsecrets/${forced} 404$`), 1);
  const states = await all(f.secrets.delete(`azure-kv:${forced}`, { force: true }));
  t.deepEqual(
    states.map((s) => [s.status, s.done]),
    [
      ['deleting', false],
      ['deleted', false],
      ['purged', true],
    ],
  );
  t.is(f.kv.stats.calls['DELETE /deletedsecrets/{name}'], 1);
  const soft = freshName('soft');
  f.kv.store.setSecret(soft, 'v');
  settleAfter(new RegExp(`^GET /deletedsecrets/${soft} 404$`), 1);
  await all(f.secrets.delete(`azure-kv:${soft}`));
  const deleted = await firstValueFrom(f.provider.getDeleted(parseSecretRef(`azure-kv:${soft}`)));
  t.is(deleted.name, soft);
  t.is(typeof deleted.metadata.recoveryId, 'string');
  const error = await t.throwsAsync(firstValueFrom(f.secrets.set(`azure-kv:${soft}`, 'again')));
  t.true(isSecretDeletedError(error));
  await firstValueFrom(f.provider.purge(parseSecretRef(`azure-kv:${soft}`)), { defaultValue: undefined });
  t.true(
    isSecretNotFoundError(
      await t.throwsAsync(firstValueFrom(f.provider.getDeleted(parseSecretRef(`azure-kv:${soft}`)))),
    ),
  );
});

test.serial('backup and restore bring back every version; a corrupt blob is a ValidationError', async (t) => {
  const name = freshName('saved');
  const v1 = f.kv.store.setSecret(name, 'first');
  f.kv.store.setSecret(name, 'second');
  const ref = parseSecretRef(`azure-kv:${name}`);
  const blob = await firstValueFrom(f.provider.backup(ref));
  t.true(blob instanceof Uint8Array && blob.byteLength > 0);
  settleAfter(new RegExp(`^GET /deletedsecrets/${name} 404$`), 1);
  await all(f.secrets.delete(ref, { force: true }));
  const restored = await firstValueFrom(f.provider.restoreBackup(blob));
  t.is(restored.name, name);
  t.is((await firstValueFrom(f.secrets.get(ref))).value, 'second');
  t.is((await firstValueFrom(f.secrets.get(`azure-kv:${name}@${v1.version}`))).value, 'first');
  const corrupt = await t.throwsAsync(firstValueFrom(f.provider.restoreBackup(new Uint8Array([1, 2, 3]))));
  t.true(isValidationError(corrupt));
});

test('resuming from something that is not a poller state is a ValidationError', async (t) => {
  t.true(isValidationError(await t.throwsAsync(firstValueFrom(f.provider.resumeDelete('{"nope":1}')))));
  t.true(isValidationError(await t.throwsAsync(firstValueFrom(f.provider.resumeRecover('not json')))));
});
