/**
 * What `rxs emulator` does (its options and help: commands/emulator.ts), loaded only when the command runs.
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../context.js';
import { shellQuote } from '../values.js';

/** The options of `rxs emulator`, as commander parsed them. */
export interface EmulatorOptions {
  port?: number;
}

async function started(
  kind: 'aws' | 'key-vault',
  port: number,
): Promise<{ env: Record<string, string>; stop: () => Promise<void> }> {
  const emulators = await import('../../emulators/index.js');
  if (kind === 'aws') {
    const aws = await emulators.startAwsEmulator({ port });
    const { credentials } = aws.clientConfig();
    return {
      env: {
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_REGION: aws.region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      stop: () => aws.stop(),
    };
  }
  const kv = await emulators.startKeyVaultEmulator({ port });
  // only the CA certificate (public) is written; its key stays in memory
  const dir = await mkdtemp(join(tmpdir(), 'rxsecrets-key-vault-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, kv.ca);
  return {
    env: {
      RXSECRETS_AZURE_VAULT_URL: kv.vaultUrl,
      RXSECRETS_AZURE_CREDENTIAL: 'emulator',
      RXSECRETS_AZURE_CA_FILE: caFile,
    },
    stop: async () => {
      await kv.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `rxs emulator`; resolves to its exit code. */
export async function emulator(
  context: CliContext,
  kind: 'aws' | 'key-vault',
  options: EmulatorOptions,
): Promise<number> {
  const { env, stop } = await started(kind, options.port ?? 0);
  if (context.json) await context.out.json(env);
  else
    await context.out.write(
      Object.entries(env)
        .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
        .join(''),
    );
  context.note(`rxsecrets: ${kind} emulator running; stop it with Ctrl-C`);
  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await stop();
  return 0;
}
