import {
  bool,
  CALL_SPEC,
  type CallContext,
  checkOptions,
  type DeleteOptions,
  type ListOptions,
  mergeSpecs,
  num,
  type Page,
  type ProbeResult,
  ProviderBinding,
  type ProviderCapabilities,
  type ProviderHost,
  type RetryOptions,
  refForProvider,
  type Secret,
  type SecretInfo,
  type SecretListing,
  type SecretProvider,
  type SecretRef,
  type SetOptions,
} from '../../../provider-kit/index.js';
import { awsIdentity } from '../shared/aws-options.js';
import { nextPageToken } from '../shared/next-token.js';
import {
  checkParameterStoreOptions,
  PARAMETER_STORE_OPTION_RULES,
  type ParameterSetOptions,
  type ParameterStoreOptions,
} from './parameter-store-options.js';
import { type SsmHandle, ssmHandle } from './ssm-client.js';
import { parameterExists } from './ssm-exists.js';
import { getParameter, getParameters } from './ssm-read.js';
import { assertWritableName, ssmListPath, validateSsmRef } from './ssm-ref.js';
import { parameterInfo, parameterSecret } from './ssm-values.js';
import { type ParameterVersionsOptions, parameterVersions } from './ssm-versions.js';
import { deleteParameter, putParameter } from './ssm-write.js';

/** GetParameters takes at most 10 names; GetParametersByPath returns at most 10 per page. */
const SSM_BATCH = 10;

/** The Parameter Store provider, with its backend-specific methods. */
export interface ParameterStoreProvider extends SecretProvider {
  /** Every version of a parameter, oldest first, lazily (GetParameterHistory pages). */
  versions(
    ref: string | SecretRef,
    options?: ParameterVersionsOptions & { readonly withValues?: false },
  ): SecretListing<SecretInfo>;
  /** Every version of a parameter with its value. */
  versions(
    ref: string | SecretRef,
    options: ParameterVersionsOptions & { readonly withValues: true },
  ): SecretListing<Secret>;
}

class ParameterStore implements ParameterStoreProvider {
  readonly scheme: string;
  readonly capabilities: ProviderCapabilities;
  readonly retry: RetryOptions | undefined;
  readonly optionRules = PARAMETER_STORE_OPTION_RULES;
  readonly identity: string | undefined;
  readonly #binding: ProviderBinding;
  readonly #handle: SsmHandle;
  readonly #withDecryption: boolean;
  readonly #defaultType: string;

  constructor(options: ParameterStoreOptions) {
    checkParameterStoreOptions(options);
    this.scheme = options.scheme ?? 'aws-ssm';
    this.retry = options.retry;
    this.identity = awsIdentity(options);
    this.capabilities = {
      maxBatchGet: SSM_BATCH,
      maxBatchProbe: SSM_BATCH,
      maxConcurrency: options.maxConcurrency ?? 4,
      changeDetection: 'poll',
      ...(options.pollInterval === undefined ? {} : { defaultPollInterval: options.pollInterval }),
    };
    this.#handle = ssmHandle(this.scheme, options);
    this.#withDecryption = options.withDecryption ?? true;
    this.#defaultType = options.defaultType ?? 'SecureString';
    this.#binding = new ProviderBinding(this);
  }

  attach(host: ProviderHost): void {
    this.#binding.attach(host);
  }

  validateRef(ref: SecretRef): void {
    validateSsmRef(ref);
  }

