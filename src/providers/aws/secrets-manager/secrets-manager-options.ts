import type { SecretsManagerClient, SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import type { Duration } from '../../../core/durations.js';
import type { AwsProviderOptions } from '../shared/aws-options.js';

/**
 * How a watch finds out that AWSCURRENT moved, for N watched secrets per poll interval:
 * - `'list'` (default): ListSecrets with name filters (10 names or name prefixes a call, 100 secrets a page),
 *   metadata only. Secrets sharing a prefix cost 1 call per 100; unrelated names at most ⌈N/10⌉ calls. AWS says
 *   ListSecrets may lag changes by minutes, so a rotation can be seen that much later. Needs `ListSecrets`.
 * - `'batch-get'`: BatchGetSecretValue, ⌈N/20⌉ calls, strongly consistent, but decrypts and transfers every value
 *   each interval (a KMS decrypt and a CloudTrail entry per secret).
 * - `'describe'`: DescribeSecret per secret: N calls, the least permissions.
 *
 * Refs given as ARNs, or pinned to a stage or VersionId in `'batch-get'` mode, are described one by one.
 */
export type SecretsManagerProbe = 'list' | 'batch-get' | 'describe';

/** Options of `secretsManager`. */
export interface SecretsManagerOptions extends AwsProviderOptions<SecretsManagerClientConfig, SecretsManagerClient> {
  /** The ref scheme. Default `'aws-sm'`. */
  readonly scheme?: string;
  /** How watches detect new versions. Default `'list'`. */
  readonly probe?: SecretsManagerProbe;
  /** Calls run at once (chunks of a getMany, of a watch). Default 4. */
  readonly maxConcurrency?: number;
  /** Poll interval of watches that name none. Default: the client's (`'30s'`). */
  readonly pollInterval?: Duration;
}

/** Secrets Manager options of `set`, beside the core's `tags`, `ifNotExists` and `clientToken`. */
export interface SecretSetOptions {
  /** The description of a new secret. */
  readonly description?: string;
  /** The KMS key of a new secret. */
  readonly kmsKeyId?: string;
}
