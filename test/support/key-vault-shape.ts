// Compares JSON shapes (key paths and JSON types) of a real Key Vault response fixture and an emulator response.
import { readFileSync } from 'node:fs';

/** A trimmed real response saved under test/fixtures/key-vault/. */
export interface KeyVaultFixture {
  source: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Key paths the emulator may add (where an older spec example lacks a field recordings show). */
  extraAllowed?: string[];
}

export function loadFixture(name: string): KeyVaultFixture {
  const url = new URL(`../fixtures/key-vault/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as KeyVaultFixture;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every key path of a JSON value with its type; array elements share the path `name[]`. */
export function shapeOf(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  into.set(path || '(root)', jsonType(value));
  if (Array.isArray(value)) {
    for (const item of value) shapeOf(item, `${path}[]`, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) shapeOf(child, path ? `${path}.${key}` : key, into);
  }
  return into;
}

/** Differences between the fixture's shape and the actual body's shape; empty when they conform. */
export function shapeDifferences(fixture: KeyVaultFixture, actual: unknown): string[] {
  const expected = shapeOf(fixture.body);
  const got = shapeOf(actual);
  const allowed = new Set(fixture.extraAllowed ?? []);
  const problems: string[] = [];
  for (const [path, type] of expected) {
    if (!got.has(path)) problems.push(`missing ${path} (${type})`);
    else if (got.get(path) !== type) problems.push(`${path}: expected ${type}, got ${got.get(path)}`);
  }
  for (const [path, type] of got) {
    if (!expected.has(path) && !allowed.has(path)) problems.push(`unexpected ${path} (${type})`);
  }
  return problems;
}
