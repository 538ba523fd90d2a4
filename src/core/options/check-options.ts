import { ValidationError } from '../errors/index.js';
import { closestName } from './did-you-mean.js';
import { describeType, isPlainObject, type OptionRule, type OptionSpec } from './option-rules.js';

/**
 * Checks an options bag given to a public function: `undefined` passes; anything but a plain object, an unknown key
 * (named with the closest known one) or a value its rule refuses is a {@link ValidationError}. `where` names the
 * bag in messages (`'retry'`, `'set'`, `'keyVault'`).
 */
export function checkOptions(where: string, value: unknown, spec: OptionSpec): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) {
    throw new ValidationError(`${where} options must be an object; got ${describeType(value)}`);
  }
  const known = Object.keys(spec.rules);
  for (const key of Object.keys(value)) {
    const rule = Object.hasOwn(spec.rules, key) ? spec.rules[key] : undefined;
    if (rule === undefined) {
      const hint = closestName(key, known, spec.aliases);
      throw new ValidationError(
        `unknown ${where} option '${key.slice(0, 60)}'${hint === undefined ? '' : ` — did you mean '${hint}'?`}`,
      );
    }
    const entry = value[key];
    if (entry !== undefined) rule(entry, `${where}.${key}`);
  }
}

/**
 * A rule for a nested options bag (`retry`, `cache`, `watch`), checked like a top-level one and named `where` in
 * messages (default: its path).
 */
export function nested(spec: OptionSpec, where?: string): OptionRule {
  return (value, name) => checkOptions(where ?? name, value, spec);
}

/** The union of option specs (a common bag plus a provider's own keys). */
export function mergeSpecs(...specs: ReadonlyArray<OptionSpec | undefined>): OptionSpec {
  const rules: Record<string, OptionRule> = {};
  const aliases: Record<string, string> = {};
  for (const spec of specs) {
    if (spec === undefined) continue;
    Object.assign(rules, spec.rules);
    Object.assign(aliases, spec.aliases);
  }
  return { rules, aliases };
}
