/**
 * Heap per cached entry and per active watch, side by side with what a user would otherwise have in one process:
 * Powertools' `SSMProvider` cache (10,000 parameters of 1 KiB read through the AWS emulator) and a `setInterval`
 * poller per ref holding its last value (1,000 refs of the memory provider). Each side is measured from a forced GC
 * before its client exists to a forced GC once it holds everything, so the client's own fixed cost is spread over the
 * entries; the sides alternate, in both orders, and the range over the rounds is reported.
 *
 * `npm run bench -- heap` (the script runs Node with `--expose-gc`, without which the figures mean nothing).
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { firstValueFrom, type Subscription } from 'rxjs';
import { startAwsEmulator } from '../src/emulators/aws/index.js';
import { createSecrets, memoryProvider, parseSecretRef, type Secret } from '../src/index.js';
import { parameterStore } from '../src/providers/aws/index.js';
import { type BenchRow, fmt, median } from './report.js';

const suite = 'heap';
const ENTRIES = 10_000;
const WATCHES = 1_000;
const ROUNDS = 4;

/** Heap in use after full collections (settling finalizers and weak maps in between). */
async function settledHeap(): Promise<number> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench does)');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** Runs `work` in chunks of `width` at a time, in order. */
/**
 * Measures two sides `ROUNDS` times each after one untimed warm-up of each, taking turns in both orders (a side that
 * always ran second would find the other's garbage); returns each side's samples.
 */
async function alternating(a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return [as, bs];
}

async function inChunks<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

const range = (values: readonly number[]) =>
  `${fmt(Math.min(...values))}–${fmt(Math.max(...values))} B over ${values.length} rounds`;

/**
 * Bytes per cached entry: `ENTRIES` distinct SSM parameters (1 KiB values) read once each, through a facade whose
 * cache holds them all (`max: ENTRIES`; its default is 1000) and through Powertools' `getParameter` (15 minutes
 * `maxAge`, as ours). The emulator's own copies are in the baseline of both.
 */
async function heapPerCachedEntry(): Promise<BenchRow> {
  const emulator = await startAwsEmulator();
  try {
    const names = Array.from({ length: ENTRIES }, (_, i) => `/bench/heap/p${String(i).padStart(5, '0')}`);
    for (const [i, name] of names.entries()) {
      emulator.store.parameters.putParameter({ Name: name, Value: `${i}:${'x'.repeat(1018)}`, Type: 'SecureString' });
    }
    const refs = names.map((name) => `aws-ssm:${name}`);
    const ours = async (): Promise<number> => {
      const before = await settledHeap();
      const secrets = createSecrets({
        providers: [parameterStore(emulator.clientConfig())],
        cache: { max: ENTRIES, ttl: '15m' },
      });
      await inChunks(refs, 20, (ref) => firstValueFrom(secrets.get(ref)));
      const after = await settledHeap();
      await secrets.close();
      return (after - before) / ENTRIES;
    };
    const powertools = async (): Promise<number> => {
      const before = await settledHeap();
      const client = new SSMClient(emulator.clientConfig());
      const provider = new SSMProvider({ awsSdkV3Client: client });
      await inChunks(names, 20, (name) => provider.get(name, { decrypt: true, maxAge: 900 }));
      const after = await settledHeap();
      client.destroy();
      return (after - before) / ENTRIES;
    };
    // the warm-up loads the SDK and warms both paths up
    const [rx, pt] = await alternating(ours, powertools);
    return {
      suite,
      case: `heap per cached entry: ${fmt(ENTRIES)} SSM parameters of 1 KiB, each read once (median of ${ROUNDS})`,
      rxsecrets: `${fmt(median(rx))} B`,
      alternative: `Powertools SSMProvider getParameter cache: ${fmt(median(pt))} B`,
      ratio: `${fmt(median(rx) / median(pt), 2)}× Powertools`,
      note: `goal ≤ 1.1×; ours ${range(rx)}, Powertools ${range(pt)}; cache max ${fmt(ENTRIES)}`,
    };
  } finally {
    await emulator.stop();
  }
}

/**
 * Bytes per active watch: `WATCHES` watches of distinct memory refs, each having emitted its first value, against a
 * `setInterval` poller per ref that reads the ref, keeps its last value and hands a new version to a listener. A
 * 60 s interval, so that no poll runs while the heap is measured: what is measured is what a watch holds between
 * polls.
 */
async function heapPerWatch(): Promise<BenchRow> {
  const names = Array.from({ length: WATCHES }, (_, i) => `watch/${String(i).padStart(4, '0')}`);
  const values = Object.fromEntries(names.map((name) => [name, `value of ${name}`]));
  const interval = 60_000;
  const ours = async (): Promise<number> => {
    const provider = memoryProvider({ secrets: values });
    const before = await settledHeap();
    const secrets = createSecrets({ providers: [provider] });
    let seen = 0;
    let resolveAll: () => void = () => {};
    const all = new Promise<void>((resolve) => {
      resolveAll = resolve;
    });
    const subscriptions: Subscription[] = names.map((name) =>
      secrets.watch(`memory:${name}`, { interval }).subscribe(() => {
        if (++seen === WATCHES) resolveAll();
      }),
    );
    await all;
    const after = await settledHeap();
    for (const s of subscriptions) s.unsubscribe();
    await secrets.close();
    return (after - before) / WATCHES;
  };
  const pollers = async (): Promise<number> => {
    const provider = memoryProvider({ secrets: values });
    const before = await settledHeap();
    let seen = 0;
    let resolveAll: () => void = () => {};
    const all = new Promise<void>((resolve) => {
      resolveAll = resolve;
    });
    const timers = names.map((name) => {
      const ref = parseSecretRef(`memory:${name}`);
      let last: Secret | undefined;
      const listener = () => {
        if (++seen === WATCHES) resolveAll();
      };
      const poll = async () => {
        const secret = await provider.get(ref, { signal: new AbortController().signal });
        if (secret.version !== last?.version) {
          last = secret;
          listener();
        }
      };
      void poll();
      return setInterval(poll, interval);
    });
    await all;
    const after = await settledHeap();
    for (const timer of timers) clearInterval(timer);
    return (after - before) / WATCHES;
  };
  const [rx, alt] = await alternating(ours, pollers);
  return {
    suite,
    case: `heap per active watch: ${fmt(WATCHES)} watches of distinct memory refs, first value emitted (median of ${ROUNDS})`,
    rxsecrets: `${fmt(median(rx))} B`,
    alternative: `a setInterval poller per ref holding its last value: ${fmt(median(alt))} B`,
    ratio: `${fmt(median(rx) / median(alt), 2)}× the poller`,
    note: `goal ≤ 3.5 KB; ours ${range(rx)}, poller ${range(alt)}; the watch includes its cache entry`,
  };
}

/** Runs the heap benchmarks and returns their rows. */
export async function runHeapBenchmarks(): Promise<BenchRow[]> {
  return [await heapPerCachedEntry(), await heapPerWatch()];
}
