let sequence = 0;

/** A name no other test of this file uses: `prefix` and a counter (each test file runs in its own process). */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}${sequence}`;
}
