/**
 * `rxs emulator aws|key-vault`: starts a bundled emulator in this process and prints the environment that points
 * the CLI (and the SDKs) at it, as `export` lines (or one JSON document with `--json`); runs until SIGINT/SIGTERM.
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argument, Command } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { CliContext } from '../context.js';
import { shellQuote } from '../values.js';
import { positiveInteger } from './ls.js';

interface EmulatorOptions {
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

async function emulator(context: CliContext, kind: 'aws' | 'key-vault', options: EmulatorOptions): Promise<number> {
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

/** The `emulator` command. */
export function emulatorCommand() {
  return new Command('emulator')
    .description('start a bundled emulator (AWS or Key Vault) and print the environment that points rxsecrets at it')
    .addArgument(new Argument('<kind>', 'which emulator').choices(['aws', 'key-vault'] as const))
    .option('--port <port>', 'listen on this port (default: a free one)', positiveInteger)
    .action(action((context, kind: 'aws' | 'key-vault', options: EmulatorOptions) => emulator(context, kind, options)));
}
