/** ListSecrets takes at most 10 values per filter. */
export const MAX_FILTER_VALUES = 10;

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/**
 * At most `max` name prefixes that together cover `names`, as long as possible (so that a prefix filter matches
 * few secrets beyond the watched ones): sorted names start as their own prefix, and the two neighbours with the
 * longest common prefix are merged until `max` remain. An empty string in the result means "no filter can cover
 * these": the caller lists every secret.
 */
export function coveringPrefixes(names: readonly string[], max = MAX_FILTER_VALUES): string[] {
  const groups = [...new Set(names)].sort();
  while (groups.length > max) {
    let best = 0;
    let bestLength = -1;
    for (let i = 0; i + 1 < groups.length; i++) {
      const length = commonPrefix(groups[i] as string, groups[i + 1] as string).length;
      if (length > bestLength) {
        best = i;
        bestLength = length;
      }
    }
    groups.splice(best, 2, commonPrefix(groups[best] as string, groups[best + 1] as string));
  }
  return groups;
}

/** `names` in chunks of exact filter values (each value still matches as a prefix: results are checked by name). */
export function exactChunks(names: readonly string[], size = MAX_FILTER_VALUES): string[][] {
  const unique = [...new Set(names)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}
