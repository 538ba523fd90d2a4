/**
 * Secret Service benchmarks on one private gnome-keyring (started here, like the tests do): reading 500 item secrets
 * with rxsecrets (getMany, list with values, each warm: searches and item properties served by the provider's
 * signal-invalidated item cache; and getMany cold: a new provider per round, connected and with its session open,
 * next to the raw calls a cold read needs, see secret-service-cold.ts) vs python SecretStorage (its default: a new
 * session per item; and one shared session) vs a `secret-tool lookup` loop vs one raw `GetSecrets` call; and the
 * latency from a `secret-tool store` to a watch's emission, with the number of polling calls it took; then the
 * 1000-item rows of secret-service-large.ts (a cold read, and the cost of a poll of 1000 watched refs).
 * Run alone: `node --import tsx --import ./benchmarks/use-build.mjs benchmarks/secret-service.bench.ts` (after `npm run build`).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { createSecrets, makeRef, type Secret } from '../src/index.js';
import {
  formatItemQuery,
  SecretServiceClient,
  type SecretServiceProvider,
  secretService,
} from '../src/providers/secret-service/index.js';
import { startSecretServiceDaemon } from '../test/support/secret-service-daemon.js';
import { type BenchRow, fmt, median, toMarkdown } from './report.js';
import { coldReads, coldRows } from './secret-service-cold.js';
import { runLargeSecretServiceBenchmarks } from './secret-service-large.js';

const exec = promisify(execFile);
const ITEMS = 500;
const ROUNDS = 7;
/** Rounds of the warm reads and the raw call, measured round-robin. */
const READ_ROUNDS = 15;
const LOGIN = '/org/freedesktop/secrets/collection/login';
const PYTHON = '/usr/bin/python3';

/** Reads every item matching {bench: id}: prints the elapsed seconds (interpreter start excluded). */
const PYTHON_READ = `
import sys, time, secretstorage
from secretstorage.util import open_session
shared = sys.argv[2] == 'shared'
connection = secretstorage.dbus_init()
collection = secretstorage.Collection(connection, '${LOGIN}')
paths = [item.item_path for item in collection.search_items({'bench': sys.argv[1]})]
started = time.perf_counter()
session = open_session(connection) if shared else None
for path in paths:
    item = secretstorage.Item(connection, path, session=session)
    item.get_secret()
print(time.perf_counter() - started, len(paths))
`;

/**
 * Median times of several reads measured round-robin (each warmed up once), so a load spike on a shared machine
 * hits the raw call and the provider alike instead of skewing their ratio.
 */
async function timedTogether(rounds: number, runs: ReadonlyArray<() => Promise<unknown>>): Promise<number[]> {
  for (const run of runs) await run();
  const times = runs.map((): number[] => []);
  for (let i = 0; i < rounds; i++) {
    for (const [index, run] of runs.entries()) {
      const started = performance.now();
      await run();
      times[index]?.push(performance.now() - started);
    }
  }
  return times.map(median);
}

/** Runs the Secret Service suite: the 500-item rows, then the 1000-item rows (each on a private daemon). */
export async function runSecretServiceBenchmarks(): Promise<BenchRow[]> {
  return [...(await fiveHundredItems()), ...(await runLargeSecretServiceBenchmarks())];
}

