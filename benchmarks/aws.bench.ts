/**
 * AWS benchmarks against the local emulator, side by side with `@aws-lambda-powertools/parameters` and raw SDK
 * calls, counting emulator calls as well as time: 1000 concurrent cold gets, watch probes per interval for 100
 * secrets and 100 parameters, getMany of 100 parameters, a 10,000-parameter by-path listing, and the overhead of a
 * cache miss (and of an uncached read) over a raw SDK call.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { firstValueFrom, type Subscription } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../src/emulators/aws/index.js';
import { createSecrets, parseSecretRef, type SecretRef, type Secrets, type SecretsEvent } from '../src/index.js';
import { parameterStore, secretsManager } from '../src/providers/aws/index.js';
import { type BenchRow, fmt, interleaved, median } from './report.js';

const suite = 'aws';

function facade(emulator: AwsEmulator, cache = true): Secrets {
  const config = emulator.clientConfig();
  return createSecrets({
    ...(cache ? {} : { cache: false }),
    providers: [parameterStore(config), secretsManager(config)],
  });
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

async function coldGets(emulator: AwsEmulator): Promise<BenchRow> {
  emulator.store.secrets.createSecret({ Name: 'bench/cold', SecretString: 'token' });
  emulator.faults.add({ kind: 'latency', operation: 'GetSecretValue', latencyMs: 20 });
  const ours = facade(emulator);
  emulator.stats.reset();
  const rx = await timed(() =>
    Promise.all(Array.from({ length: 1000 }, () => firstValueFrom(ours.get('aws-sm:bench/cold')))),
  );
  const rxCalls = emulator.stats.count('GetSecretValue');
  await ours.close();
  const client = new SecretsManagerClient(emulator.clientConfig());
  const powertools = new SecretsProvider({ awsSdkV3Client: client });
  emulator.stats.reset();
  const pt = await timed(() => Promise.all(Array.from({ length: 1000 }, () => powertools.get('bench/cold'))));
  const ptCalls = emulator.stats.count('GetSecretValue');
  emulator.stats.reset();
  const raw = await timed(() =>
    Promise.all(Array.from({ length: 1000 }, () => client.send(new GetSecretValueCommand({ SecretId: 'bench/cold' })))),
  );
  const rawCalls = emulator.stats.count('GetSecretValue');
  client.destroy();
  emulator.faults.clear();
  return {
    suite,
    case: '1000 concurrent cold gets of one secret (20 ms backend)',
    rxsecrets: `${rxCalls} call, ${fmt(rx.ms)} ms`,
    alternative: `Powertools ${ptCalls} calls, ${fmt(pt.ms)} ms; raw SDK ${rawCalls} calls, ${fmt(raw.ms)} ms`,
    ratio: `${fmt(ptCalls / Math.max(1, rxCalls))}× fewer calls`,
  };
}

function waitEvents(secrets: Secrets, type: SecretsEvent['type'], count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const sub = secrets.events.subscribe((event) => {
      if (event.type === type && ++seen >= count) {
        sub.unsubscribe();
        resolve();
      }
    });
  });
}

async function watchCost(emulator: AwsEmulator): Promise<BenchRow[]> {
  const secretNames = Array.from({ length: 100 }, (_, i) => `bench/watch/secret-${String(i).padStart(3, '0')}`);
  const paramNames = Array.from({ length: 100 }, (_, i) => `/bench/watch/param-${String(i).padStart(3, '0')}`);
  for (const name of secretNames) emulator.store.secrets.createSecret({ Name: name, SecretString: 'v' });
  for (const name of paramNames)
    emulator.store.parameters.putParameter({ Name: name, Value: 'v', Type: 'SecureString' });
  const rows: BenchRow[] = [];
  for (const [scheme, names, operations, goal] of [
    ['aws-sm', secretNames, ['ListSecrets'], 5],
    ['aws-ssm', paramNames, ['GetParameters'], 10],
  ] as const) {
    const secrets = facade(emulator);
    const interval = 100;
    const first = waitEvents(secrets, 'watch-changed', names.length);
    const subscriptions: Subscription[] = names.map((n) => secrets.watch(`${scheme}:${n}`, { interval }).subscribe());
    await first;
    await waitEvents(secrets, 'watch-probe', 1);
    emulator.stats.reset();
    const intervals = 10;
    await waitEvents(secrets, 'watch-probe', intervals);
    const calls = emulator.stats.total / intervals;
    const probeOps = operations.map((op) => `${op} ${fmt(emulator.stats.count(op) / intervals, 1)}`).join(', ');
    for (const s of subscriptions) s.unsubscribe();
    await secrets.close();
    rows.push({
      suite,
      case: `watch 100 ${scheme === 'aws-sm' ? 'Secrets Manager secrets' : 'parameters'}: calls per interval`,
      rxsecrets: `${fmt(calls, 1)} (${probeOps})`,
      alternative: `polling each: 100 ${scheme === 'aws-sm' ? 'GetSecretValue' : 'GetParameter'}`,
      ratio: `${fmt(100 / calls)}× fewer calls`,
      note: `goal ≤ ${goal}`,
    });
  }
  return rows;
}

async function getMany100(emulator: AwsEmulator): Promise<BenchRow> {
  const names = Array.from({ length: 100 }, (_, i) => `/bench/many/p${i}`);
  for (const name of names)
    emulator.store.parameters.putParameter({ Name: name, Value: `v${name}`, Type: 'SecureString' });
  emulator.faults.add({ kind: 'latency', operation: 'GetParameters', latencyMs: 10 });
  const rounds = 7;
  const ours: number[] = [];
  const theirs: number[] = [];
  let ourCalls = 0;
  let theirCalls = 0;
  for (let round = 0; round < rounds; round++) {
    const secrets = facade(emulator, false);
    emulator.stats.reset();
    ours.push((await timed(() => firstValueFrom(secrets.getMany(names.map((n) => `aws-ssm:${n}`))))).ms);
    ourCalls = emulator.stats.total;
    await secrets.close();
    const client = new SSMClient(emulator.clientConfig());
    const powertools = new SSMProvider({ awsSdkV3Client: client });
    emulator.stats.reset();
    theirs.push(
      (
        await timed(() =>
          powertools.getParametersByName(Object.fromEntries(names.map((n) => [n, {}])), { decrypt: true }),
        )
      ).ms,
    );
    theirCalls = emulator.stats.total;
    client.destroy();
  }
  emulator.faults.clear();
  return {
    suite,
    case: 'getMany of 100 parameters (10 ms per GetParameters), median of 7',
    rxsecrets: `${ourCalls} calls, ${fmt(median(ours), 1)} ms`,
    alternative: `Powertools getParametersByName: ${theirCalls} calls, ${fmt(median(theirs), 1)} ms`,
    ratio: `${fmt(median(theirs) / median(ours), 1)}× faster`,
    note: 'rxsecrets runs the 10 chunks 4 at a time',
  };
}

interface Memory {
  readonly heapMb: number;
  readonly rssMb: number;
}

function memory(): Memory {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { heapMb: usage.heapUsed / 1024 / 1024, rssMb: usage.rss / 1024 / 1024 };
}

const grown = (from: Memory, to: Memory) =>
  `${fmt(to.heapMb - from.heapMb, 1)} MB heap / ${fmt(to.rssMb - from.rssMb, 1)} MB RSS`;

function peakOf(a: Memory, b: Memory): Memory {
  return { heapMb: Math.max(a.heapMb, b.heapMb), rssMb: Math.max(a.rssMb, b.rssMb) };
}

async function bigListing(emulator: AwsEmulator): Promise<BenchRow[]> {
  for (let i = 0; i < 10_000; i++) {
    emulator.store.parameters.putParameter({
      Name: `/bench/list/p${String(i).padStart(5, '0')}`,
      Value: `${i}:${'x'.repeat(1024)}`,
      Type: 'String',
    });
  }
  const secrets = facade(emulator, false);
  emulator.stats.reset();
  const first = await timed(async () => {
    for await (const info of secrets.list('aws-ssm:/bench/list/')) return info;
    return undefined;
  });
  const pagesOnBreak = emulator.stats.count('GetParametersByPath');
  const base = memory();
  let peak = base;
  let count = 0;
  const lazy = await timed(async () => {
    for await (const _ of secrets.list('aws-ssm:/bench/list/')) if (++count % 1000 === 0) peak = peakOf(peak, memory());
  });
  await secrets.close();

  const client = new SSMClient(emulator.clientConfig());
  const powertools = new SSMProvider({ awsSdkV3Client: client });
  const ptBase = memory();
  emulator.stats.reset();
  const pt = await timed(() => powertools.getMultiple('/bench/list/', { forceFetch: true }));
  const ptPeak = memory();
  const ptCalls = emulator.stats.count('GetParametersByPath');
  emulator.stats.reset();
  const rawFirst = await timed(() =>
    client.send(new GetParametersByPathCommand({ Path: '/bench/list/', MaxResults: 10 })),
  );
  client.destroy();
  return [
    {
      suite,
      case: 'by-path listing of 10,000 parameters: time to first item, calls on break',
      rxsecrets: `${fmt(first.ms, 1)} ms, ${pagesOnBreak} page`,
      alternative: `Powertools getMultiple: ${fmt(pt.ms)} ms, ${ptCalls} pages (all); raw first page ${fmt(rawFirst.ms, 1)} ms`,
      ratio: `${fmt(ptCalls / Math.max(1, pagesOnBreak))}× fewer calls`,
      note: `${Object.keys(pt.value ?? {}).length} values fetched by Powertools`,
    },
    {
      suite,
      case: `by-path listing of 10,000 parameters (1 KB values), whole listing: RSS delta`,
      rxsecrets: `${grown(base, peak)} (${count} items, ${fmt(lazy.ms)} ms)`,
      alternative: `Powertools getMultiple (all values held): ${grown(ptBase, ptPeak)}`,
      ratio: `${fmt((ptPeak.heapMb - ptBase.heapMb) / Math.max(0.1, peak.heapMb - base.heapMb), 1)}× less live heap`,
      note: 'peak after a forced GC every 1000 items; RSS rarely shrinks, so it mostly shows the high-water mark',
    },
  ];
}

/**
 * What the facade adds to one backend read, against the raw SDK call on the same emulator. Four sides, interleaved
 * call by call in a random order per round (see {@link interleaved}): the raw
 * `GetSecretValue`, `provider.get` alone, a miss through a facade with its default cache (each read is the first of
 * its ref, so it is parsed, fetched and stored), and a re-read of one ref through a facade with `cache: false`. The
 * misses are spread over facades that each take at most 900, so that no cache (1000 entries) fills: a full one would
 * also evict an entry per miss.
 */
