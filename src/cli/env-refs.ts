/**
 * The environment `run` gives its command: the inherited variables, then `--env-file` files, then `--env NAME=ref`
 * flags (later wins). Values marked `rxs:<ref>` in the inherited environment and env files are refs; `--env` values
 * are refs as they are. Nothing else is resolved: a bare `redis:…` value stays text.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from './exit-codes.js';

/** The mark of a ref in an environment value or env file. */
export const REF_MARK = 'rxs:';

/** The environment to build: literal values, and the names whose values are refs to resolve. */
export interface EnvPlan {
  readonly literal: Record<string, string>;
  readonly refs: Map<string, string>;
}

/** Parses a dotenv-style file: `NAME=value` lines, `export ` allowed, `#` comments, quoted values. */
export function parseEnvFile(text: string, file: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new UsageError(`${file}:${index + 1}: expected NAME=value`);
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    pairs.push([match[1]!, value]);
  }
  return pairs;
}

/** Splits `NAME=ref` of an `--env` flag. */
export function parseEnvFlag(text: string): [string, string] {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(text);
  if (!match) throw new UsageError(`--env expects NAME=<ref>, got '${text.split('=')[0]}=…'`);
  const ref = match[2]!;
  return [match[1]!, ref.startsWith(REF_MARK) ? ref.slice(REF_MARK.length) : ref];
}

/** Builds the plan from the inherited environment, env files and `--env` flags. */
export async function planEnvironment(
  inherited: NodeJS.ProcessEnv,
  envFiles: readonly string[],
  envFlags: readonly string[],
): Promise<EnvPlan> {
  const literal: Record<string, string> = {};
  const refs = new Map<string, string>();
  const put = (name: string, value: string) => {
    if (value.startsWith(REF_MARK)) {
      refs.set(name, value.slice(REF_MARK.length));
      delete literal[name];
    } else {
      literal[name] = value;
      refs.delete(name);
    }
  };
  for (const [name, value] of Object.entries(inherited)) if (value !== undefined) put(name, value);
  for (const file of envFiles) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the env file ${file}: ${(error as Error).message}`);
    }
    for (const [name, value] of parseEnvFile(text, file)) put(name, value);
  }
  for (const flag of envFlags) {
    const [name, ref] = parseEnvFlag(flag);
    refs.set(name, ref);
    delete literal[name];
  }
  return { literal, refs };
}
