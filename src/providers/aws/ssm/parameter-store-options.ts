import type { SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
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

/** Parameter Store settings beside the connection (see {@link ParameterStoreOptions}). */
export interface ParameterStoreSettings {
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
  /** Narrows the client's retry policy for this provider's calls. */
  readonly retry?: RetryOptions;
}

/** Options of `parameterStore`: its settings, and either connection settings or an injected `client`. */
export type ParameterStoreOptions = ParameterStoreSettings & AwsProviderOptions<SSMClientConfig, SSMClient>;

/** Parameter Store options of `set`, beside the core's `tags` and `ifNotExists`. */
export interface ParameterSetOptions {
  /** The type of a new parameter (an update keeps the existing one unless this is given). */
  readonly type?: 'String' | 'StringList' | 'SecureString';
  /** The KMS key of a new SecureString (an update keeps the existing key unless this is given). */
  readonly keyId?: string;
  /** `'Standard'`, `'Advanced'` or `'Intelligent-Tiering'`. */
  readonly tier?: 'Standard' | 'Advanced' | 'Intelligent-Tiering';
  /** A description of the parameter. */
  readonly description?: string;
  /** `'text'` (default), `'aws:ec2:image'` or `'aws:ssm:integration'`. */
  readonly dataType?: string;
  /** A regular expression the value must match. */
  readonly allowedPattern?: string;
}

declare module '../../../provider-kit/index.js' {
  // Parameter Store's own `set` options (checked at run time only on `aws-ssm` refs).
  interface ProviderSetOptions extends ParameterSetOptions {}
}

const PARAMETER_TYPE = oneOf(['String', 'StringList', 'SecureString']);

/** The run-time rules of Parameter Store's own operation options. */
export const PARAMETER_STORE_OPTION_RULES: ProviderOptionRules = {
  set: {
    rules: {
      type: PARAMETER_TYPE,
      keyId: str({ nonEmpty: true }),
      tier: oneOf(['Standard', 'Advanced', 'Intelligent-Tiering']),
      description: str(),
      dataType: str({ nonEmpty: true }),
      allowedPattern: str({ nonEmpty: true }),
    },
    aliases: { Type: 'type', KeyId: 'keyId', kmsKeyId: 'keyId', Tier: 'tier' },
  },
};

/** Checks `parameterStore` options; throws a ValidationError naming the bad one. */
export function checkParameterStoreOptions(options: unknown): void {
  checkAwsOptions('parameterStore', options, {
    rules: {
      scheme: str({ nonEmpty: true }),
      withDecryption: bool,
      defaultType: PARAMETER_TYPE,
      maxConcurrency: num({ integer: true, min: 1, max: 64 }),
      pollInterval: duration,
    },
    aliases: { interval: 'pollInterval', watchInterval: 'pollInterval', concurrency: 'maxConcurrency' },
  });
}
