import { defer, map, type Observable } from 'rxjs';
import {
  bool,
  CALL_SPEC,
  type CallContext,
  checkOptions,
  type DeleteOptions,
  isSecretNotFoundError,
  type ListOptions,
  mergeSpecs,
  num,
  type OperationOptions,
  type OperationState,
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
import {
  checkSecretsManagerOptions,
  SECRETS_MANAGER_OPTION_RULES,
  type SecretSetOptions,
  type SecretsManagerOptions,
  type SecretsManagerProbe,
} from './secrets-manager-options.js';
import { type SmHandle, smHandle } from './sm-client.js';
import { listSecretsPage, listSecretVersions, type SecretVersionsOptions } from './sm-listing.js';
import { ListProbePlanner, probeByBatchGet, probeByDescribe, probeByList } from './sm-probe.js';
import { getSecretValue, getSecretValues } from './sm-read.js';
import { validateSmRef, versionSelector } from './sm-ref.js';
import { deleteSecret, putSecret, restoreSecret } from './sm-write.js';

/** BatchGetSecretValue takes at most 20 ids. */
const SM_BATCH = 20;

/** The Secrets Manager provider, with its backend-specific methods. */
export interface SecretsManagerProvider extends SecretProvider {
  /** The versions of a secret with their staging labels, lazily (ListSecretVersionIds pages). */
  versions(ref: string | SecretRef, options?: SecretVersionsOptions): SecretListing<SecretInfo>;
  /**
   * Undoes a delete: cancels a scheduled deletion (RestoreSecret). Emits one state, `'recovered'` with `done: true`.
   * A secret that is not scheduled for deletion is left as it is.
   */
  recover(ref: string | SecretRef, options?: OperationOptions): Observable<OperationState>;
}

class SecretsManager implements SecretsManagerProvider {
  readonly scheme: string;
  readonly capabilities: ProviderCapabilities;
  readonly retry: RetryOptions | undefined;
  readonly optionRules = SECRETS_MANAGER_OPTION_RULES;
  readonly identity: string | undefined;
  readonly #binding: ProviderBinding;
  readonly #handle: SmHandle;
  readonly #probe: SecretsManagerProbe;
  readonly #planner = new ListProbePlanner();
  #batchAllowed = true;

  constructor(options: SecretsManagerOptions) {
    checkSecretsManagerOptions(options);
    this.scheme = options.scheme ?? 'aws-sm';
    this.retry = options.retry;
    this.identity = awsIdentity(options);
    this.#probe = options.probe ?? 'list';
    this.capabilities = {
      maxBatchGet: SM_BATCH,
      // 'list' plans its own ListSecrets calls over every ref due; the others batch or go one by one.
      maxBatchProbe: this.#probe === 'list' ? Number.POSITIVE_INFINITY : this.#probe === 'batch-get' ? SM_BATCH : 1,
      maxConcurrency: options.maxConcurrency ?? 4,
      changeDetection: 'poll',
      ...(options.pollInterval === undefined ? {} : { defaultPollInterval: options.pollInterval }),
    };
    this.#handle = smHandle(this.scheme, options);
    this.#binding = new ProviderBinding(this);
  }

  attach(host: ProviderHost): void {
    this.#binding.attach(host);
  }

  validateRef(ref: SecretRef): void {
    validateSmRef(ref);
  }

  get(ref: SecretRef, ctx: CallContext): Promise<Secret> {
    return getSecretValue(this.#handle, this.scheme, ref, 'get', ctx);
  }

  getMany(refs: readonly SecretRef[], ctx: CallContext): Promise<ReadonlyArray<Secret | Error>> {
    return getSecretValues(this.#handle, this.scheme, refs, ctx, this.#batchAllowed, () => {
      this.#batchAllowed = false;
    });
  }

  /** One ListSecrets page under the name prefix; `includePlannedDeletion: true` lists scheduled deletions too. */
  listPage(
    prefix: SecretRef,
    options: ListOptions,
    cursor: string | undefined,
    ctx: CallContext,
  ): Promise<Page<SecretInfo>> {
    return listSecretsPage(this.#handle, this.scheme, prefix, options, cursor, ctx);
  }

  set(
    ref: SecretRef,
    value: string | Uint8Array,
    options: SetOptions & SecretSetOptions,
    ctx: CallContext,
  ): Promise<SecretInfo> {
    return putSecret(this.#handle, this.scheme, ref, value, options, ctx);
  }

  /** Schedules deletion (`recoveryWindow` 7–30 days, default 30) or, with `force`, deletes without recovery. */
  delete(ref: SecretRef, options: DeleteOptions, ctx: CallContext): Promise<void> {
    return deleteSecret(this.#handle, this.scheme, ref, options, ctx);
  }

  /** Whether the secret (and the ref's stage or VersionId) exists and is not scheduled for deletion: one DescribeSecret. */
  async exists(ref: SecretRef, ctx: CallContext): Promise<boolean> {
    try {
      const out = await this.#handle.run(
        ctx,
        { scheme: this.scheme, operation: 'exists', ref: ref.text },
        (client, sdk, send) => client.send(new sdk.DescribeSecretCommand({ SecretId: ref.name }), send),
      );
      if (out.DeletedDate !== undefined) return false;
      const selector = versionSelector(ref);
      const map = out.VersionIdsToStages ?? {};
      if (selector.VersionId !== undefined) return Object.hasOwn(map, selector.VersionId);
      const stage = selector.VersionStage ?? 'AWSCURRENT';
      return Object.values(map).some((stages) => stages.includes(stage));
    } catch (error) {
      if (isSecretNotFoundError(error)) return false;
      throw error;
    }
  }

  probe(refs: readonly SecretRef[], ctx: CallContext): Promise<readonly ProbeResult[]> {
    if (this.#probe === 'describe') return probeByDescribe(this.#handle, this.scheme, refs, ctx);
    if (this.#probe === 'batch-get') return probeByBatchGet(this.#handle, this.scheme, refs, ctx);
    return probeByList(this.#handle, this.scheme, refs, this.#planner, ctx);
  }

  versions(input: string | SecretRef, options: SecretVersionsOptions = {}): SecretListing<SecretInfo> {
    checkOptions('versions', options, VERSIONS_SPEC);
    const ref = refForProvider(this, input, 'versions');
    return listSecretVersions(this.#handle, this.#binding, this.scheme, ref, options);
  }

  recover(input: string | SecretRef, options: OperationOptions = {}): Observable<OperationState> {
    return defer(() => {
      checkOptions('recover', options, CALL_SPEC);
      const ref = refForProvider(this, input, 'recover');
      return this.#binding
        .call('recover', (ctx) => restoreSecret(this.#handle, this.scheme, ref, ctx), { ...options, ref })
        .pipe(map((info): OperationState => ({ status: 'recovered', done: true, name: info.name })));
    });
  }

  async close(): Promise<void> {
    this.#binding.close();
    await this.#handle.close();
  }
}

const VERSIONS_SPEC = mergeSpecs(CALL_SPEC, {
  rules: { includeDeprecated: bool, pageSize: num({ integer: true, min: 1, max: 100 }) },
});

/**
 * AWS Secrets Manager, scheme `aws-sm:`. Refs are secret names (or ARNs) with an optional version part: a staging
 * label (`@AWSPREVIOUS`, `@stage:blue`) or a VersionId (a UUID, or `@id:<token>`), and a key path into JSON
 * (`aws-sm:prod/db#password`). Binary secrets read as `Uint8Array`. `@aws-sdk/client-secrets-manager` is imported on
 * the first call, not before.
 *
 * Backend calls: get → GetSecretValue; getMany → BatchGetSecretValue (20 ids a call); list → ListSecrets; set →
 * PutSecretValue, or CreateSecret for a new name, with the write's `clientToken` as ClientRequestToken; delete →
 * DeleteSecret; restore → RestoreSecret. Watches probe as chosen by `probe` (see {@link SecretsManagerProbe}): by
 * default a watch of N secrets costs one ListSecrets call per interval per 100 secrets sharing a name prefix (at most
 * ⌈N/10⌉ calls for unrelated names), plus one read per changed secret.
 *
 * @example
 * const secrets = createSecrets({ providers: [secretsManager({ region: 'eu-west-1' })] });
 * const password = await firstValueFrom(secrets.get('aws-sm:prod/db#password'));
 */
export function secretsManager(options: SecretsManagerOptions = {}): SecretsManagerProvider {
  return new SecretsManager(options);
}
