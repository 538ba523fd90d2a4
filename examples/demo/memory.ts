/**
 * The demo on the embedded memory provider: get, a key path, a lazy listing, a watch that sees rotations, and a
 * burst of 1000 concurrent reads that makes one backend call.
 */
import { firstValueFrom, take, tap, toArray } from 'rxjs';
import { createSecrets, memoryProvider } from '../../src/index.js';

import { log } from './log.js';

/** Runs the memory section of the demo. */
export async function memoryDemo(): Promise<void> {
  // A backend with 50 ms latency, as a remote store would have.
  const provider = memoryProvider({ latency: '50ms', pageSize: 100 });
  provider.store.put('db/password', 'initial-password');
  provider.store.put('db/config', JSON.stringify({ host: 'db.internal', port: 5432, user: 'app' }), {
    contentType: 'application/json',
  });
  for (let i = 0; i < 10_000; i++) provider.store.put(`app/feature-${String(i).padStart(5, '0')}`, `value-${i}`);

  await using secrets = createSecrets({ providers: [provider], watch: { interval: '200ms' } });

  log('== memory: get');
  const password = await firstValueFrom(secrets.get('memory:db/password'));
  log(`${password} (version ${password.version}); value length ${String(password.value).length}`);
  const port = await firstValueFrom(secrets.get('memory:db/config#port'));
  log(`db/config#port -> ${port.value}`);

  log('== memory: lazy listing of 10,000 secrets, stopping after 3');
  provider.resetStats();
  let shown = 0;
  for await (const info of secrets.list('memory:app/')) {
    log(`  ${info.name} (version ${info.version})`);
    if (++shown === 3) break;
  }
  log(`pages fetched: ${provider.stats.listPage}`);

  log('== memory: watch while the secret is rotated 3 times');
  const watchStarted = performance.now();
  const seen = firstValueFrom(
    secrets.watch('memory:db/password').pipe(
      tap((s) => log(`  watch emitted ${s} at +${Math.round(performance.now() - watchStarted)} ms`)),
      take(4),
      toArray(),
    ),
  );
  for (let rotation = 1; rotation <= 3; rotation++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const written = await firstValueFrom(secrets.set('memory:db/password', `rotated-password-${rotation}`));
    log(`  rotated to version ${written.version} at +${Math.round(performance.now() - watchStarted)} ms`);
  }
  const versions = (await seen).map((s) => s.version).join(', ');
  log(`watch saw versions ${versions}; probes: ${provider.stats.probe}`);

  log('== memory: burst of 1000 concurrent reads of a cold secret');
  provider.store.put('api/token', 'token-value');
  provider.resetStats();
  const started = performance.now();
  const reads = await Promise.all(Array.from({ length: 1000 }, () => firstValueFrom(secrets.get('memory:api/token'))));
  const elapsed = Math.round(performance.now() - started);
  log(`${reads.length} reads in ${elapsed} ms; backend get calls: ${provider.stats.get}`);
}
