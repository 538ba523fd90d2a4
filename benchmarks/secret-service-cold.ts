/**
 * The cold read of the Secret Service suite: getMany of many refs through a new provider (connected, session open,
 * empty item cache), measured round-robin against the raw D-Bus calls such a read cannot do without, so their ratio
 * shows the provider's own overhead and the raw figures show the floor gnome-keyring sets.
 */
import { firstValueFrom } from 'rxjs';
import { createSecrets } from '../src/index.js';
import { type SecretServiceClient, secretService } from '../src/providers/secret-service/index.js';
import { countCalls } from '../test/support/secret-service-call-counter.js';
import { type BenchRow, fmt, median } from './report.js';

const ITEM = 'org.freedesktop.Secret.Item';
const COLLECTION = 'org.freedesktop.Secret.Collection';
const PROPERTIES = 'org.freedesktop.DBus.Properties';

/**
 * Medians of the cold rounds, and the D-Bus calls (by member) of the provider's last cold round (counted where the
 * connection sends them, one by one: the same calls the bus carries).
 */
export interface ColdReads {
  /** getMany through a new provider. */
  readonly providerMs: number;
  /** Its D-Bus calls by member. */
  readonly calls: Readonly<Record<string, number>>;
  /** getMany through a new provider with `itemMetadata: false` (no property read per item). */
  readonly withoutMetadataMs: number;
  /** Its D-Bus calls by member. */
  readonly withoutMetadataCalls: Readonly<Record<string, number>>;
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

/** Runs `rounds` rounds of the provider's cold getMany (with and without metadata) and the raw floors, in a random order per round. */
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
  const timed = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  let calls: Record<string, number> = {};
  let bareCalls: Record<string, number> = {};
  // each side returns its own time: a provider's creation, connection and close stay outside the clock
  const sides = {
    provider: async () => {
      const cold = await coldGetMany(setup);
      calls = cold.calls;
      return cold.ms;
    },
    bare: async () => {
      const cold = await coldGetMany(setup, false);
      bareCalls = cold.calls;
      return cold.ms;
    },
    metadata: () => timed(withMetadata),
    values: () => timed(valuesOnly),
    read: () => timed(() => readValues(allPaths)),
  };
  type Side = keyof typeof sides;
  const times = Object.fromEntries(Object.keys(sides).map((side) => [side, [] as number[]])) as Record<Side, number[]>;
  await withMetadata(); // warm-up of the raw client (its session)
  for (let i = 0; i < rounds; i++) {
    // a fresh random order each round, so no side always follows the same other one
    const order = Object.keys(sides) as Side[];
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(Math.random() * (k + 1));
      [order[k], order[j]] = [order[j] as Side, order[k] as Side];
    }
    for (const side of order) times[side].push(await sides[side]());
  }
  return {
    providerMs: median(times.provider),
    calls,
    withoutMetadataMs: median(times.bare),
    withoutMetadataCalls: bareCalls,
    rawWithMetadataMs: median(times.metadata),
    rawValuesOnlyMs: median(times.values),
    rawGetSecretsMs: median(times.read),
  };
}

/** One getMany through a new provider, connected and with its session open before the clock starts. */
async function coldGetMany(
  setup: ColdReadSetup,
  itemMetadata = true,
): Promise<{ ms: number; calls: Record<string, number> }> {
  const provider = secretService({ bus: setup.address, pageSize: setup.refs.length, itemMetadata });
  const secrets = createSecrets({ providers: [provider], cache: false });
  try {
    const calls = await countCalls(secrets);
    const started = performance.now();
    const results = await firstValueFrom(secrets.getMany(setup.refs));
    const ms = performance.now() - started;
    if (results.some((r) => !r.ok)) throw new Error('getMany failed');
    return { ms, calls: calls() }; // before close() adds its own calls
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

/** The rows of a cold read of `items` refs: against the floor without metadata, with metadata, and one GetSecrets. */
export function coldRows(items: number, rounds: number, cold: ColdReads): BenchRow[] {
  const floor = `floor (${items} SearchItems + GetSecrets, pipelined): ${fmt(cold.rawValuesOnlyMs, 1)} ms`;
  return [
    {
      suite: 'secret-service',
      case: `read ${items} refs cold: getMany through a new provider vs the floor (median of ${rounds})`,
      rxsecrets: `${fmt(cold.providerMs, 1)} ms`,
      alternative: `${floor}; with metadata (SearchItems + ${items} GetAll + GetSecrets): ${fmt(cold.rawWithMetadataMs, 1)} ms`,
      ratio: `${fmt(cold.providerMs / cold.rawValuesOnlyMs, 2)}× the floor, ${fmt(cold.providerMs / cold.rawWithMetadataMs, 2)}× the floor with metadata`,
      note: `with each item's label, attributes and times; one warm GetSecrets: ${fmt(cold.rawGetSecretsMs, 1)} ms (${fmt(cold.providerMs / cold.rawGetSecretsMs, 1)}×); its calls: ${formatCalls(cold.calls)}`,
    },
    {
      suite: 'secret-service',
      case: `read ${items} refs cold, \`itemMetadata: false\`: getMany through a new provider vs the floor (median of ${rounds})`,
      rxsecrets: `${fmt(cold.withoutMetadataMs, 1)} ms`,
      alternative: floor,
      ratio: `${fmt(cold.withoutMetadataMs / cold.rawValuesOnlyMs, 2)}× the floor`,
      note: `goal ≤ 1.2×; its calls: ${formatCalls(cold.withoutMetadataCalls)}`,
    },
  ];
}
