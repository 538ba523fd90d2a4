/**
 * Local emulators of the cloud secret stores, for your own tests and demos: they speak the real wire protocols,
 * so the official AWS and Azure SDK clients run against them unchanged.
 *
 * - {@link startAwsEmulator}: AWS Systems Manager Parameter Store and AWS Secrets Manager (AWS JSON 1.1 over http).
 * - {@link startKeyVaultEmulator}: Azure Key Vault secrets (https with a generated CA, the challenge auth flow).
 * @module
 */
export * from './aws/index.js';
export * from './key-vault/index.js';
