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
