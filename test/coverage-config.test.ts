// The coverage thresholds apply to runtime files only: .c8rc.json excludes exactly the type-only files of src
// (interfaces and types, which compile to nothing and would count as uncovered lines).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** Whether a TypeScript file compiles to a module with no statement (only `export {}`). */
function isTypeOnly(source: string): boolean {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: true },
  });
  return outputText.replace(/export \{\};?/g, '').trim() === '';
}

test('.c8rc.json excludes every type-only file of src, and no file with runtime code', async (t) => {
  const config = JSON.parse(await readFile(join(root, '.c8rc.json'), 'utf8')) as { exclude: string[] };
  const typeOnly: string[] = [];
  for (const file of await sourceFiles(join(root, 'src'))) {
    if (isTypeOnly(await readFile(join(root, file), 'utf8'))) typeOnly.push(file);
  }
  t.true(typeOnly.length > 0);
  const listed = config.exclude.filter((pattern) => !pattern.includes('*')).sort();
  t.deepEqual(listed, typeOnly);
});

test('.c8rc.json checks thresholds on all four figures', async (t) => {
  const config = JSON.parse(await readFile(join(root, '.c8rc.json'), 'utf8')) as Record<string, unknown>;
  t.is(config['check-coverage'], true);
  for (const figure of ['lines', 'statements', 'branches', 'functions']) {
    t.true(typeof config[figure] === 'number' && (config[figure] as number) > 0, figure);
  }
});
