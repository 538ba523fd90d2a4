/**
 * The cold read of the Secret Service suite: getMany of many refs through a new provider (connected, session open,
 * empty item cache), measured round-robin against the raw D-Bus calls such a read cannot do without, so their ratio
 * shows the provider's own overhead and the raw figures show the floor gnome-keyring sets.
 */
import { firstValueFrom } from 'rxjs';
import { createSecrets } from '../src/index.js';
import { type SecretServiceClient, secretService } from '../src/providers/secret-service/index.js';
import { median } from './report.js';

const ITEM = 'org.freedesktop.Secret.Item';
const COLLECTION = 'org.freedesktop.Secret.Collection';
const PROPERTIES = 'org.freedesktop.DBus.Properties';

/** Medians of the cold rounds, and the D-Bus calls (by member) of the provider's last cold round. */
export interface ColdReads {
  /** getMany through a new provider. */
  readonly providerMs: number;
  /** Its D-Bus calls by member. */
  readonly calls: Readonly<Record<string, number>>;
  /** Raw, pipelined: one SearchItems for all, a GetAll per item, one GetSecrets (the floor with item metadata). */
  readonly rawWithMetadataMs: number;
  /** Raw, pipelined: a SearchItems per ref, one GetSecrets (what a read without item metadata would cost). */
  readonly rawValuesOnlyMs: number;
  /** Raw: one GetSecrets of every item, paths known (a warm read's floor). */
  readonly rawGetSecretsMs: number;
}

/** What the cold rounds read: refs of `{ bench, n }` attributes in `collection`, and the raw client to compare. */
export interface ColdReadSetup {
  readonly address: string;
  readonly raw: SecretServiceClient;
  readonly collection: string;
  readonly bench: string;
  readonly refs: readonly string[];
}

/** Runs `rounds` rounds of the provider's cold getMany and both raw floors, round-robin. */
export async function coldReads(setup: ColdReadSetup, rounds: number): Promise<ColdReads> {
  const { raw, collection, bench, refs } = setup;
  const call = raw.connection.call.bind(raw.connection);
  const search = async (attributes: Record<string, string>) =>
    (
      await call({
        path: collection,
        interface: COLLECTION,
        member: 'SearchItems',
        signature: 'a{ss}',
        body: [attributes],
      })
    )[0] as string[];
  const readValues = async (paths: readonly string[]) => {
    const result = await raw.getSecrets(paths);
    for (const bytes of result.secrets.values()) bytes.wipe();
    if (result.secrets.size !== refs.length) throw new Error(`raw read ${result.secrets.size} values`);
  };
  const withMetadata = async () => {
    const paths = await search({ bench });
    await Promise.all(
      paths.map((path) => call({ path, interface: PROPERTIES, member: 'GetAll', signature: 's', body: [ITEM] })),
    );
    await readValues(paths);
  };
  const valuesOnly = async () => {
    const found = await Promise.all(refs.map((_, n) => search({ bench, n: String(n) })));
    await readValues(found.map((paths) => paths[0] as string));
  };
  const allPaths = await search({ bench });
  const times = { provider: [] as number[], metadata: [] as number[], values: [] as number[], read: [] as number[] };
  let calls: Record<string, number> = {};
  const timed = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  await withMetadata(); // warm-up of the raw client (its session)
  for (let i = 0; i < rounds; i++) {
    const cold = await coldGetMany(setup);
    times.provider.push(cold.ms);
    calls = cold.calls;
    times.metadata.push(await timed(withMetadata));
    times.values.push(await timed(valuesOnly));
    times.read.push(await timed(() => readValues(allPaths)));
  }
  return {
    providerMs: median(times.provider),
    calls,
    rawWithMetadataMs: median(times.metadata),
    rawValuesOnlyMs: median(times.values),
    rawGetSecretsMs: median(times.read),
  };
}

/** One getMany through a new provider, connected and with its session open before the clock starts. */
async function coldGetMany(setup: ColdReadSetup): Promise<{ ms: number; calls: Record<string, number> }> {
  const provider = secretService({ bus: setup.address, pageSize: setup.refs.length });
  const secrets = createSecrets({ providers: [provider], cache: false });
  try {
    const client = await provider.client();
    await client.session();
    const connection = client.connection;
    const original = connection.call.bind(connection);
    const calls: Record<string, number> = {};
    connection.call = (method, options) => {
      calls[method.member] = (calls[method.member] ?? 0) + 1;
      return original(method, options);
    };
    const started = performance.now();
    const results = await firstValueFrom(secrets.getMany(setup.refs));
    const ms = performance.now() - started;
    if (results.some((r) => !r.ok)) throw new Error('getMany failed');
    return { ms, calls: { ...calls } }; // before close() adds its own calls
  } finally {
    await secrets.close();
  }
}

/** The calls of a read as `SearchItems 1, GetAll 500, …`, the item cache's start-up calls (match rules…) apart. */
export function formatCalls(calls: Readonly<Record<string, number>>): string {
  const startup = new Set(['AddMatch', 'GetNameOwner', 'Ping']);
  const list = (entries: Array<[string, number]>) => entries.map(([member, count]) => `${member} ${count}`).join(', ');
  const all = Object.entries(calls);
  const setup = all.filter(([member]) => startup.has(member));
  return `${list(all.filter(([member]) => !startup.has(member)))}${setup.length > 0 ? ` (+ item-cache start-up: ${list(setup)})` : ''}`;
}
