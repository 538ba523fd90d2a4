import type * as Sm from '@aws-sdk/client-secrets-manager';
import { ClientHandle } from '../shared/client-handle.js';
import type { SecretsManagerOptions } from './secrets-manager-options.js';

/** The loaded `@aws-sdk/client-secrets-manager` module. */
export type SmModule = typeof Sm;

/** The Secrets Manager client handle of one provider. */
export type SmHandle = ClientHandle<SmModule, Sm.SecretsManagerClient, Sm.SecretsManagerClientConfig>;

/** Creates the (lazy) Secrets Manager client handle: nothing is imported before the first call. */
export function smHandle(scheme: string, options: SecretsManagerOptions): SmHandle {
  return new ClientHandle<SmModule, Sm.SecretsManagerClient, Sm.SecretsManagerClientConfig>({
    scheme,
    packageName: '@aws-sdk/client-secrets-manager',
    options,
    create: (sdk, config) => new sdk.SecretsManagerClient(config as Sm.SecretsManagerClientConfig),
  });
}
