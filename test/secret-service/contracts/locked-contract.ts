// A locked collection held to the same contract on every Secret Service: reads say LockedError (never an empty value,
// never "not found"), watches report the lock and carry on after the unlock. Serial: these lock the shared collection.
import { filter, firstValueFrom, take } from 'rxjs';
import { isLockedError, isSecretNotFoundError } from '../../../src/index.js';
import type { SecretServiceWorld } from '../../support/secret-service-contract-fixture.js';
import { uniqueAttributes } from '../../support/secret-service-fixture.js';
import { holdWatch, refFor } from '../../support/secret-service-provider-fixture.js';

/** Registers the lock scenarios for one service. */
export function lockedContract(world: SecretServiceWorld): void {
  world.serial(
    'non-interactive reads of a locked collection fail with LockedError; values return after unlock',
    async (t) => {
      const secrets = world.secrets(t, { nonInteractive: true });
      const group = uniqueAttributes();
      const refs = ['a', 'b'].map((n) => refFor({ ...group, n }));
      for (const ref of refs) await firstValueFrom(secrets.set(ref, `value of ${ref}`));
      await world.service.lock();
      t.teardown(() => world.service.unlock());
      const error = await t.throwsAsync(firstValueFrom(secrets.get(refs[0] as string)));
      t.true(isLockedError(error), String(error));
      const results = await firstValueFrom(secrets.getMany(refs));
      t.deepEqual(
        results.map((r) =>
          r.ok ? `value: ${String(r.secret.value)}` : isLockedError(r.error) ? 'locked' : String(r.error),
        ),
        ['locked', 'locked'],
      );
      // KeePassXC withdraws every item of a locked database: a ref matching nothing may be locked away too
      const missing = await t.throwsAsync(firstValueFrom(secrets.get(refFor(uniqueAttributes()))));
      if (world.kind === 'keepassxc') t.true(isLockedError(missing), String(missing));
      else t.true(isSecretNotFoundError(missing), `the service still searches a locked collection: ${String(missing)}`);
      await world.service.unlock();
      t.is((await firstValueFrom(secrets.get(refs[0] as string))).value, `value of ${refs[0]}`);
    },
  );

  world.serial('a watch survives a lock and an unlock: watchStatus reports the lock, values return', async (t) => {
    const secrets = world.secrets(t, { nonInteractive: true });
    const ref = refFor(uniqueAttributes());
    await firstValueFrom(secrets.set(ref, 'before lock'));
    const watch = holdWatch(t, secrets, ref, { interval: 100 });
    await watch.until((value) => value === 'before lock');
    const degraded = firstValueFrom(
      secrets.watchStatus(ref).pipe(
        filter((status) => status.state === 'degraded'),
        take(1),
      ),
    );
    await world.service.lock();
    t.teardown(() => world.service.unlock());
    const status = await Promise.race([
      degraded,
      watch.ended.then((error) => {
        throw new Error(`the watch ended at the lock: ${String(error)}`);
      }),
    ]);
    t.true(isLockedError(status.lastError), String(status.lastError));
    await world.service.unlock();
    await firstValueFrom(secrets.set(ref, 'after unlock'));
    await watch.until((value) => value === 'after unlock');
    t.deepEqual(
      watch.values.map((s) => s.value),
      ['before lock', 'after unlock'],
    );
    const ok = await firstValueFrom(
      secrets.watchStatus(ref).pipe(
        filter((s) => s.state === 'ok'),
        take(1),
      ),
    );
    t.is(ok.state, 'ok');
  });
}
