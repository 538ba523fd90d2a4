/** Static AWS credentials (structurally the SDK's `AwsCredentialIdentity`). */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Credentials as the AWS SDK takes them: static, or a provider function (`fromIni()`, `fromEnv()`…). */
export type AwsCredentials = AwsCredentialIdentity | (() => Promise<AwsCredentialIdentity>);

/** Assume an IAM role through STS before calling the service. */
export interface AssumeRoleOptions {
  /** The ARN of the role. */
  readonly roleArn: string;
  /** The role session name (shows in CloudTrail). Default: the SDK's `aws-sdk-js-<time>`. */
  readonly sessionName?: string;
  /** Session length in seconds (900–43200; default: the role's setting, usually 3600). */
  readonly durationSeconds?: number;
  /** The external id the role's trust policy may require. */
  readonly externalId?: string;
  /** Extra settings of the STS client (`endpoint`, `region`…). Its credentials are the provider's `credentials`. */
  readonly clientConfig?: Readonly<Record<string, unknown>>;
}

/**
 * Options shared by `parameterStore` and `secretsManager`.
 *
 * Clients the provider creates run with `maxAttempts: 1`: the rxsecrets core already retries transient failures
 * (throttling, 5xx, network, timeouts) with backoff, and SDK retries on top would multiply the attempts and hide
 * them from `retry` events and timeouts. An injected `client` keeps its own retry settings.
 */
export interface AwsProviderOptions<ClientConfig, Client> {
  /** The AWS region; default: the SDK's resolution (`AWS_REGION`, profile). */
  readonly region?: string;
  /** A custom endpoint, e.g. the local emulator's `http://127.0.0.1:PORT`. */
  readonly endpoint?: string;
  /** Credentials; default: the SDK's default chain. With `assumeRole`, the source credentials for STS. */
  readonly credentials?: AwsCredentials;
  /** Assume this role (STS temporary credentials, refreshed on `ExpiredTokenException`). */
  readonly assumeRole?: AssumeRoleOptions;
  /** More client settings, merged last (they may override `maxAttempts`, the request handler…). */
  readonly clientConfig?: Partial<ClientConfig>;
  /** A ready SDK client to use instead of creating one; `region`, `endpoint`, credentials options are then ignored. */
  readonly client?: Client;
}