const MISSES_PER_FACADE = 900;

function missFacade(facades: readonly Secrets[], round: number): Secrets {
  return facades[Math.floor(round / MISSES_PER_FACADE)] as Secrets;
}

async function readOverhead(emulator: AwsEmulator): Promise<BenchRow[]> {
  const samples = 2000;
  const warmup = 100;
  const names = Array.from({ length: warmup + samples }, (_, i) => `bench/miss/${i}`);
  for (const name of names) emulator.store.secrets.createSecret({ Name: name, SecretString: 'v' });
  emulator.store.secrets.createSecret({ Name: 'bench/warm', SecretString: 'v' });
  const cached = Array.from({ length: Math.ceil(names.length / MISSES_PER_FACADE) }, () => facade(emulator));
  const uncached = facade(emulator, false);
  // Each facade's SDK client opens its connection outside the timings.
  for (const secrets of [...cached, uncached]) await firstValueFrom(secrets.get('aws-sm:bench/warm'));
  const client = new SecretsManagerClient({ ...emulator.clientConfig(), maxAttempts: 1 });
  const provider = secretsManager(emulator.clientConfig());
  const refs = names.map((name) => parseSecretRef(`aws-sm:${name}`));
  const texts = refs.map((ref) => ref.text);
  const times = await interleaved(
    {
      raw: (round) => client.send(new GetSecretValueCommand({ SecretId: names[round] })),
      provider: (round) => provider.get(refs[round] as SecretRef, { signal: new AbortController().signal }),
      miss: (round) => firstValueFrom(missFacade(cached, round).get(texts[round] as string)),
      uncached: () => firstValueFrom(uncached.get('aws-sm:bench/miss/0')),
    },
    samples,
    warmup,
  );
  client.destroy();
  await provider.close?.();
  for (const secrets of [...cached, uncached]) await secrets.close();
  const raw = median(times.raw);
  const percent = (side: keyof typeof times) => {
    const overhead = (median(times[side]) / raw - 1) * 100;
    return `${overhead >= 0 ? '+' : ''}${fmt(overhead, 1)} %`;
  };
  const us = (side: keyof typeof times) => `${fmt(median(times[side]) * 1000)} µs`;
  const layer = `the provider layer alone (provider.get): ${us('provider')}, ${percent('provider')}`;
  return [
    {
      suite,
      case: `cache-miss get (default cache, first read of each ref) vs raw SDK GetSecretValue, median of ${fmt(samples)}`,
      rxsecrets: us('miss'),
      alternative: `raw SDK ${us('raw')}`,
      ratio: percent('miss'),
      note: `goal ≤ 10 %; ${layer}`,
    },
    {
      suite,
      case: `uncached get (cache: false, one ref re-read) vs raw SDK GetSecretValue, median of ${fmt(samples)}`,
      rxsecrets: us('uncached'),
      alternative: `raw SDK ${us('raw')}`,
      ratio: percent('uncached'),
      note: 'same rounds as the row above',
    },
  ];
}

