/**
 * Key Vault provider benchmarks against the local emulator, with the real SecretClient on both sides: watch cost
 * per interval vs per-secret polling, a 1000-secret listing with values vs a sequential N+1 loop, and the
 * overhead of a get through the facade vs a raw `getSecret`.
 */
import { SecretClient } from '@azure/keyvault-secrets';
import { filter, firstValueFrom, Subject, type Subscription, skip } from 'rxjs';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../src/emulators/key-vault/index.js';
import { createSecrets, parseSecretRef } from '../src/index.js';
import { keyVault } from '../src/providers/azure/index.js';
import { type BenchRow, fmt, median } from './report.js';

const LIST = 'GET /secrets';
const GET = 'GET /secrets/{name}/{version}';

function facade(kv: KeyVaultEmulator) {
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  return createSecrets({ providers: [provider], cache: false });
}

async function watchCost(): Promise<BenchRow> {
  let vaultClock = Date.now() - 60_000;
  const kv = await startKeyVaultEmulator({ now: () => vaultClock });
  const names = Array.from({ length: 100 }, (_, i) => `watched-${String(i).padStart(3, '0')}`);
  for (const name of names) kv.store.setSecret(name, 'v');
  const secrets = facade(kv);
  const trigger = new Subject<void>();
  let values = 0;
  const subscriptions: Subscription[] = names.map((name) =>
    secrets.watch(`azure-kv:${name}`, { interval: Number.POSITIVE_INFINITY, trigger }).subscribe(() => {
      values += 1;
    }),
  );
  while (values < names.length) await firstValueFrom(secrets.events.pipe(filter((e) => e.type === 'watch-changed')));
  const intervals = 10;
  kv.stats.reset();
  for (let i = 0; i < intervals; i++) {
    vaultClock += 1000;
    kv.store.setSecret(names[(i * 37) % names.length] as string, `v${i}`);
    const checked = firstValueFrom(secrets.watchStatus('azure-kv:watched-099').pipe(skip(1)));
    const changed = firstValueFrom(secrets.events.pipe(filter((e) => e.type === 'watch-changed')));
    trigger.next();
    await Promise.all([checked, changed]);
  }
  const ours = (kv.stats.calls[LIST] + kv.stats.calls[GET]) / intervals;
  const pages = kv.stats.calls[LIST] / intervals;
  for (const s of subscriptions) s.unsubscribe();
  await secrets.close();
  // Naive: every watched secret polled with its own getSecret each interval.
  const client = new SecretClient(kv.vaultUrl, kv.credential, kv.clientOptions());
  kv.stats.reset();
  await Promise.all(names.map((name) => client.getSecret(name)));
  const naive = kv.stats.calls[GET];
  await kv.stop();
  return {
    suite: 'azure',
    case: 'watching 100 secrets, 1 changed per interval: calls per interval',
    rxsecrets: `${fmt(ours, 1)} (${fmt(pages, 1)} list pages + ${fmt(ours - pages, 1)} get)`,
    alternative: `getSecret per secret: ${naive}`,
    ratio: `${fmt(naive / ours, 1)}× fewer calls`,
    note: `mean of ${intervals} intervals; goal ≤ 4 pages + changed`,
  };
}

async function listingWithValues(latencyMs: number): Promise<BenchRow> {
  const kv = await startKeyVaultEmulator();
  for (let i = 0; i < 1000; i++) kv.store.setSecret(`item-${String(i).padStart(4, '0')}`, `value-${i}`);
  if (latencyMs > 0) kv.faults.atRate({ kind: 'latency', ms: latencyMs }, { rate: 1 });
  const secrets = facade(kv);
  const client = new SecretClient(kv.vaultUrl, kv.credential, kv.clientOptions());
  await client.getSecret('item-0000'); // challenge handshakes out of the timings
  await firstValueFrom(secrets.get('azure-kv:item-0000'));
  let started = performance.now();
  let count = 0;
  for await (const secret of secrets.list('azure-kv:', { withValues: true })) if (secret.value) count += 1;
  const ours = performance.now() - started;
  started = performance.now();
  let naiveCount = 0;
  for await (const properties of client.listPropertiesOfSecrets()) {
    if ((await client.getSecret(properties.name)).value) naiveCount += 1;
  }
  const naive = performance.now() - started;
  await secrets.close();
  await kv.stop();
  if (count !== 1000 || naiveCount !== 1000) throw new Error(`listed ${count} / ${naiveCount}`);
  return {
    suite: 'azure',
    case: `list 1000 secrets with values${latencyMs ? ` (${latencyMs} ms per request)` : ' (no added latency)'}`,
    rxsecrets: `${fmt(ours)} ms`,
    alternative: `sequential N+1 raw client: ${fmt(naive)} ms`,
    ratio: naive >= ours ? `${fmt(naive / ours, 1)}× faster` : `${fmt(ours / naive, 1)}× slower`,
    note: 'values per page: getMany batches of 5, 4 in parallel',
  };
}

async function getOverhead(): Promise<BenchRow[]> {
  const kv = await startKeyVaultEmulator();
  kv.store.setSecret('hot', 'value');
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  const secrets = createSecrets({ providers: [provider], cache: false });
  const client = new SecretClient(kv.vaultUrl, kv.credential, kv.clientOptions());
  const ref = parseSecretRef('azure-kv:hot');
  const runs: Record<'raw' | 'provider' | 'facade', () => Promise<unknown>> = {
    raw: () => client.getSecret('hot'),
    provider: () => provider.get(ref, { signal: new AbortController().signal }),
    facade: () => firstValueFrom(secrets.get('azure-kv:hot')),
  };
  const times: Record<string, number[]> = { raw: [], provider: [], facade: [] };
  const order = Object.entries(runs);
  for (let i = 0; i < 1600; i++) {
    // Rotate the order so that no side always runs on a warmer connection.
    for (let j = 0; j < order.length; j++) {
      const [name, run] = order[(i + j) % order.length] as [string, () => Promise<unknown>];
      const started = performance.now();
      await run();
      if (i >= 100) times[name]?.push(performance.now() - started);
    }
  }
  await secrets.close();
  await kv.stop();
  const raw = median(times.raw ?? []);
  const row = (name: 'provider' | 'facade', label: string): BenchRow => {
    const ours = median(times[name] ?? []);
    return {
      suite: 'azure',
      case: `${label} vs raw SecretClient.getSecret (median of 1500)`,
      rxsecrets: `${fmt(ours * 1000)} µs`,
      alternative: `raw getSecret ${fmt(raw * 1000)} µs`,
      ratio: `${fmt(((ours - raw) / raw) * 100, 1)} % overhead`,
      note: 'goal ≤ 10 %; same emulator, cache off',
    };
  };
  return [row('provider', 'provider.get'), row('facade', 'secrets.get (facade, uncached)')];
}

/** Runs the Key Vault benchmarks. */
export async function runAzureBenchmarks(): Promise<BenchRow[]> {
  return [await watchCost(), await listingWithValues(0), await listingWithValues(5), ...(await getOverhead())];
}
