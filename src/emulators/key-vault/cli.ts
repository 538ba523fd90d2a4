/**
 * Command line entry: starts a Key Vault emulator and prints its URL and the path of its CA certificate.
 *
 * ```sh
 * tsx src/emulators/key-vault/cli.ts [--port 8443] [--host 127.0.0.1] [--ca-file ./kv-ca.pem]
 *                                   [--deletion-delay-ms 2000] [--trailing-empty-page] [--verbose]
 * ```
 * Point a client at it with `NODE_EXTRA_CA_CERTS=<ca file>` (or `tlsOptions: { ca }`) and
 * `disableChallengeResourceVerification: true`. Stops on SIGINT/SIGTERM and removes the CA file it wrote.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startKeyVaultEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'ca-file': { type: 'string' },
    'deletion-delay-ms': { type: 'string', default: '0' },
    'trailing-empty-page': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const emulator = await startKeyVaultEmulator({
  port: Number(values.port),
  host: values.host,
  deletionDelayMs: Number(values['deletion-delay-ms']),
  trailingEmptyPage: values['trailing-empty-page'],
  ...(values.verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
});

// Only the CA *certificate* is written (public); the keys stay in memory.
const tempDir = values['ca-file'] ? undefined : mkdtempSync(join(tmpdir(), 'rxsecrets-key-vault-'));
const caPath = values['ca-file'] ?? join(tempDir ?? '', 'ca.pem');
writeFileSync(caPath, emulator.ca);

process.stdout.write(
  `Key Vault emulator listening\n  vaultUrl: ${emulator.vaultUrl}\n  CA:       ${caPath}\n` +
    `  e.g.      NODE_EXTRA_CA_CERTS=${caPath} (and disableChallengeResourceVerification: true)\n`,
);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await emulator.stop();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
