import type { ParameterFields } from './ssm-values.js';

interface Asked {
  readonly selector: string;
  readonly name: string;
  /** `3` of `name:3`, `live` of `name:live`, or undefined for a plain name. */
  readonly part: string | undefined;
}

function parse(selector: string): Asked {
  // Parameter names have no ':' (refs are checked before any call): the first one starts the selector.
  const at = selector.indexOf(':');
  return at < 0
    ? { selector, name: selector, part: undefined }
    : { selector, name: selector.slice(0, at), part: selector.slice(at + 1) };
}

function take(pool: ParameterFields[], pick: (p: ParameterFields) => boolean): ParameterFields | undefined {
  const index = pool.findIndex(pick);
  return index < 0 ? undefined : pool.splice(index, 1)[0];
}

/** Pairs the parameters of one name that came back without `Selector` with what was asked for that name. */
function pairByVersion(
  asked: readonly Asked[],
  returned: readonly ParameterFields[],
  out: Map<string, ParameterFields>,
): void {
  const pool = [...returned];
  const plain = asked.find((a) => a.part === undefined);
  if (plain) {
    // The plain name answers with the current version: the newest one returned for the name.
    const newest = Math.max(...pool.map((p) => p.Version ?? 0));
    const found = take(pool, (p) => (p.Version ?? 0) === newest);
    if (found) out.set(plain.selector, found);
  }
  const labels: Asked[] = [];
  for (const a of asked) {
    if (a.part === undefined) continue;
    if (!/^[0-9]+$/.test(a.part)) {
      labels.push(a);
      continue;
    }
    const version = Number(a.part);
    // Same version, same content: an entry already paired serves too when the server returned one per version.
    const found = take(pool, (p) => p.Version === version) ?? returned.find((p) => p.Version === version);
    if (found) out.set(a.selector, found);
  }
  // Labels carry no mark: one label left against one parameter left is a pair; anything else stays unpaired.
  const [label] = labels;
  const [rest] = pool;
  if (labels.length === 1 && pool.length === 1 && label && rest) out.set(label.selector, rest);
}

/**
 * Pairs the parameters of one GetParameters answer with the names it was asked for (`name`, `name:3`,
 * `name:label`), keyed by the asked name. AWS marks a parameter asked for with a selector by `Selector` (`:3`,
 * `:label`) beside the bare `Name`, and that mark is used when present. Some AWS-compatible servers (moto) leave
 * `Selector` out: their parameters are paired by name and version instead — a plain name takes the newest version
 * returned for it, `name:3` takes version 3, and a single label of a name takes what is left. Names in `invalid`
 * and labels that cannot be paired are left out, for the caller to handle.
 */
export function matchParameters(
  selectors: readonly string[],
  parameters: readonly ParameterFields[],
  invalid: ReadonlySet<string>,
): Map<string, ParameterFields> {
  const out = new Map<string, ParameterFields>();
  const unmarked = new Map<string, ParameterFields[]>();
  for (const parameter of parameters) {
    if (parameter.Selector) {
      out.set(`${parameter.Name}${parameter.Selector}`, parameter);
      continue;
    }
    const name = parameter.Name ?? '';
    unmarked.set(name, [...(unmarked.get(name) ?? []), parameter]);
  }
  const open = new Map<string, Asked[]>();
  for (const selector of new Set(selectors)) {
    if (invalid.has(selector)) continue;
    if (out.has(selector)) continue;
    const asked = parse(selector);
    open.set(asked.name, [...(open.get(asked.name) ?? []), asked]);
  }
  for (const [name, asked] of open) pairByVersion(asked, unmarked.get(name) ?? [], out);
  return out;
}
