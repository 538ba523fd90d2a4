/**
 * Builds the provider of one configured scheme. Importing the provider modules loads no SDK: each provider loads
 * its SDK on its first call.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { SecretProvider } from '../core/provider.js';
import { staticTokenCredential } from '../emulators/key-vault/credential.js';
import { parameterStore, secretsManager } from '../providers/aws/index.js';
import { keyVault } from '../providers/azure/index.js';
import { memoryProvider } from '../providers/memory/index.js';
import { secretService } from '../providers/secret-service/index.js';
import type { SchemeConfig } from './config.js';
import { ConfigurationError } from './config-error.js';

type Options = Record<string, unknown>;

function keyVaultOptions(config: SchemeConfig): Options {
  const { credential, caFile, ...rest } = config.options as Options & { credential?: string; caFile?: string };
  if (typeof rest.vaultUrl !== 'string' || rest.vaultUrl === '') {
    throw new ConfigurationError(
      `the scheme '${config.scheme}:' needs a vault URL: --vault-url, RXSECRETS_AZURE_VAULT_URL or azure.vaultUrl in rxsecrets.config.json`,
    );
  }
  const clientOptions: Options = { ...((rest.clientOptions as Options | undefined) ?? {}) };
  if (caFile !== undefined) {
    try {
      clientOptions.tlsOptions = { ca: readFileSync(caFile, 'utf8') };
    } catch (error) {
      throw new ConfigurationError(`cannot read the CA file ${caFile}: ${(error as Error).message}`);
    }
  }
  const emulator = credential === 'emulator';
  if (emulator) clientOptions.disableChallengeResourceVerification = true;
  return {
    ...rest,
    ...(emulator ? { credential: staticTokenCredential() } : {}),
    ...(Object.keys(clientOptions).length > 0 ? { clientOptions } : {}),
  };
}

/** Creates the provider that serves `config.scheme`; a missing setting is a {@link ConfigurationError}. */
export function createProvider(config: SchemeConfig): SecretProvider {
  const options = { ...config.options, scheme: config.scheme };
  switch (config.provider) {
    case 'aws-ssm':
      return parameterStore(options as never);
    case 'aws-sm':
      return secretsManager(options as never);
    case 'azure-kv':
      return keyVault({ ...keyVaultOptions(config), scheme: config.scheme } as never);
    case 'secret-service':
      return secretService(options as never);
    case 'memory':
      return memoryProvider(options as never);
  }
}
