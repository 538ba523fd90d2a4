/**
 * Key Vault provider benchmarks against the local emulator, with the real SecretClient on both sides: watch cost
 * per interval vs per-secret polling, bulk reads (azure-reads.bench.ts: a listing with values, getMany) vs raw
 * `Promise.all` code, and the overhead of a get (provider alone, a facade cache miss, an uncached facade read) vs a raw `getSecret`.
 */
import { SecretClient } from '@azure/keyvault-secrets';
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../src/emulators/key-vault/index.js';
import { createSecrets, parseSecretRef, type SecretRef, type Secrets } from '../src/index.js';
import { keyVault } from '../src/providers/azure/index.js';
import { runKeyVaultReadBenchmarks } from './azure-reads.bench.js';
import { type BenchRow, fmt, interleaved, median } from './report.js';

const LIST = 'GET /secrets';
const GET = 'GET /secrets/{name}/{version}';

function facade(kv: KeyVaultEmulator) {
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  return createSecrets({ providers: [provider], cache: false });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 100 secrets watched at a 1 s interval with one rotation per interval, on the vault's real clock (rotations are
 * stamped when they happen, as users' are): list pages per round and value reads per rotation, counted by the
 * emulator. Rotations stop after `rotations` intervals and the count goes on 7 s longer, so that every read a
 * rotation causes (a confirmation comes ~5 s after it) is in the figures.
 */
export async function watchCost(): Promise<BenchRow> {
  const kv = await startKeyVaultEmulator();
  const names = Array.from({ length: 100 }, (_, i) => `watched-${String(i).padStart(3, '0')}`);
  for (const name of names) kv.store.setSecret(name, 'v');
  const written = Date.now();
  const secrets = facade(kv);
  let values = 0;
  let rounds = 0;
  secrets.events.pipe(filter((e) => e.type === 'watch-probe')).subscribe(() => {
    rounds += 1;
  });
  const subscriptions: Subscription[] = names.map((name) =>
    secrets.watch(`azure-kv:${name}`, { interval: '1s' }).subscribe(() => {
      values += 1;
    }),
  );
  while (values < names.length) await firstValueFrom(secrets.events.pipe(filter((e) => e.type === 'watch-changed')));
  // The fresh secrets' own confirmation reads out of the figures.
  await sleep(written + 6500 - Date.now());
  const rotations = 12;
  kv.stats.reset();
  rounds = 0;
  for (let i = 0; i < rotations; i++) {
    kv.store.setSecret(names[(i * 37) % names.length] as string, `v${i}`);
    await sleep(1000);
  }
  await sleep(7000);
  const pages = kv.stats.calls[LIST] / rounds;
  const gets = kv.stats.calls[GET] / rotations;
  const emitted = values - names.length;
  for (const s of subscriptions) s.unsubscribe();
  await secrets.close();
  // Naive: every watched secret polled with its own getSecret each interval.
  const client = new SecretClient(kv.vaultUrl, kv.credential, kv.clientOptions());
  kv.stats.reset();
  await Promise.all(names.map((name) => client.getSecret(name)));
  const naive = kv.stats.calls[GET];
  await kv.stop();
  if (emitted !== rotations) throw new Error(`emitted ${emitted} of ${rotations} rotations`);
  const perInterval = pages + gets; // one rotation per interval
  return {
    suite: 'azure',
    case: 'watching 100 secrets, 1 s interval, 1 rotation per interval (real vault clock): calls per interval',
    rxsecrets: `${fmt(perInterval, 1)} (${fmt(pages, 1)} list pages + ${fmt(gets, 1)} gets per rotation)`,
    alternative: `getSecret per secret: ${naive}`,
    ratio: `${fmt(naive / perInterval, 1)}× fewer calls`,
    note: `${rounds} rounds, ${rotations} rotations, each emitted once; goal ≤ 4 pages + ≤ 2 gets per rotation (a read, and a confirmation ~5 s after the update: listing timestamps have a one-second resolution)`,
  };
}

/**
 * What the provider and the facade add to one read, against a raw `getSecret` on the same emulator, the sides
 * interleaved call by call in a random order per round (see {@link interleaved}): `provider.get`, a miss through a facade with its default cache
 * (each read is the first of its ref, so it is parsed, fetched and stored), and a re-read of one ref through a facade
 * with `cache: false`. The misses are spread over facades that each take at most 900, so that no cache (1000 entries)
 * fills: a full one would also evict an entry per miss.
 */
const MISSES_PER_FACADE = 900;

async function getOverhead(): Promise<BenchRow[]> {
  const samples = 1500;
  const warmup = 100;
  const kv = await startKeyVaultEmulator();
  const names = Array.from({ length: warmup + samples }, (_, i) => `hot-${i}`);
  for (const name of names) kv.store.setSecret(name, 'value');
  kv.store.setSecret('warm', 'value');
  const options = { vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() };
  const provider = keyVault(options);
  const cached = Array.from({ length: Math.ceil(names.length / MISSES_PER_FACADE) }, () =>
    createSecrets({ providers: [keyVault(options)] }),
  );
  const uncached = createSecrets({ providers: [keyVault(options)], cache: false });
  const client = new SecretClient(kv.vaultUrl, kv.credential, kv.clientOptions());
  // Challenge handshakes and connections outside the timings.
  await client.getSecret('warm');
  await provider.get(parseSecretRef('azure-kv:warm'), { signal: new AbortController().signal });
  for (const secrets of [...cached, uncached]) await firstValueFrom(secrets.get('azure-kv:warm'));
  const refs = names.map((name) => parseSecretRef(`azure-kv:${name}`));
  const times = await interleaved(
    {
      raw: (round) => client.getSecret(names[round] as string),
      provider: (round) => provider.get(refs[round] as SecretRef, { signal: new AbortController().signal }),
      miss: (round) =>
        firstValueFrom((cached[Math.floor(round / MISSES_PER_FACADE)] as Secrets).get((refs[round] as SecretRef).text)),
      uncached: () => firstValueFrom(uncached.get('azure-kv:hot-0')),
    },
    samples,
    warmup,
  );
  for (const secrets of [...cached, uncached]) await secrets.close();
  await provider.close?.();
  await kv.stop();
  const raw = median(times.raw);
  const row = (name: 'provider' | 'miss' | 'uncached', label: string, note: string): BenchRow => {
    const ours = median(times[name]);
    return {
      suite: 'azure',
      case: `${label} vs raw SecretClient.getSecret (median of ${fmt(samples)})`,
      rxsecrets: `${fmt(ours * 1000)} µs`,
      alternative: `raw getSecret ${fmt(raw * 1000)} µs`,
      ratio: `${fmt(((ours - raw) / raw) * 100, 1)} % overhead`,
      note,
    };
  };
  return [
    row('provider', 'provider.get', 'goal ≤ 10 %; same emulator'),
    row(
      'miss',
      'secrets.get (facade, cache miss: default cache, first read of each ref)',
      'goal ≤ 10 %; same emulator',
    ),
    row('uncached', 'secrets.get (facade, cache: false, one ref re-read)', 'same emulator and rounds'),
  ];
}

/** Runs the Key Vault benchmarks. */
export async function runAzureBenchmarks(): Promise<BenchRow[]> {
  return [await watchCost(), ...(await runKeyVaultReadBenchmarks()), ...(await getOverhead())];
}
