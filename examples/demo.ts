/**
 * The rxsecrets demo: the same streaming API over the embedded memory store, AWS Parameter Store and Secrets
 * Manager, Azure Key Vault — the cloud stores served by the bundled emulators, so no account is needed — and the
 * Linux keyring (a private gnome-keyring when installed), and fleet coordination through a private redis-server
 * (when installed).
 * Run: `npm run demo` (or `npm run demo -- memory aws` for some sections).
 */
import { awsDemo } from './demo/aws.js';
import { azureDemo } from './demo/azure.js';
import { fleetDemo } from './demo/fleet.js';
import { log } from './demo/log.js';
import { memoryDemo } from './demo/memory.js';
import { secretServiceDemo } from './demo/secret-service.js';

const sections: Record<string, () => Promise<void>> = {
  memory: memoryDemo,
  aws: awsDemo,
  azure: azureDemo,
  'secret-service': secretServiceDemo,
  fleet: fleetDemo,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const name of wanted.length > 0 ? wanted : Object.keys(sections)) {
    const section = sections[name];
    if (!section) throw new Error(`unknown demo section '${name}' (known: ${Object.keys(sections).join(', ')})`);
    await section();
  }
  log('== done');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
