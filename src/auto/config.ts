/**
 * Where the command line and `rxsecrets/auto` take their configuration from, in order: explicit settings (command
 * line flags), then `RXSECRETS_*` environment variables, then a config file (`--config` / `RXSECRETS_CONFIG`, or
 * `rxsecrets.config.json` found upward from the working directory), then each SDK's own default chain (AWS_REGION,
 * AWS_PROFILE, AWS_ENDPOINT_URL…, which rxsecrets leaves to the AWS SDK).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigurationError } from './config-error.js';

/** The name of the config file looked up from the working directory upward. */
export const CONFIG_FILE_NAME = 'rxsecrets.config.json';

/** The kinds of provider a scheme can be served by. */
export const PROVIDER_KINDS = ['aws-ssm', 'aws-sm', 'azure-kv', 'secret-service', 'memory'] as const;
/** One of {@link PROVIDER_KINDS}. */
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** How Key Vault requests are authenticated: the Azure SDK's default chain, or the bundled emulator's token. */
export type AzureCredentialKind = 'default' | 'emulator';

/** Settings given explicitly (the command line's flags); they win over the environment and the file. */
export interface AutoSettings {
  /** A config file to use instead of looking one up. */
  readonly configFile?: string | undefined;
  /** The AWS region of the `aws-ssm:` and `aws-sm:` schemes. */
  readonly region?: string | undefined;
  /** The AWS endpoint (an emulator's URL, a VPC endpoint). */
  readonly endpoint?: string | undefined;
  /** The vault of the `azure-kv:` scheme. */
  readonly vaultUrl?: string | undefined;
  /** How Key Vault requests are authenticated. */
  readonly azureCredential?: AzureCredentialKind | undefined;
  /** A PEM file of extra CAs trusted for Key Vault (the emulator's). */
  readonly azureCaFile?: string | undefined;
  /** Fail instead of prompting (the Secret Service's unlock prompt). */
  readonly nonInteractive?: boolean | undefined;
}

/** One scheme and the provider that serves it. */
export interface SchemeConfig {
  readonly scheme: string;
  readonly provider: ProviderKind;
  /** Options of the provider's factory (`vaultUrl`, `region`, `secrets`…), as JSON values. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Where the scheme comes from: built in, or the config file. */
  readonly origin: 'built-in' | 'config-file';
}

/** The resolved configuration: every known scheme, and what it was resolved from (for `doctor`). */
export interface ResolvedConfig {
  readonly schemes: ReadonlyMap<string, SchemeConfig>;
  /** The config file read, if any. */
  readonly configFile: string | undefined;
  /** For each setting, where its value came from (`flag`, `RXSECRETS_…`, the file). Never a credential. */
  readonly sources: Readonly<Record<string, string>>;
}

interface ConfigFile {
  aws?: { region?: string; endpoint?: string };
  azure?: { vaultUrl?: string; credential?: AzureCredentialKind; caFile?: string };
  secretService?: { nonInteractive?: boolean; bus?: string };
  schemes?: Record<string, { provider?: string } & Record<string, unknown>>;
}

/** Finds `rxsecrets.config.json` in `from` or the nearest directory above it. */
export function findConfigFile(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read the config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`the config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError(`the config file ${path} must hold a JSON object`);
  }
  return parsed as ConfigFile;
}

function envFlag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

function azureCredential(value: string | undefined, where: string): AzureCredentialKind | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'default' || value === 'emulator') return value;
  throw new ConfigurationError(`${where} must be 'default' or 'emulator', not '${value}'`);
}

/**
 * Resolves the configuration from explicit settings, the environment and the config file. Reads the file, never
 * a credential; creates no provider.
 */
export function resolveConfig(
  settings: AutoSettings = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): ResolvedConfig {
  const sources: Record<string, string> = {};
  const explicitFile = settings.configFile ?? (env.RXSECRETS_CONFIG || undefined);
  if (explicitFile !== undefined && !existsSync(explicitFile)) {
    throw new ConfigurationError(`the config file ${explicitFile} does not exist`);
  }
  const configFile = explicitFile ?? findConfigFile(cwd);
  const file = configFile === undefined ? {} : readConfigFile(configFile);

  const pick = <T>(
    name: string,
    flag: T | undefined,
    envName: string,
    envValue: T | undefined,
    fileValue: T | undefined,
  ) => {
    if (flag !== undefined) {
      sources[name] = 'flag';
      return flag;
    }
    if (envValue !== undefined) {
      sources[name] = envName;
      return envValue;
    }
    if (fileValue !== undefined) sources[name] = configFile ?? 'config file';
    return fileValue;
  };

  const region = pick(
    'region',
    settings.region,
    'RXSECRETS_AWS_REGION',
    env.RXSECRETS_AWS_REGION || undefined,
    file.aws?.region,
  );
  const endpoint = pick(
    'endpoint',
    settings.endpoint,
    'RXSECRETS_AWS_ENDPOINT_URL',
    env.RXSECRETS_AWS_ENDPOINT_URL || undefined,
    file.aws?.endpoint,
  );
  const vaultUrl = pick(
    'vaultUrl',
    settings.vaultUrl,
    'RXSECRETS_AZURE_VAULT_URL',
    env.RXSECRETS_AZURE_VAULT_URL || undefined,
    file.azure?.vaultUrl,
  );
  const credential = pick(
    'azureCredential',
    settings.azureCredential,
    'RXSECRETS_AZURE_CREDENTIAL',
    azureCredential(env.RXSECRETS_AZURE_CREDENTIAL, 'RXSECRETS_AZURE_CREDENTIAL'),
    azureCredential(file.azure?.credential, `azure.credential in ${configFile}`),
  );
  const caFile = pick(
    'azureCaFile',
    settings.azureCaFile,
    'RXSECRETS_AZURE_CA_FILE',
    env.RXSECRETS_AZURE_CA_FILE || undefined,
    file.azure?.caFile,
  );
  const nonInteractive = pick(
    'nonInteractive',
    settings.nonInteractive,
    'RXSECRETS_NON_INTERACTIVE',
    envFlag(env.RXSECRETS_NON_INTERACTIVE),
    file.secretService?.nonInteractive,
  );

  const aws = { ...(region === undefined ? {} : { region }), ...(endpoint === undefined ? {} : { endpoint }) };
  const azure = {
    ...(vaultUrl === undefined ? {} : { vaultUrl }),
    ...(credential === undefined ? {} : { credential }),
    ...(caFile === undefined ? {} : { caFile }),
  };
  const secretService = {
    ...(nonInteractive === undefined ? {} : { nonInteractive }),
    ...(file.secretService?.bus === undefined ? {} : { bus: file.secretService.bus }),
  };
  const schemes = new Map<string, SchemeConfig>();
  const builtIn = (scheme: ProviderKind, options: Record<string, unknown>) =>
    schemes.set(scheme, { scheme, provider: scheme, options, origin: 'built-in' });
  builtIn('aws-ssm', aws);
  builtIn('aws-sm', aws);
  builtIn('azure-kv', azure);
  builtIn('secret-service', secretService);

  for (const [scheme, entry] of Object.entries(file.schemes ?? {})) {
    const { provider, ...options } = entry ?? {};
    if (!PROVIDER_KINDS.includes(provider as ProviderKind)) {
      throw new ConfigurationError(
        `scheme '${scheme}' in ${configFile}: 'provider' must be one of ${PROVIDER_KINDS.join(', ')}`,
      );
    }
    schemes.set(scheme, { scheme, provider: provider as ProviderKind, options, origin: 'config-file' });
  }
  return { schemes, configFile, sources };
}
