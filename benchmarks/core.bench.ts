/**
 * Core benchmarks on the memory provider: cached get throughput vs a plain Map (the floor), 1000 concurrent cold
 * gets vs one-call-per-read, watch probes per interval vs per-ref polling, and a lazy 10,000-item listing vs an
 * eager one.
 */
import { firstValueFrom, type Subscription } from 'rxjs';
import { Bench } from 'tinybench';
import { createSecrets, memoryProvider, parseSecretRef } from '../src/index.js';
import { type BenchRow, fmt } from './report.js';

const ctx = () => ({ signal: new AbortController().signal });

async function cachedGetThroughput(): Promise<BenchRow> {
  const provider = memoryProvider({ secrets: { 'db/password': 'pw' } });
  const secrets = createSecrets({ providers: [provider] });
  await firstValueFrom(secrets.get('memory:db/password'));
  const map = new Map([['memory:db/password', 'pw']]);
  const bench = new Bench({ time: 1000, warmup: true });
  bench
    .add('Map.get', () => {
      map.get('memory:db/password');
    })
    .add('rxsecrets cached get', async () => {
      await firstValueFrom(secrets.get('memory:db/password'));
    });
  await bench.run();
  const [floor, ours] = bench.tasks.map((task) => (task.result as { throughput?: { mean: number } } | undefined)?.throughput?.mean ?? 0) as [number, number];
  await secrets.close();
  return {
    suite: 'core',
    case: 'cached get throughput (ops/s)',
    rxsecrets: fmt(ours),
    alternative: `Map.get ${fmt(floor)}`,
    ratio: `${fmt(floor / ours, 1)}× slower than the floor`,
    note: `backend gets: ${provider.stats.get}`,
  };
}

async function concurrentColdGets(): Promise<BenchRow> {
  const provider = memoryProvider({ secrets: { token: 't' }, latency: 50 });
  const secrets = createSecrets({ providers: [provider] });
  const started = performance.now();
  await Promise.all(Array.from({ length: 1000 }, () => firstValueFrom(secrets.get('memory:token'))));
  const ours = performance.now() - started;
  const naive = memoryProvider({ secrets: { token: 't' }, latency: 50 });
  const naiveStarted = performance.now();
  await Promise.all(Array.from({ length: 1000 }, () => naive.get(parseSecretRef('memory:token'), ctx())));
  const theirs = performance.now() - naiveStarted;
  await secrets.close();
  return {
    suite: 'core',
    case: '1000 concurrent cold gets (50 ms backend)',
    rxsecrets: `${provider.stats.get} backend call, ${fmt(ours)} ms`,
    alternative: `${naive.stats.get} backend calls, ${fmt(theirs)} ms`,
    ratio: `${fmt(naive.stats.get / provider.stats.get)}× fewer calls`,
  };
}

async function watchProbes(): Promise<BenchRow> {
  const names = Array.from({ length: 100 }, (_, i) => `w/${i}`);
  const provider = memoryProvider({ secrets: Object.fromEntries(names.map((n) => [n, 'v'])), batchSize: 20 });
  const secrets = createSecrets({ providers: [provider] });
  const interval = 200;
  const subscriptions: Subscription[] = names.map((n) => secrets.watch(`memory:${n}`, { interval }).subscribe());
  await new Promise((resolve) => setTimeout(resolve, interval * 1.5)); // initial values and first tick
  provider.resetStats();
  const intervals = 10;
  await new Promise((resolve) => setTimeout(resolve, interval * intervals));
  const perInterval = provider.stats.probe / intervals;
  for (const s of subscriptions) s.unsubscribe();
  await secrets.close();
  return {
    suite: 'core',
    case: 'watch 100 refs, batch 20: backend calls per interval',
    rxsecrets: `${fmt(perInterval, 1)} probes (+${provider.stats.get + provider.stats.getMany} value reads)`,
    alternative: 'per-ref get polling: 100 gets',
    ratio: `${fmt(100 / perInterval, 1)}× fewer calls`,
  };
}

function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

async function lazyListing(): Promise<BenchRow[]> {
  const big = 'x'.repeat(2048);
  const provider = memoryProvider({ pageSize: 100 });
  for (let i = 0; i < 10_000; i++) provider.store.put(`items/${String(i).padStart(5, '0')}`, big);
  const secrets = createSecrets({ providers: [provider], cache: false });
  let seen = 0;
  for await (const _ of secrets.list('memory:items/')) {
    seen += 1;
    break;
  }
  const pagesOnBreak = provider.stats.listPage;

  globalThis.gc?.();
  const before = rssMb();
  let peakLazy = before;
  for await (const secret of secrets.list('memory:items/', { withValues: true })) {
    seen += secret.name.length > 0 ? 1 : 0;
    if (seen % 1000 === 0) peakLazy = Math.max(peakLazy, rssMb());
  }
  const lazyDelta = peakLazy - before;
  globalThis.gc?.();
  const beforeEager = rssMb();
  const eager: string[] = [];
  for (const name of provider.store.names())
    eager.push(String((await provider.get(parseSecretRef(`memory:${name}`), ctx())).value));
  const eagerDelta = rssMb() - beforeEager;
  await secrets.close();
  return [
    {
      suite: 'core',
      case: '10,000-item listing, break after the first item',
      rxsecrets: `${pagesOnBreak} page fetched`,
      alternative: 'eager listing: 100 pages',
      ratio: `${fmt(100 / pagesOnBreak)}× fewer calls`,
    },
    {
      suite: 'core',
      case: '10,000 × 2 KB values consumed lazily: RSS delta',
      rxsecrets: `${fmt(lazyDelta, 1)} MB`,
      alternative: `all values in an array: ${fmt(eagerDelta, 1)} MB (${eager.length} held)`,
      ratio: 'see note',
      note: 'RSS is noisy; the lazy listing holds one page (100 values)',
    },
  ];
}

/** Runs every core benchmark and returns its rows. */
export async function runCoreBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  rows.push(await cachedGetThroughput());
  rows.push(await concurrentColdGets());
  rows.push(await watchProbes());
  rows.push(...(await lazyListing()));
  return rows;
}
