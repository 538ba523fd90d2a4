// The walls between parts of the tree are lint rules (biome noRestrictedImports, in biome.json). This runs the
// project's own biome configuration over probe files placed where each wall stands, so a rule that stops matching
// (a renamed folder, a pattern that no longer fits the import paths) fails here instead of letting imports through.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const biome = join(dirname(require.resolve('@biomejs/biome/package.json')), 'bin', 'biome');

/** Probe files: where each sits, what it imports, and whether the walls must refuse it. */
const PROBES: ReadonlyArray<{ path: string; from: string; refused: boolean }> = [
  { path: 'src/providers/azure/p1.ts', from: '../../core/ref.js', refused: true },
  { path: 'src/providers/aws/ssm/p2.ts', from: '../../../core/errors/index.js', refused: true },
  { path: 'src/providers/aws/ssm/p3.ts', from: '../../azure/index.js', refused: true },
  { path: 'src/providers/memory/p4.ts', from: '../../emulators/aws/index.js', refused: true },
  { path: 'src/providers/secret-service/p11.ts', from: '../../core/watch/index.js', refused: true },
  { path: 'src/providers/secret-service/p12.ts', from: '../memory/index.js', refused: true },
  { path: 'src/core/p5.ts', from: '../providers/aws/index.js', refused: true },
  { path: 'src/core/watch/p6.ts', from: '../../emulators/key-vault/index.js', refused: true },
  { path: 'src/emulators/aws/p7.ts', from: '../../providers/aws/index.js', refused: true },
  { path: 'src/providers/azure/p8.ts', from: '../../provider-kit/index.js', refused: false },
  { path: 'src/providers/aws/ssm/p9.ts', from: '../shared/aws-options.js', refused: false },
  { path: 'src/core/p10.ts', from: './ref.js', refused: false },
];

test('the lint walls refuse imports across them and allow the provider kit', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'rxs-walls-'));
  try {
    await cp(join(import.meta.dirname, '..', 'biome.json'), join(root, 'biome.json'));
    for (const probe of PROBES) {
      await mkdir(dirname(join(root, probe.path)), { recursive: true });
      await writeFile(join(root, probe.path), `import { x } from '${probe.from}';\nexport const y = x;\n`);
    }
    const output = await run(process.execPath, [biome, 'lint', '--vcs-enabled=false', '--reporter=github', '.'], {
      cwd: root,
    }).then(
      (done) => done.stdout,
      (failed: { stdout: string }) => failed.stdout,
    );
    const flagged = new Set(
      [...output.matchAll(/title=lint\/style\/noRestrictedImports,file=([^,]+),/g)].map((m) =>
        (m[1] as string).slice(root.length + 1),
      ),
    );
    for (const probe of PROBES) t.is(flagged.has(probe.path), probe.refused, `${probe.path} imports ${probe.from}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
