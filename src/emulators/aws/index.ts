/**
 * A local emulator of AWS Systems Manager Parameter Store and AWS Secrets Manager, speaking the AWS JSON 1.1 wire
 * protocol so the real AWS SDK v3 clients run against it unchanged — for your own tests and demos.
 *
 * @module
 */
export {
  type AwsEmulator,
  type AwsEmulatorClientConfig,
  type AwsEmulatorOptions,
  type AwsEmulatorStore,
  startAwsEmulator,
} from './emulator.js';
export { AwsServiceError } from './errors.js';
export type { AwsFault, AwsFaultKind, AwsFaultRule, AwsFaults, FaultDecision } from './faults.js';
export type { Tag } from './input.js';
export { type RandomSource, seededRandom } from './random.js';
export type { CreateSecretInput, PutSecretValueInput, SecretStore, StoredSecret } from './secrets/secret-store.js';
export type { SecretVersion, SecretVersions } from './secrets/secret-versions.js';
export type { SecretValue } from './secrets/validation.js';
export type { AwsEmulatorEvents } from './server.js';
export type { AwsCallInfo, AwsServiceName } from './services.js';
export type { ParameterStore, ParameterVersion, PutParameterInput, StoredParameter } from './ssm/parameter-store.js';
export { PARAMETER_TYPES, type ParameterSelector, type ParameterTier, type ParameterType } from './ssm/validation.js';
export type { AwsEmulatorStats } from './stats.js';