/**
 * A cached read in a loop, as a user writes it: `await firstValueFrom(secrets.get(ref))` against Powertools'
 * `await provider.get(name)` with its value cached (maxAge 15 minutes, as our cache's ttl, so that neither refetches),
 * and a synchronous `subscribe` for comparison. The sides take turns in batches of `BATCH` reads, in a random order
 * per round; each side's ops/s is the median over the rounds.
 */
export async function cachedGetThroughput(emulator: AwsEmulator): Promise<BenchRow> {
  const rounds = 30;
  const batch = 20_000;
  emulator.store.parameters.putParameter({ Name: '/bench/cached', Value: 'x'.repeat(1024), Type: 'SecureString' });
  const secrets = facade(emulator);
  const ref = 'aws-ssm:/bench/cached';
  await firstValueFrom(secrets.get(ref));
  const client = new SSMClient(emulator.clientConfig());
  const powertools = new SSMProvider({ awsSdkV3Client: client });
  const options = { decrypt: true, maxAge: 900 };
  await powertools.get('/bench/cached', options);
  emulator.stats.reset();
  let sink = 0;
  const times = await interleaved(
    {
      rxsecrets: async () => {
        for (let i = 0; i < batch; i++) sink += (await firstValueFrom(secrets.get(ref))).version === '1' ? 1 : 0;
      },
      powertools: async () => {
        for (let i = 0; i < batch; i++) sink += (await powertools.get('/bench/cached', options)) === undefined ? 0 : 1;
      },
      subscribe: async () => {
        for (let i = 0; i < batch; i++) {
          secrets.get(ref).subscribe((secret) => {
            sink += secret.version === '1' ? 1 : 0;
          });
        }
      },
    },
    rounds,
    3,
  );
  const calls = emulator.stats.total;
  client.destroy();
  await secrets.close();
  const opsPerSecond = (side: keyof typeof times) => batch / (median(times[side]) / 1000);
  const ours = opsPerSecond('rxsecrets');
  const theirs = opsPerSecond('powertools');
  return {
    suite,
    case: `cached get in a loop, \`await firstValueFrom(secrets.get(ref))\` (ops/s, median of ${rounds} batches of ${fmt(batch)})`,
    rxsecrets: fmt(ours),
    alternative: `Powertools getParameter cached: ${fmt(theirs)}`,
    ratio: `${fmt(ours / theirs, 2)}× its ops/s`,
    note: `a synchronous subscribe: ${fmt(opsPerSecond('subscribe'))} ops/s = ${fmt(opsPerSecond('subscribe') / theirs, 2)}×; backend calls during the loops: ${calls}${sink < 0 ? '' : ''}`,
  };
}

/** Runs every AWS benchmark against one emulator and returns its rows. */
export async function runAwsBenchmarks(): Promise<BenchRow[]> {
  const emulator = await startAwsEmulator();
  try {
    const rows: BenchRow[] = [];
    rows.push(await coldGets(emulator));
    rows.push(...(await watchCost(emulator)));
    rows.push(await getMany100(emulator));
    rows.push(await cachedGetThroughput(emulator));
    rows.push(...(await readOverhead(emulator)));
    rows.push(...(await bigListing(emulator)));
    return rows;
  } finally {
    await emulator.stop();
  }
}
