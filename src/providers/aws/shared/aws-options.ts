import {
  anyObject,
  checkOptions,
  either,
  func,
  mergeSpecs,
  nested,
  num,
  type OptionRule,
  type OptionSpec,
  RETRY_SPEC,
  str,
  ValidationError,
} from '../../../provider-kit/index.js';

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
 * How a provider reaches AWS when it builds its own client.
 *
 * Clients the provider creates run with `maxAttempts: 1`: the rxsecrets core already retries transient failures
 * (throttling, 5xx, network, timeouts) with backoff, and SDK retries on top would multiply the attempts and hide
 * them from `retry` events and timeouts.
 */
export interface AwsConnectionOptions<ClientConfig> {
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
  /** Not with these options: see {@link AwsInjectedClient}. */
  readonly client?: undefined;
}

/** A ready SDK client to use instead of building one (it keeps its own retry settings). */
export interface AwsInjectedClient<Client> {
  /** The client; `region`, `endpoint`, `credentials`, `assumeRole` and `clientConfig` cannot be given with it. */
  readonly client: Client;
  readonly region?: undefined;
  readonly endpoint?: undefined;
  readonly credentials?: undefined;
  readonly assumeRole?: undefined;
  readonly clientConfig?: undefined;
}

/** Options shared by `parameterStore` and `secretsManager`: connection settings, or an injected client. */
export type AwsProviderOptions<ClientConfig, Client> = AwsConnectionOptions<ClientConfig> | AwsInjectedClient<Client>;

/** The run-time rules of the options every AWS provider shares (`client` excludes the connection settings). */
export const AWS_OPTION_RULES: Readonly<Record<string, OptionRule>> = {
  region: str({ nonEmpty: true }),
  endpoint: (value, name) => {
    str({ nonEmpty: true })(value, name);
    if (!URL.canParse(value as string)) throw new ValidationError(`option '${name}' must be a URL`);
  },
  credentials: either('static credentials or a function returning them', anyObject, func),
  assumeRole: nested({
    rules: {
      roleArn: str({ nonEmpty: true }),
      sessionName: str({ nonEmpty: true }),
      durationSeconds: num({ integer: true, min: 900, max: 43_200 }),
      externalId: str({ nonEmpty: true }),
      clientConfig: anyObject,
    },
  }),
  clientConfig: anyObject,
  client: anyObject,
  retry: nested(RETRY_SPEC, 'retry'),
};

const CONNECTION_KEYS = ['region', 'endpoint', 'credentials', 'assumeRole', 'clientConfig'] as const;

/**
 * Checks an AWS provider's options: the shared ones, the provider's own `rules`, and that an injected `client`
 * comes without connection settings. Throws a ValidationError naming the bad option.
 */
export function checkAwsOptions(where: string, options: unknown, spec: OptionSpec): void {
  checkOptions(where, options, mergeSpecs({ rules: AWS_OPTION_RULES }, spec));
  if (options === undefined || (options as { client?: unknown }).client === undefined) return;
  const clash = CONNECTION_KEYS.find((key) => (options as Record<string, unknown>)[key] !== undefined);
  if (clash !== undefined) {
    throw new ValidationError(`${where}: '${clash}' cannot be given with 'client' (the client has its own settings)`);
  }
}

/**
 * The backend identity of an AWS provider, for fleet coordination: region, endpoint and assumed role (instances
 * with the same identity share one leader). Undefined with an injected client, whose region is only known
 * asynchronously: such a provider is watched locally.
 */
export function awsIdentity(options: AwsProviderOptions<unknown, unknown>): string | undefined {
  if (options.client !== undefined) return undefined;
  const configured = (options.clientConfig as { region?: unknown; endpoint?: unknown } | undefined) ?? {};
  const region =
    options.region ??
    (typeof configured.region === 'string' ? configured.region : undefined) ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION ??
    '';
  const endpoint = options.endpoint ?? (typeof configured.endpoint === 'string' ? configured.endpoint : '');
  const role = options.assumeRole?.roleArn ?? '';
  return [region, endpoint, role].join(' ').trimEnd();
}
