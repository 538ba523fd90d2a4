/**
 * Key Vault bulk reads against the local emulator, with the real SecretClient on both sides, interleaved round by
 * round in a random order (see {@link interleaved}), at 0 ms and 3 ms of added latency per request:
 * - a listing of 1000 secrets with values vs the raw loop a user would write (each page of
 *   `listPropertiesOfSecrets().byPage()`, then `Promise.all` of `getSecret` over the page);
 * - `getMany` of 10, 100 and 1000 refs vs a raw `Promise.all` of `getSecret`.
 * Requests are counted by the emulator, per side. Both facades run with `cache: false`, so that every round reads.
 * Then the client CPU per read of each layer, with the emulator in its own process (azure-cpu.bench.ts).
 */
import { SecretClient } from '@azure/keyvault-secrets';
import { firstValueFrom } from 'rxjs';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../src/emulators/key-vault/index.js';
import { createSecrets, type Secrets } from '../src/index.js';
import { keyVault } from '../src/providers/azure/index.js';
import { keyVaultCpuPerRead } from './azure-cpu.bench.js';
import { type BenchRow, fmt, interleaved, median } from './report.js';

const LIST = 'GET /secrets';
const GET = 'GET /secrets/{name}/{version}';
const SECRETS = 1000;
const LATENCIES = [0, 3] as const;

interface Bench {
  readonly kv: KeyVaultEmulator;
  readonly secrets: Secrets;
  readonly client: SecretClient;
  readonly names: readonly string[];
}

async function startBench(): Promise<Bench> {
  const kv = await startKeyVaultEmulator();
  const names = Array.from({ length: SECRETS }, (_, i) => `item-${String(i).padStart(4, '0')}`);
  for (const [i, name] of names.entries()) kv.store.setSecret(name, `value-${i}`);
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  const secrets = createSecrets({ providers: [provider], cache: false });
  const client = new SecretClient(kv.vaultUrl, kv.credential, kv.clientOptions());
  // Challenge handshakes out of the timings.
  await client.getSecret(names[0] as string);
  await firstValueFrom(secrets.get(`azure-kv:${names[0]}`));
  return { kv, secrets, client, names };
}

function withLatency(kv: KeyVaultEmulator, latencyMs: number): void {
  kv.faults.clear();
  if (latencyMs > 0) kv.faults.atRate({ kind: 'latency', ms: latencyMs }, { rate: 1 });
}

/** Runs `run` and adds the list pages and gets the emulator saw to `counts`. */
async function counted(kv: KeyVaultEmulator, counts: { pages: number; gets: number }, run: () => Promise<void>) {
  const pages = kv.stats.calls[LIST];
  const gets = kv.stats.calls[GET];
  await run();
  counts.pages += kv.stats.calls[LIST] - pages;
  counts.gets += kv.stats.calls[GET] - gets;
}

const latencyLabel = (ms: number) => (ms > 0 ? `${ms} ms added per request` : 'no added latency');
const ratioOf = (ours: number, raw: number) => `${fmt(raw / ours, 2)}× as fast`;

async function listing(bench: Bench, latencyMs: number, samples: number): Promise<BenchRow> {
  const { kv, secrets, client } = bench;
  withLatency(kv, latencyMs);
  const counts = { ours: { pages: 0, gets: 0 }, raw: { pages: 0, gets: 0 } };
  const times = await interleaved(
    {
      ours: () =>
        counted(kv, counts.ours, async () => {
          let read = 0;
          for await (const secret of secrets.list('azure-kv:', { withValues: true })) if (secret.value) read += 1;
          if (read !== SECRETS) throw new Error(`rxsecrets listed ${read} values`);
        }),
      raw: () =>
        counted(kv, counts.raw, async () => {
          let read = 0;
          for await (const page of client.listPropertiesOfSecrets().byPage()) {
            const values = await Promise.all(page.map((properties) => client.getSecret(properties.name)));
            read += values.filter((secret) => secret.value).length;
          }
          if (read !== SECRETS) throw new Error(`the raw loop listed ${read} values`);
        }),
    },
    samples,
    1,
  );
  const rounds = samples + 1;
  const ours = median(times.ours);
  const raw = median(times.raw);
  return {
    suite: 'azure',
    case: `list ${fmt(SECRETS)} secrets with values (${latencyLabel(latencyMs)}), median of ${samples}`,
    rxsecrets: `${fmt(ours)} ms (${fmt(counts.ours.pages / rounds)} pages + ${fmt(counts.ours.gets / rounds)} gets)`,
    alternative: `raw loop, Promise.all of getSecret per page: ${fmt(raw)} ms (${fmt(counts.raw.pages / rounds)} pages + ${fmt(counts.raw.gets / rounds)} gets)`,
    ratio: ratioOf(ours, raw),
    note: "a page's values read at once; the next page listed while they are read",
  };
}

async function getMany(bench: Bench, count: number, latencyMs: number, samples: number): Promise<BenchRow> {
  const { kv, secrets, client } = bench;
  withLatency(kv, latencyMs);
  const names = bench.names.slice(0, count);
  const refs = names.map((name) => `azure-kv:${name}`);
  const counts = { ours: { pages: 0, gets: 0 }, raw: { pages: 0, gets: 0 } };
  const times = await interleaved(
    {
      ours: () =>
        counted(kv, counts.ours, async () => {
          const results = await firstValueFrom(secrets.getMany(refs));
          if (!results.every((result) => result.ok)) throw new Error('a getMany read failed');
        }),
      raw: () =>
        counted(kv, counts.raw, async () => {
          await Promise.all(names.map((name) => client.getSecret(name)));
        }),
    },
    samples,
    1,
  );
  const rounds = samples + 1;
  const ours = median(times.ours);
  const raw = median(times.raw);
  const ms = (value: number) => fmt(value, value < 100 ? 1 : 0);
  return {
    suite: 'azure',
    case: `getMany of ${fmt(count)} refs (${latencyLabel(latencyMs)}), median of ${samples}`,
    rxsecrets: `${ms(ours)} ms (${fmt(counts.ours.gets / rounds)} gets)`,
    alternative: `raw Promise.all of getSecret: ${ms(raw)} ms (${fmt(counts.raw.gets / rounds)} gets)`,
    ratio: ratioOf(ours, raw),
    note: 'a sliding window of single reads (the next starts as one ends)',
  };
}

/** The listing and getMany rows, at each latency. */
export async function runKeyVaultReadBenchmarks(): Promise<BenchRow[]> {
  const bench = await startBench();
  const rows: BenchRow[] = [];
  try {
    for (const latencyMs of LATENCIES) rows.push(await listing(bench, latencyMs, 7));
    for (const latencyMs of LATENCIES) {
      for (const [count, samples] of [
        [10, 51],
        [100, 21],
        [1000, 5],
      ] as const) {
        rows.push(await getMany(bench, count, latencyMs, samples));
      }
    }
  } finally {
    await bench.secrets.close();
    await bench.kv.stop();
  }
  rows.push(await keyVaultCpuPerRead());
  return rows;
}
