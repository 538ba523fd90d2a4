/** Edit distance between two short words (options names), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/**
 * The known name closest to `unknown`, or undefined when none is close: an explicit alias first (another library's
 * name for the same option, such as p-retry's `minTimeout`), then the nearest name by edit distance.
 */
export function closestName(
  unknown: string,
  known: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const alias = Object.hasOwn(aliases, unknown) ? aliases[unknown] : undefined;
  if (alias !== undefined && known.includes(alias)) return alias;
  // The nearest of our names and of the aliases (a misspelt alias still points to our name).
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const candidates: Array<[string, string]> = [
    ...known.map((name): [string, string] => [name, name]),
    ...Object.entries(aliases).filter(([, target]) => known.includes(target)),
  ];
  for (const [spelling, name] of candidates) {
    const d = distance(unknown, spelling);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(unknown.length / 3)) ? best : undefined;
}
