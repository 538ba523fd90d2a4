import type { SecretsManagerClient, SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import {
  bool,
  type Duration,
  duration,
  num,
  oneOf,
  type ProviderOptionRules,
  type RetryOptions,
  str,
} from '../../../provider-kit/index.js';
import { type AwsProviderOptions, checkAwsOptions } from '../shared/aws-options.js';

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

/** Secrets Manager settings beside the connection (see {@link SecretsManagerOptions}). */
export interface SecretsManagerSettings {
  /** The ref scheme. Default `'aws-sm'`. */
  readonly scheme?: string;
  /** How watches detect new versions. Default `'list'`. */
  readonly probe?: SecretsManagerProbe;
  /** Calls run at once (chunks of a getMany, of a watch). Default 4. */
  readonly maxConcurrency?: number;
  /** Poll interval of watches that name none. Default: the client's (`'30s'`). */
  readonly pollInterval?: Duration;
  /** Narrows the client's retry policy for this provider's calls. */
  readonly retry?: RetryOptions;
}

/** Options of `secretsManager`: its settings, and either connection settings or an injected `client`. */
export type SecretsManagerOptions = SecretsManagerSettings &
  AwsProviderOptions<SecretsManagerClientConfig, SecretsManagerClient>;

/** Secrets Manager options of `set`, beside the core's `tags`, `ifNotExists` and `clientToken`. */
export interface SecretSetOptions {
  /** The description of a new secret. */
  readonly description?: string;
  /** The KMS key of a new secret. */
  readonly kmsKeyId?: string;
}

/** Secrets Manager options of a listing. */
export interface SecretListOptions {
  /** List secrets scheduled for deletion too. Default false. */
  readonly includePlannedDeletion?: boolean;
}

declare module '../../../provider-kit/index.js' {
  // Secrets Manager's own `set` options (checked at run time only on `aws-sm` refs).
  interface ProviderSetOptions extends SecretSetOptions {}
  // Secrets Manager's own listing options.
  interface ProviderListOptions extends SecretListOptions {}
}

/** The run-time rules of Secrets Manager's own operation options. */
export const SECRETS_MANAGER_OPTION_RULES: ProviderOptionRules = {
  set: { rules: { description: str(), kmsKeyId: str({ nonEmpty: true }) }, aliases: { keyId: 'kmsKeyId' } },
  list: { rules: { includePlannedDeletion: bool }, aliases: { includeDeleted: 'includePlannedDeletion' } },
};

/** Checks `secretsManager` options; throws a ValidationError naming the bad one. */
export function checkSecretsManagerOptions(options: unknown): void {
  checkAwsOptions('secretsManager', options, {
    rules: {
      scheme: str({ nonEmpty: true }),
      probe: oneOf(['list', 'batch-get', 'describe']),
      maxConcurrency: num({ integer: true, min: 1, max: 64 }),
      pollInterval: duration,
    },
    aliases: { interval: 'pollInterval', watchInterval: 'pollInterval', concurrency: 'maxConcurrency' },
  });
}
