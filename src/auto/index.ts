/**
 * A zero-config client: `secrets` is the same streaming client as `createSecrets` returns, built on first use from
 * the configuration the `rxsecrets` command line uses (`RXSECRETS_*` variables, `rxsecrets.config.json` found
 * upward from the working directory, then each SDK's default chain). A provider is created for a scheme the first
 * time a ref names it, so importing this module loads no SDK.
 *
 * ```ts
 * import { secrets } from 'rxsecrets/auto';
 * const password = await firstValueFrom(secrets.get('aws-sm:prod/db#password'));
 * ```
 * @module
 */
import type { Secrets } from '../core/secrets-api.js';
import { type AutoSettings, resolveConfig } from './config.js';
import { createLazySecrets, type LazyClientOptions } from './lazy-secrets.js';

export {
  type AutoSettings,
  type AzureCredentialKind,
  CONFIG_FILE_NAME,
  findConfigFile,
  PROVIDER_KINDS,
  type ProviderKind,
  type ResolvedConfig,
  resolveConfig,
  type SchemeConfig,
} from './config.js';
export { ConfigurationError, isConfigurationError } from './config-error.js';
export { createLazySecrets, type LazyClientOptions } from './lazy-secrets.js';

/**
 * Creates a client from the configuration (explicit `settings` first, then the environment and the config file);
 * providers are created per scheme on first use. The caller closes it.
 */
export function createAutoSecrets(settings: AutoSettings = {}, options: LazyClientOptions = {}): Secrets {
  return createLazySecrets(resolveConfig(settings), options);
}

let shared: Secrets | undefined;
function instance(): Secrets {
  shared ??= createAutoSecrets();
  return shared;
}

/**
 * The process-wide zero-config client, built from the environment and config file on first use. `close()` closes
 * it; the next use builds a new one.
 */
export const secrets: Secrets = new Proxy({} as Secrets, {
  get(_target, property) {
    if (property === 'close') {
      return async () => {
        const current = shared;
        shared = undefined;
        await current?.close();
      };
    }
    if (property === Symbol.asyncDispose) return () => secrets.close();
    const value = Reflect.get(instance(), property) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(instance()) : value;
  },
});
