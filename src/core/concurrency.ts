/** Splits `items` into arrays of at most `size` (size < 1 or not finite: one chunk). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isFinite(size) || size < 1) return items.length ? [[...items]] : [];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
