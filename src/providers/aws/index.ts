/**
 * AWS providers: Systems Manager Parameter Store (`aws-ssm:`) and Secrets Manager (`aws-sm:`). Their SDKs
 * (`@aws-sdk/client-ssm`, `@aws-sdk/client-secrets-manager`, and `@aws-sdk/credential-providers` for
 * `assumeRole`) are optional peer dependencies, imported on a provider's first call.
 *
 * @module
 */

export { type SecretsManagerProvider, secretsManager } from './secrets-manager/secrets-manager.js';
export type {
  SecretListOptions,
  SecretSetOptions,
  SecretsManagerOptions,
  SecretsManagerProbe,
  SecretsManagerSettings,
} from './secrets-manager/secrets-manager-options.js';
export type { SecretVersionsOptions } from './secrets-manager/sm-listing.js';
export type {
  AssumeRoleOptions,
  AwsConnectionOptions,
  AwsCredentialIdentity,
  AwsCredentials,
  AwsInjectedClient,
  AwsProviderOptions,
} from './shared/aws-options.js';
export { type ParameterStoreProvider, parameterStore } from './ssm/parameter-store.js';
export type {
  ParameterSetOptions,
  ParameterStoreOptions,
  ParameterStoreSettings,
} from './ssm/parameter-store-options.js';
export type { ParameterVersionsOptions } from './ssm/ssm-versions.js';