  async get(ref: SecretRef, ctx: CallContext): Promise<Secret> {
    return parameterSecret(
      this.scheme,
      await getParameter(this.#handle, this.scheme, ref, this.#withDecryption, ctx),
      ref,
    );
  }

  async getMany(refs: readonly SecretRef[], ctx: CallContext): Promise<ReadonlyArray<Secret | Error>> {
    const results = await getParameters(this.#handle, this.scheme, refs, this.#withDecryption, 'getMany', ctx);
    return results.map((result, index) =>
      result instanceof Error ? result : parameterSecret(this.scheme, result, refs[index]),
    );
  }

  /**
   * One GetParametersByPath page under the prefix path (`recursive` descends into sub-paths). Without
   * `withValues` values are neither decrypted nor kept (metadata only); with it the page's decrypted values come
   * in the same call. Pages may be empty while a cursor follows.
   */
  async listPage(
    prefix: SecretRef,
    options: ListOptions,
    cursor: string | undefined,
    ctx: CallContext,
  ): Promise<Page<SecretInfo>> {
    const path = ssmListPath(prefix);
    const out = await this.#handle.run(
      ctx,
      { scheme: this.scheme, operation: 'list', ref: prefix.text },
      (client, sdk, send) =>
        client.send(
          new sdk.GetParametersByPathCommand({
            Path: path,
            Recursive: options.recursive === true,
            WithDecryption: options.withValues === true,
            MaxResults: Math.max(1, Math.min(options.pageSize ?? SSM_BATCH, SSM_BATCH)),
            ...(cursor === undefined ? {} : { NextToken: cursor }),
          }),
          send,
        ),
    );
    // With `withValues` the page already carries the (decrypted) values: no second read per page.
    const items = (out.Parameters ?? []).map(({ Value, ...parameter }) =>
      options.withValues === true
        ? parameterSecret(this.scheme, { ...parameter, Value })
        : parameterInfo(this.scheme, parameter),
    );
    return { items, next: nextPageToken(out.NextToken) };
  }

  async set(
    ref: SecretRef,
    value: string | Uint8Array,
    options: SetOptions & ParameterSetOptions,
    ctx: CallContext,
  ): Promise<SecretInfo> {
    assertWritableName(ref);
    return putParameter(this.#handle, this.#binding, this.scheme, ref, value, options, this.#defaultType, ctx);
  }

  /** Deletes at once (Parameter Store keeps no deleted parameters: `force` and `recoveryWindow` do not apply). */
  async delete(ref: SecretRef, _options: DeleteOptions, ctx: CallContext): Promise<void> {
    await deleteParameter(this.#handle, this.scheme, ref, ctx);
  }

  async exists(ref: SecretRef, ctx: CallContext): Promise<boolean> {
    return parameterExists(this.#handle, this.scheme, ref, ctx);
  }

  /** The version of up to 10 refs in one GetParameters call, without decrypting anything. */
  async probe(refs: readonly SecretRef[], ctx: CallContext): Promise<readonly ProbeResult[]> {
    const results = await getParameters(this.#handle, this.scheme, refs, false, 'probe', ctx);
    return results.map((result) =>
      result instanceof Error ? { error: result } : { version: String(result.Version ?? '') },
    );
  }

  versions(
    ref: string | SecretRef,
    options?: ParameterVersionsOptions & { readonly withValues?: false },
  ): SecretListing<SecretInfo>;
  versions(
    ref: string | SecretRef,
    options: ParameterVersionsOptions & { readonly withValues: true },
  ): SecretListing<Secret>;
  versions(
    input: string | SecretRef,
    options: ParameterVersionsOptions = {},
  ): SecretListing<SecretInfo> | SecretListing<Secret> {
    checkOptions('versions', options, VERSIONS_SPEC);
    const ref = refForProvider(this, input, 'versions');
    return parameterVersions(this.#handle, this.#binding, this.scheme, ref, options);
  }

  async close(): Promise<void> {
    this.#binding.close();
    await this.#handle.close();
  }
}

const VERSIONS_SPEC = mergeSpecs(CALL_SPEC, {
  rules: { withValues: bool, pageSize: num({ integer: true, min: 1, max: 50 }) },
});

/**
 * AWS Systems Manager Parameter Store, scheme `aws-ssm:`. Refs are parameter names with an optional version
 * (`aws-ssm:/prod/db/password@3`) or label (`@live`) and key path. SecureStrings are decrypted; a StringList reads
 * as a JSON array of strings. `@aws-sdk/client-ssm` is imported on the first call, not before.
 *
 * Backend calls: get → GetParameter; getMany and watch probes → GetParameters (10 names a call); list →
 * GetParametersByPath; set → DescribeParameters + PutParameter (keeping type and KMS key); delete →
 * DeleteParameter. A watch of N parameters costs ⌈N/10⌉ GetParameters calls per interval, plus one read per change.
 *
 * @example
 * const secrets = createSecrets({ providers: [parameterStore({ region: 'eu-west-1' })] });
 * const password = await firstValueFrom(secrets.get('aws-ssm:/prod/db/password'));
 */
export function parameterStore(options: ParameterStoreOptions = {}): ParameterStoreProvider {
  return new ParameterStore(options);
}
