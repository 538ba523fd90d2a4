import type { SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
import type { Duration } from '../../../core/durations.js';
import type { AwsProviderOptions } from '../shared/aws-options.js';

/** Options of `parameterStore`. */
export interface ParameterStoreOptions extends AwsProviderOptions<SSMClientConfig, SSMClient> {
  /** The ref scheme. Default `'aws-ssm'`. */
  readonly scheme?: string;
  /** Decrypt SecureString values on reads. Default true. */
  readonly withDecryption?: boolean;
  /** The type of parameters `set` creates (an update keeps the existing type). Default `'SecureString'`. */
  readonly defaultType?: 'String' | 'StringList' | 'SecureString';
  /** GetParameters calls run at once (chunks of a getMany, of a watch). Default 4 (AWS allows ~40 TPS). */
  readonly maxConcurrency?: number;
  /** Poll interval of watches that name none. Default: the client's (`'30s'`). */
  readonly pollInterval?: Duration;
}

/** Parameter Store options of `set`, beside the core's `tags` and `ifNotExists`. */
export interface ParameterSetOptions {
  /** The type of a new parameter (an update keeps the existing one unless this is given). */
  readonly type?: 'String' | 'StringList' | 'SecureString';
  /** The KMS key of a new SecureString (an update keeps the existing key unless this is given). */
  readonly keyId?: string;
  /** `'Standard'`, `'Advanced'` or `'Intelligent-Tiering'`. */
  readonly tier?: string;
  /** A description of the parameter. */
  readonly description?: string;
  /** `'text'` (default), `'aws:ec2:image'` or `'aws:ssm:integration'`. */
  readonly dataType?: string;
  /** A regular expression the value must match. */
  readonly allowedPattern?: string;
}
