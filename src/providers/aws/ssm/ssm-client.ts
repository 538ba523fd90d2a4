import type * as Ssm from '@aws-sdk/client-ssm';
import { ClientHandle } from '../shared/client-handle.js';
import type { ParameterStoreOptions } from './parameter-store-options.js';

/** The loaded `@aws-sdk/client-ssm` module. */
export type SsmModule = typeof Ssm;

/** The SSM client handle of one provider. */
export type SsmHandle = ClientHandle<SsmModule, Ssm.SSMClient, Ssm.SSMClientConfig>;

/** Creates the (lazy) SSM client handle: nothing is imported before the first call. */
export function ssmHandle(scheme: string, options: ParameterStoreOptions): SsmHandle {
  return new ClientHandle<SsmModule, Ssm.SSMClient, Ssm.SSMClientConfig>({
    scheme,
    packageName: '@aws-sdk/client-ssm',
    options,
    create: (sdk, config) => new sdk.SSMClient(config as Ssm.SSMClientConfig),
  });
}
