/** One line of a benchmark report. */
export interface BenchRow {
  readonly suite: string;
  readonly case: string;
  readonly rxsecrets: string;
  readonly alternative: string;
  readonly ratio: string;
  readonly note?: string;
}

/** Formats rows as a Markdown table (pasted into benchmarks/README.md). */
export function toMarkdown(rows: readonly BenchRow[]): string {
  const header = '| suite | case | rxsecrets | alternative | ratio | note |\n| --- | --- | --- | --- | --- | --- |';
  const lines = rows.map(
    (r) => `| ${r.suite} | ${r.case} | ${r.rxsecrets} | ${r.alternative} | ${r.ratio} | ${r.note ?? ''} |`,
  );
  return [header, ...lines].join('\n');
}

/** Formats a number with thousands separators and at most `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** The median of some samples (the upper middle one for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Times async sides call by call over `warmup + samples` rounds, every side once per round in a fresh random order:
 * with a fixed or rotating order one side always follows the same other one, and pays for the work that one leaves
 * behind (socket and GC bookkeeping after a response). Each side gets the round's index. Returns each side's samples
 * in milliseconds of `clock` (default: wall-clock time), warm-up rounds left out.
 */
export async function interleaved<K extends string>(
  sides: Readonly<Record<K, (round: number) => Promise<unknown>>>,
  samples: number,
  warmup: number,
  clock: () => number = () => performance.now(),
): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + samples; round++) {
    const order = [...names];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j] as K, order[i] as K];
    }
    for (const name of order) {
      const started = clock();
      await sides[name](round);
      if (round >= warmup) times[name].push(clock() - started);
    }
  }
  return times;
}
