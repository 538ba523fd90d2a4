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
