/**
 * The Secret Service rows at 1000 items, on a private gnome-keyring of their own (so the 500-item rows keep their
 * collection size): a cold getMany of 1000 refs next to the raw calls it cannot do without (see
 * secret-service-cold.ts), and the cost of one poll of 1000 watched refs: D-Bus calls counted by a bus monitor (what
 * gnome-keyring is sent, not counters inside rxsecrets), and CPU time of this process and of gnome-keyring, with the
 * item cache (the default on gnome-keyring) and without it (`cacheItems: false`: a search per ref, as every probe
 * did before), measured in alternation.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { merge, type Subscription } from 'rxjs';
import { createSecrets, makeRef } from '../src/index.js';
import { formatItemQuery, SecretServiceClient, secretService } from '../src/providers/secret-service/index.js';
import { startSecretServiceDaemon } from '../test/support/secret-service-daemon.js';
import { monitorBus } from '../test/support/secret-service-fixture.js';
import { type BenchRow, fmt, median } from './report.js';
import { coldReads, coldRows } from './secret-service-cold.js';

const ITEMS = 1000;
const COLD_ROUNDS = 7;
/** Polls measured per side and turn; the sides alternate `TURNS` times. */
const POLLS = 4;
const TURNS = 2;
const INTERVAL_MS = 2000;
const LOGIN = '/org/freedesktop/secrets/collection/login';

/** What one side's polls cost, per poll. */
interface PollCost {
  readonly calls: number[];
  readonly members: Record<string, number>;
  readonly nodeCpuMs: number[];
  readonly keyringCpuMs: number[];
}

/** Runs the 1000-item rows on a private daemon. */
export async function runLargeSecretServiceBenchmarks(): Promise<BenchRow[]> {
  const daemon = await startSecretServiceDaemon();
  const raw = await SecretServiceClient.connect({ address: daemon.address });
  try {
    const bench = randomUUID();
    const login = raw.collection(LOGIN);
    for (let start = 0; start < ITEMS; start += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          login.createItem({
            label: `bench ${start + i}`,
            attributes: { bench, n: String(start + i) },
            secret: `value-${start + i}`,
          }),
        ),
      );
    }
    const refs = Array.from(
      { length: ITEMS },
      (_, n) =>
        makeRef('secret-service', formatItemQuery({ kind: 'alias', alias: 'default' }, { bench, n: String(n) })).text,
    );
    const cold = await coldReads({ address: daemon.address, raw, collection: LOGIN, bench, refs }, COLD_ROUNDS);
    const polls = await pollCosts(daemon.address, daemon.keyringPid, refs);
    const cached = polls.cached;
    const uncached = polls.uncached;
    return [
      ...coldRows(ITEMS, COLD_ROUNDS, cold),
      {
        suite: 'secret-service',
        case: `poll of ${ITEMS} watched refs (gnome-keyring): D-Bus calls and CPU per poll (median of ${POLLS * TURNS} polls)`,
        rxsecrets: `${fmt(median(cached.calls))} calls (${formatMembers(cached.members, POLLS * TURNS)}), ${fmt(median(cached.nodeCpuMs))} ms CPU + gnome-keyring ${fmt(median(cached.keyringCpuMs))} ms`,
        alternative: `without the item cache: ${fmt(median(uncached.calls))} calls (${formatMembers(uncached.members, POLLS * TURNS)}), ${fmt(median(uncached.nodeCpuMs))} ms CPU + gnome-keyring ${fmt(median(uncached.keyringCpuMs))} ms`,
        ratio: `${fmt(median(uncached.calls) / median(cached.calls), 0)}× fewer calls`,
        note: `calls counted by a bus monitor; goal ≤ 10 calls per poll when the cache is exact; ${INTERVAL_MS / 1000} s interval, the two sides alternating ${TURNS}× ${POLLS} polls`,
      },
    ];
  } finally {
    await raw.close();
    await daemon.stop();
  }
}

/** Per-poll costs of watching every ref, with and without the item cache, in alternating turns. */
async function pollCosts(
  address: string,
  keyringPid: number | undefined,
  refs: readonly string[],
): Promise<{ cached: PollCost; uncached: PollCost }> {
  const cost = (): PollCost => ({ calls: [], members: {}, nodeCpuMs: [], keyringCpuMs: [] });
  const result = { cached: cost(), uncached: cost() };
  for (let turn = 0; turn < TURNS; turn++) {
    for (const side of ['cached', 'uncached'] as const) {
      await measurePolls(address, keyringPid, refs, side === 'cached' ? 'auto' : false, result[side]);
    }
  }
  return result;
}

/** Watches every ref through a new provider and records the cost of `POLLS` polls after the first. */
async function measurePolls(
  address: string,
  keyringPid: number | undefined,
  refs: readonly string[],
  cacheItems: 'auto' | false,
  into: PollCost,
): Promise<void> {
  const provider = secretService({ bus: address, cacheItems, pollInterval: INTERVAL_MS });
  const secrets = createSecrets({ providers: [provider], cache: false });
  const client = await provider.client();
  const monitor = await monitorBus(address, [`type='method_call',sender='${client.connection.uniqueName}'`]);
  let subscription: Subscription | undefined;
  try {
    let polled = 0;
    const marks: Array<{ calls: number; node: number; keyring: number }> = [];
    const done = new Promise<void>((resolve) => {
      secrets.events.subscribe((event) => {
        if (event.type !== 'watch-probe') return;
        polled += event.refs;
        if (polled % refs.length !== 0) return;
        const cpu = process.cpuUsage();
        marks.push({
          calls: monitor.messages.length,
          node: (cpu.user + cpu.system) / 1000,
          keyring: cpuMs(keyringPid),
        });
        if (marks.length === POLLS + 2) resolve(); // the first poll, then POLLS whole polls
      });
    });
    subscription = merge(...refs.map((ref) => secrets.watch(ref))).subscribe();
    await done;
    const first = marks[1] as (typeof marks)[number];
    const last = marks[POLLS + 1] as (typeof marks)[number];
    for (const member of monitor.messages.slice(first.calls, last.calls).map((m) => m.member ?? '')) {
      into.members[member] = (into.members[member] ?? 0) + 1;
    }
    for (let i = 1; i <= POLLS; i++) {
      const [from, to] = [marks[i], marks[i + 1]] as [(typeof marks)[number], (typeof marks)[number]];
      into.calls.push(to.calls - from.calls);
      into.nodeCpuMs.push(to.node - from.node);
      into.keyringCpuMs.push(to.keyring - from.keyring);
    }
  } finally {
    subscription?.unsubscribe();
    monitor.stop();
    await secrets.close();
  }
}

/** CPU time (user + system) of a process so far, from /proc (0 when unknown). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
}

/** Calls by member per poll, e.g. `ReadAlias 2, GetSecrets 2`. */
function formatMembers(members: Record<string, number>, polls: number): string {
  return Object.entries(members)
    .map(([member, count]) => `${member} ${fmt(count / polls, 1)}`)
    .join(', ');
}
