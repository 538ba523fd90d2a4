/**
 * Core benchmarks on the memory provider: cached get throughput vs a plain Map (the floor), the per-call overhead
 * of an uncached get over `provider.get`, 1000 concurrent cold gets vs one-call-per-read, watch probes per interval
 * vs per-ref polling, and a lazy 10,000-item listing vs an eager one.
 */
import { firstValueFrom, type Subscription } from 'rxjs';
import { Bench } from 'tinybench';
import { createSecrets, memoryProvider, parseSecretRef, type Secret } from '../src/index.js';
import { type BenchRow, fmt, median } from './report.js';

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
  const [floor, ours] = bench.tasks.map(
    (task) => (task.result as { throughput?: { mean: number } } | undefined)?.throughput?.mean ?? 0,
  ) as [number, number];
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

/**
 * What the facade adds to a backend call when nothing is cached: `secrets.get` with `cache: false` against
 * `provider.get` on the same memory provider, timed call by call and interleaved (the order alternating per round)
 * so that both see the same machine state. The difference of the medians is the facade's own cost per read.
 */
async function uncachedGetOverhead(): Promise<BenchRow> {
  const samples = 20_000;
  const warmup = 2_000;
  const provider = memoryProvider({ secrets: { 'db/password': 'pw' } });
  const secrets = createSecrets({ providers: [provider], cache: false });
  const ref = parseSecretRef('memory:db/password');
  const ours: number[] = [];
  const floor: number[] = [];
  const timeFacade = async () => {
    const started = performance.now();
    await firstValueFrom(secrets.get('memory:db/password'));
    return performance.now() - started;
  };
  const timeProvider = async () => {
    const started = performance.now();
    await provider.get(ref, { signal: new AbortController().signal });
    return performance.now() - started;
  };
  for (let i = 0; i < warmup + samples; i++) {
    const first = i % 2 === 0;
    const a = first ? await timeFacade() : await timeProvider();
    const b = first ? await timeProvider() : await timeFacade();
    if (i < warmup) continue;
    ours.push(first ? a : b);
    floor.push(first ? b : a);
  }
  await secrets.close();
  return {
    suite: 'core',
    case: `uncached get overhead vs provider.get, memory provider, interleaved, median of ${fmt(samples)}`,
    rxsecrets: `${fmt(median(ours) * 1000, 1)} µs per read`,
    alternative: `provider.get ${fmt(median(floor) * 1000, 1)} µs`,
    ratio: `+${fmt((median(ours) - median(floor)) * 1000, 1)} µs per read`,
    note: `cache: false; backend gets: ${provider.stats.get}`,
  };
}

async function concurrentColdGets(): Promise<BenchRow> {
  const rounds = 7;
  const ours: number[] = [];
  const theirs: number[] = [];
  let ourCalls = 0;
  let theirCalls = 0;
  for (let round = 0; round < rounds; round++) {
    const provider = memoryProvider({ secrets: { token: 't' }, latency: 50 });
    const secrets = createSecrets({ providers: [provider] });
    const started = performance.now();
    await Promise.all(Array.from({ length: 1000 }, () => firstValueFrom(secrets.get('memory:token'))));
    ours.push(performance.now() - started);
    ourCalls = provider.stats.get;
    await secrets.close();
    const naive = memoryProvider({ secrets: { token: 't' }, latency: 50 });
    const naiveStarted = performance.now();
    await Promise.all(Array.from({ length: 1000 }, () => naive.get(parseSecretRef('memory:token'), ctx())));
    theirs.push(performance.now() - naiveStarted);
    theirCalls = naive.stats.get;
  }
  return {
    suite: 'core',
    case: '1000 concurrent cold gets (50 ms backend), median of 7',
    rxsecrets: `${ourCalls} backend call, ${fmt(median(ours))} ms`,
    alternative: `provider.get per read: ${theirCalls} backend calls, ${fmt(median(theirs))} ms`,
    ratio: `${fmt(theirCalls / ourCalls)}× fewer calls`,
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

function memory(): { heapMb: number; rssMb: number } {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { heapMb: usage.heapUsed / 1024 / 1024, rssMb: usage.rss / 1024 / 1024 };
}

async function lazyListing(): Promise<BenchRow[]> {
  // The values stay in the memory store whatever the consumer does, so what is measured is the listing's own
  // footprint: the Secret objects and pages it holds while the consumer iterates.
  const inner = memoryProvider({ pageSize: 100 });
  for (let i = 0; i < 10_000; i++) inner.store.put(`items/${String(i).padStart(5, '0')}`, `${i}:${'x'.repeat(2048)}`);
  const secrets = createSecrets({ providers: [inner], cache: false });
  for await (const _ of secrets.list('memory:items/')) break;
  const pagesOnBreak = inner.stats.listPage;

  const base = memory();
  let lazyPeak = { heapMb: 0, rssMb: 0 };
  let count = 0;
  const lazyStarted = performance.now();
  for await (const secret of secrets.list('memory:items/', { withValues: true })) {
    count += String(secret.value).length > 0 ? 1 : 0;
    if (count % 2000 === 0) {
      const now = memory();
      lazyPeak = { heapMb: Math.max(lazyPeak.heapMb, now.heapMb), rssMb: Math.max(lazyPeak.rssMb, now.rssMb) };
    }
  }
  const lazyMs = performance.now() - lazyStarted;
  const eagerBase = memory();
  const eager: Secret[] = [];
  for await (const secret of secrets.list('memory:items/', { withValues: true })) eager.push(secret);
  const eagerNow = memory();
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
      case: `10,000 × 2 KB values consumed lazily (${fmt(lazyMs)} ms): the listing's own live heap / RSS delta`,
      rxsecrets: `${fmt(lazyPeak.heapMb - base.heapMb, 1)} MB / ${fmt(lazyPeak.rssMb - base.rssMb, 1)} MB`,
      alternative: `collected into an array: ${fmt(eagerNow.heapMb - eagerBase.heapMb, 1)} MB / ${fmt(eagerNow.rssMb - eagerBase.rssMb, 1)} MB (${eager.length} held)`,
      ratio: `${fmt((eagerNow.heapMb - eagerBase.heapMb) / Math.max(0.1, lazyPeak.heapMb - base.heapMb), 1)}× less live heap`,
      note: 'sampled after a forced GC every 2000 items; the values themselves stay in the store either way',
    },
  ];
}

/** Runs every core benchmark and returns its rows. */
export async function runCoreBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  rows.push(await cachedGetThroughput());
  rows.push(await uncachedGetOverhead());
  rows.push(await concurrentColdGets());
  rows.push(await watchProbes());
  rows.push(...(await lazyListing()));
  return rows;
}
