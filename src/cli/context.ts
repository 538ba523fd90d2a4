/**
 * What every command gets: the global options, the client (created on first use, with providers created per
 * scheme), stdout as an {@link Output}, stderr for everything else, and the signal that SIGINT aborts.
 * @module
 */
import type { Command } from '@commander-js/extra-typings';
import {
  type AutoSettings,
  type AzureCredentialKind,
  createLazySecrets,
  type ResolvedConfig,
  resolveConfig,
} from '../auto/index.js';
import type { Secrets } from '../index.js';
import { UsageError } from './exit-codes.js';
import { Output } from './output.js';

/** The options every command accepts. */
export interface GlobalOptions {
  json?: boolean;
  ndjson?: boolean;
  config?: string;
  region?: string;
  endpointUrl?: string;
  vaultUrl?: string;
  azureCredential?: string;
  azureCaFile?: string;
  nonInteractive?: boolean;
}

/** The global options of the command an action runs for. */
export function globalsOf(command: unknown): GlobalOptions {
  return (command as Command).optsWithGlobals() as GlobalOptions;
}

function settingsOf(globals: GlobalOptions): AutoSettings {
  const credential = globals.azureCredential;
  if (credential !== undefined && credential !== 'default' && credential !== 'emulator') {
    throw new UsageError(`--azure-credential must be 'default' or 'emulator', not '${credential}'`);
  }
  return {
    configFile: globals.config,
    region: globals.region,
    endpoint: globals.endpointUrl,
    vaultUrl: globals.vaultUrl,
    azureCredential: credential as AzureCredentialKind | undefined,
    azureCaFile: globals.azureCaFile,
    nonInteractive: globals.nonInteractive,
  };
}

/** The state of one command run. */
export class CliContext {
  readonly out = new Output(process.stdout);
  readonly #abort = new AbortController();
  #config: ResolvedConfig | undefined;
  #secrets: Secrets | undefined;

  constructor(readonly globals: GlobalOptions) {}

  /** Aborted by SIGINT / SIGTERM: pass it to every operation. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Aborts the operations in flight. */
  abort(reason: unknown): void {
    this.#abort.abort(reason);
  }

  /** `--json`: one JSON document on stdout. */
  get json(): boolean {
    return this.globals.json === true;
  }

  /** `--ndjson`: one JSON document per line, as results stream. */
  get ndjson(): boolean {
    return this.globals.ndjson === true;
  }

  /** The resolved configuration. */
  get config(): ResolvedConfig {
    this.#config ??= resolveConfig(settingsOf(this.globals));
    return this.#config;
  }

  /** The client; a provider is created only for the schemes the command's refs name. */
  get secrets(): Secrets {
    this.#secrets ??= createLazySecrets(this.config, { cache: false });
    return this.#secrets;
  }

  /** Writes a line to stderr (progress, prompts, warnings: never a value). */
  note(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  /** Closes the client (and so every provider that was created). */
  async close(): Promise<void> {
    await this.#secrets?.close();
  }
}