async function fiveHundredItems(): Promise<BenchRow[]> {
  const daemon = await startSecretServiceDaemon();
  const raw = await SecretServiceClient.connect({ address: daemon.address });
  try {
    const bench = randomUUID();
    const login = raw.collection(LOGIN);
    const created = await Promise.all(
      Array.from({ length: ITEMS }, (_, n) =>
        login.createItem({ label: `bench ${n}`, attributes: { bench, n: String(n) }, secret: `value-${n}` }),
      ),
    );
    const paths = created.map((item) => item.path);
    const refs = Array.from(
      { length: ITEMS },
      (_, n) =>
        makeRef('secret-service', formatItemQuery({ kind: 'alias', alias: 'default' }, { bench, n: String(n) })).text,
    );
    const provider = secretService({ bus: daemon.address, pageSize: ITEMS });
    const secrets = createSecrets({ providers: [provider], cache: false });

    const cold = await coldReads({ address: daemon.address, raw, collection: LOGIN, bench, refs }, ROUNDS);
    const coldGetManyMs = cold.providerMs;
    const [rawMs = 0, getManyMs = 0, listMs = 0] = await timedTogether(READ_ROUNDS, [
      async () => {
        const result = await raw.getSecrets(paths);
        for (const bytes of result.secrets.values()) bytes.wipe();
      },
      async () => {
        const results = await firstValueFrom(secrets.getMany(refs));
        if (results.some((r) => !r.ok)) throw new Error('getMany failed');
      },
      async () => {
        const values: Secret[] = [];
        for await (const secret of secrets.list(`secret-service:default?bench=${bench}`, { withValues: true })) {
          values.push(secret);
        }
        if (values.length !== ITEMS) throw new Error(`listed ${values.length}`);
      },
    ]);
    const python = async (mode: string) => {
      const { stdout } = await exec(PYTHON, ['-c', PYTHON_READ, bench, mode], { env: daemon.env });
      const [seconds, count] = stdout.trim().split(/\s+/).map(Number) as [number, number];
      if (count !== ITEMS) throw new Error(`python read ${count} items`);
      return seconds * 1000;
    };
    const pythonDefaultMs = await python('default');
    const pythonSharedMs = median([await python('shared'), await python('shared'), await python('shared')]);
    const lookupStarted = performance.now();
    for (let n = 0; n < ITEMS; n++) {
      await exec('secret-tool', ['lookup', 'bench', bench, 'n', String(n)], { env: daemon.env });
    }
    const lookupMs = performance.now() - lookupStarted;

    const watch = await watchLatency(daemon, secrets, provider, bench);
    await secrets.close();
    const best = Math.min(getManyMs, listMs);
    const rows: BenchRow[] = [
      {
        suite: 'secret-service',
        case: `read ${ITEMS} secrets: getMany (median of ${READ_ROUNDS})`,
        rxsecrets: `${fmt(getManyMs, 1)} ms`,
        alternative: `raw GetSecrets ${fmt(rawMs, 1)} ms`,
        ratio: `${fmt(getManyMs / rawMs, 1)}× the raw call`,
        note: `warm: refs resolved from the item cache; an alias read + ${Math.ceil(ITEMS / 100)} GetSecrets of ≤ 100 items sent at once; goal ≤ 1.5×`,
      },
      ...coldRows(ITEMS, ROUNDS, cold),
      {
        suite: 'secret-service',
        case: `read ${ITEMS} secrets: list withValues (median of ${READ_ROUNDS})`,
        rxsecrets: `${fmt(listMs, 1)} ms`,
        alternative: `raw GetSecrets ${fmt(rawMs, 1)} ms`,
        ratio: `${fmt(listMs / rawMs, 1)}× the raw call`,
        note: `warm: one page from the item cache (an alias read) + ${Math.ceil(ITEMS / 100)} GetSecrets of ≤ 100 items sent at once; goal ≤ 1.5×`,
      },
      {
        suite: 'secret-service',
        case: `read ${ITEMS} secrets vs python SecretStorage (default: a session per item)`,
        rxsecrets: `${fmt(best, 1)} ms`,
        alternative: `${fmt(pythonDefaultMs)} ms`,
        ratio: `${fmt(pythonDefaultMs / best, 1)}× faster`,
        note: `goal ≥ 10×; python gets its item paths untimed; with a cold cache: ${fmt(pythonDefaultMs / coldGetManyMs, 1)}×`,
      },
      {
        suite: 'secret-service',
        case: `read ${ITEMS} secrets vs python SecretStorage (one shared session)`,
        rxsecrets: `${fmt(best, 1)} ms`,
        alternative: `${fmt(pythonSharedMs)} ms`,
        ratio: `${fmt(pythonSharedMs / best, 1)}× faster`,
      },
      {
        suite: 'secret-service',
        case: `read ${ITEMS} secrets vs a secret-tool lookup loop`,
        rxsecrets: `${fmt(best, 1)} ms`,
        alternative: `${fmt(lookupMs)} ms`,
        ratio: `${fmt(lookupMs / best, 1)}× faster`,
      },
      {
        suite: 'secret-service',
        case: `watch latency, secret-tool store → emission (median of ${watch.samples.length})`,
        rxsecrets: `${fmt(median(watch.fromSignal), 1)} ms from the ItemCreated signal`,
        alternative: `${fmt(median(watch.samples), 1)} ms from spawning secret-tool`,
        ratio: `${watch.probes} polling calls`,
        note: 'goal < 100 ms, zero polling calls for signalled changes',
      },
    ];
    return rows;
  } finally {
    await raw.close();
    await daemon.stop();
  }
}

async function watchLatency(
  daemon: Awaited<ReturnType<typeof startSecretServiceDaemon>>,
  secrets: ReturnType<typeof createSecrets>,
  provider: SecretServiceProvider,
  bench: string,
): Promise<{ samples: number[]; fromSignal: number[]; probes: number }> {
  let probes = 0;
  secrets.events.subscribe((event) => {
    if (event.type === 'watch-probe') probes += event.calls;
  });
  const attributes = { bench, watched: 'yes' };
  const ref = makeRef('secret-service', formatItemQuery({ kind: 'alias', alias: 'default' }, attributes)).text;
  await firstValueFrom(secrets.set(ref, 'v0'));
  const emitted: Array<{ value: unknown; at: number }> = [];
  const waiters: Array<() => void> = [];
  const subscription = secrets.watch(ref, { interval: '1h' }).subscribe((secret) => {
    emitted.push({ value: secret.value, at: performance.now() });
    for (const waiter of waiters.splice(0)) waiter();
  });
  const until = (value: string) =>
    new Promise<number>((resolve) => {
      const check = () => {
        const hit = emitted.find((entry) => entry.value === value);
        if (hit) resolve(hit.at);
        else waiters.push(check);
      };
      check();
    });
  await until('v0');
  const client = await provider.client();
  await client.connection.matchesReady();
  let signalledAt = 0;
  client.connection.signals({ interface: 'org.freedesktop.Secret.Collection', member: 'ItemCreated' }).subscribe(() => {
    signalledAt = performance.now();
  });
  await client.connection.matchesReady();
  const samples: number[] = [];
  const fromSignal: number[] = [];
  for (let i = 1; i <= 7; i++) {
    const started = performance.now();
    const child = exec('secret-tool', ['store', '--label=watched', 'bench', bench, 'watched', 'yes'], {
      env: daemon.env,
    });
    child.child.stdin?.end(`v${i}`);
    const at = await until(`v${i}`);
    await child;
    samples.push(at - started);
    fromSignal.push(at - signalledAt);
  }
  subscription.unsubscribe();
  return { samples, fromSignal, probes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSecretServiceBenchmarks().then(
    (rows) => console.log(`Node ${process.version}, ${new Date().toISOString()}\n\n${toMarkdown(rows)}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
