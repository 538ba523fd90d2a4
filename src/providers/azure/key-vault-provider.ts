/**
 * The Key Vault provider: the core's small SecretProvider surface, plus what only Key Vault can do (versions,
 * soft delete and recovery as poller streams, purge, backup and restore, property updates).
 * @module
 */

import { defer, type Observable } from 'rxjs';
import {
  CALL_SPEC,
  type CallContext,
  ConflictError,
  checkOptions,
  DELETE_SPEC,
  type DeleteOptions,
  type HeldFleetToken,
  InvalidSecretRefError,
  isSecretDisabledError,
  isSecretNotFoundError,
  isTransientError,
  LIST_SPEC,
  makeRef,
  mergeSpecs,
  type OperationOptions,
  type Page,
  type ProbeResult,
  type ProviderCapabilities,
  type ProviderHost,
  type RetryOptions,
  refForProvider,
  type Secret,
  type SecretInfo,
  type SecretListing,
  type SecretRef,
  ValidationError,
} from '../../provider-kit/index.js';
import { KeyVaultContext } from './context.js';
import { assertUsable, encodeValue, toSecret, toSecretInfo } from './convert.js';
import { checkKeyVaultOptions, DEFAULT_MAX_CONCURRENCY, type KeyVaultOptions } from './key-vault-options.js';
import {
  KEY_VAULT_OPTION_RULES,
  type KeyVaultDeleteOptions,
  type KeyVaultListOptions,
  type KeyVaultProgressOptions,
  type KeyVaultPropertiesUpdate,
  type KeyVaultProvider,
  type KeyVaultSetOptions,
  PROPERTIES_UPDATE_RULES,
} from './key-vault-types.js';
import { operationStream } from './lro/operation-stream.js';
import { type KeyVaultOperationState, nameInState } from './lro/secret-operations.js';
import { fetchPage, pageSizeOf } from './paging.js';
import { sweepProbe } from './probe-sweep.js';
import { assertKeyVaultRef, isNameFragment } from './secret-name.js';
import * as ops from './vault-operations.js';

/**
 * Key Vault has no batch read: the core's loader sends one `getSecret` per ref, keeping up to `maxConcurrency` in
 * flight and starting the next as soon as one ends (a sliding window, so no read waits for a batch's slowest).
 * Single-ref calls also keep retries and timeouts per ref: a throttled read is retried alone.
 */
const BATCH_GET = 1;

class KeyVaultProviderImpl implements KeyVaultProvider {
  readonly scheme: string;
  readonly capabilities: ProviderCapabilities;
  readonly retry: RetryOptions | undefined;
  readonly optionRules = KEY_VAULT_OPTION_RULES;
  readonly #kv: KeyVaultContext;

  constructor(options: KeyVaultOptions) {
    checkKeyVaultOptions(options);
    this.scheme = options.scheme ?? 'azure-kv';
    this.retry = options.retry;
    this.capabilities = {
      maxBatchGet: BATCH_GET,
      maxBatchProbe: Number.POSITIVE_INFINITY,
      maxConcurrency: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
      changeDetection: 'poll',
      defaultPollInterval: options.pollInterval ?? '30s',
    };
    this.#kv = new KeyVaultContext(options, this);
  }

  attach(host: ProviderHost): void {
    this.#kv.binding.attach(host);
  }

  /** The vault URL: instances watching the same vault share one fleet leader. */
  get identity(): string {
    return this.#kv.vaultUrl;
  }

  get vaultUrl(): string {
    return this.#kv.vaultUrl;
  }

  validateRef(ref: SecretRef): void {
    assertKeyVaultRef(ref);
  }

  async get(ref: SecretRef, ctx: CallContext): Promise<Secret> {
    const fetched = await this.#kv.call(
      'get',
      ctx,
      (client, abortSignal) =>
        client.getSecret(ref.name, { abortSignal, ...(ref.version ? { version: ref.version } : {}) }),
      { ref },
    );
    if (ref.version === undefined)
      this.#kv.memo.remember(fetched.properties.name, fetched.properties.updatedOn, fetched.properties.version);
    if (this.#kv.enforceValidity) assertUsable(this.scheme, fetched.properties, ref);
    return toSecret(this.scheme, fetched, ref);
  }

  async getMany(refs: readonly SecretRef[], ctx: CallContext): Promise<ReadonlyArray<Secret | Error>> {
    const results = await Promise.all(refs.map((ref) => this.get(ref, ctx).catch((error: unknown) => error as Error)));
    // A transient failure fails the batch, so that the core retries it; permanent ones stay per ref.
    const transient = results.find((result) => !isSecretLike(result) && isTransientError(result));
    if (transient !== undefined) throw transient;
    return results;
  }

  async listPage(
    prefix: SecretRef,
    options: KeyVaultListOptions,
    cursor: string | undefined,
    ctx: CallContext,
  ): Promise<Page<SecretInfo>> {
    if (!isNameFragment(prefix.name)) {
      throw new InvalidSecretRefError(`'${prefix.text}' cannot prefix a Key Vault secret name ([0-9a-zA-Z-])`, {
        ref: prefix.text,
      });
    }
    const page = await this.#kv.call(
      'listPage',
      ctx,
      (client, abortSignal) =>
        fetchPage(
          client.listPropertiesOfSecrets({ abortSignal }),
          this.vaultUrl,
          cursor,
          pageSizeOf(options.pageSize),
          ctx,
        ),
      { ref: prefix },
    );
    const start = prefix.name.toLowerCase();
    const items = page.items
      .filter((p) => p.name.toLowerCase().startsWith(start) && (options.enabledOnly !== true || p.enabled !== false))
      .map((p) => toSecretInfo(this.scheme, p));
    return { items, next: page.next };
  }

  async set(
    ref: SecretRef,
    value: string | Uint8Array,
    options: KeyVaultSetOptions,
    ctx: CallContext,
  ): Promise<SecretInfo> {
    if (ref.version !== undefined)
      throw new InvalidSecretRefError('a write cannot name a version: Key Vault assigns one', { ref: ref.text });
    const encoded = encodeValue(value, options.contentType);
    if (options.ifNotExists === true && (await this.exists(ref, ctx))) {
      throw new ConflictError(`${ref.text} already exists`, { ref: ref.text, provider: this.scheme });
    }
    const written = await this.#kv.call(
      'set',
      ctx,
      (client, abortSignal) =>
        client.setSecret(ref.name, encoded.text, {
          abortSignal,
          ...(encoded.contentType === undefined ? {} : { contentType: encoded.contentType }),
          ...(options.tags === undefined ? {} : { tags: { ...options.tags } }),
          ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
          ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
          ...(options.expiresOn === undefined ? {} : { expiresOn: options.expiresOn }),
        }),
      { ref },
    );
    this.#kv.memo.remember(written.properties.name, written.properties.updatedOn, written.properties.version);
    return ops.pinned(this.scheme, toSecretInfo(this.scheme, written.properties));
  }

  async delete(ref: SecretRef, options: DeleteOptions, ctx: CallContext): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const subscription = this.beginDelete(ref, options).subscribe({ error: reject, complete: resolve });
      ctx.signal.addEventListener(
        'abort',
        () => {
          subscription.unsubscribe();
          reject(ctx.signal.reason);
        },
        { once: true },
      );
    });
  }

  beginDelete(input: string | SecretRef, options: KeyVaultDeleteOptions = {}): Observable<KeyVaultOperationState> {
    return defer(() => {
      checkOptions('beginDelete', options, mergeSpecs(DELETE_SPEC, KEY_VAULT_OPTION_RULES.delete));
      if (options.recoveryWindow !== undefined) {
        throw new ValidationError(
          "Key Vault has no per-delete recovery window (the vault's retention applies): leave recoveryWindow out",
        );
      }
      const ref = refForProvider(this, input, 'beginDelete');
      return operationStream(this.#kv, 'delete', ref, options, undefined);
    });
  }

  recover(input: string | SecretRef, options: KeyVaultProgressOptions = {}): Observable<KeyVaultOperationState> {
    return defer(() => {
      checkOptions('recover', options, PROGRESS_SPEC);
      return operationStream(this.#kv, 'recover', refForProvider(this, input, 'recover'), options, undefined);
    });
  }

  resumeDelete(resumeFrom: string, options: KeyVaultDeleteOptions = {}): Observable<KeyVaultOperationState> {
    return defer(() => {
      checkOptions('resumeDelete', options, mergeSpecs(DELETE_SPEC, KEY_VAULT_OPTION_RULES.delete));
      return operationStream(this.#kv, 'delete', this.#stateRef(resumeFrom), options, resumeFrom);
    });
  }

  resumeRecover(resumeFrom: string, options: KeyVaultProgressOptions = {}): Observable<KeyVaultOperationState> {
    return defer(() => {
      checkOptions('resumeRecover', options, PROGRESS_SPEC);
      return operationStream(this.#kv, 'recover', this.#stateRef(resumeFrom), options, resumeFrom);
    });
  }

  async exists(ref: SecretRef, ctx: CallContext): Promise<boolean> {
    try {
      await this.#kv.call(
        'exists',
        ctx,
        (client, abortSignal) =>
          client.getSecret(ref.name, { abortSignal, ...(ref.version ? { version: ref.version } : {}) }),
        { ref },
      );
      return true;
    } catch (error) {
      if (isSecretNotFoundError(error)) return false;
      if (isSecretDisabledError(error)) return true;
      throw error;
    }
  }

  probe(refs: readonly SecretRef[], ctx: CallContext): Promise<readonly ProbeResult[]> {
    return this.#kv.call('probe', ctx, (client) =>
      sweepProbe(
        {
          scheme: this.scheme,
          client,
          vaultUrl: this.vaultUrl,
          memo: this.#kv.memo,
          enforceValidity: this.#kv.enforceValidity,
        },
        refs,
        ctx,
      ),
    );
  }

  /** The listing stamp of the version last read of `ref` (fleet followers compare the leader's with it). */
  heldFleetToken(ref: SecretRef): HeldFleetToken | undefined {
    return ref.version === undefined ? this.#kv.memo.held(ref.name) : undefined;
  }

  updateProperties(
    input: string | SecretRef,
    update: KeyVaultPropertiesUpdate,
    options: OperationOptions = {},
  ): Observable<SecretInfo> {
    return defer(() => {
      checkOptions('updateProperties', options, CALL_SPEC);
      if (update === null || typeof update !== 'object') {
        throw new ValidationError('updateProperties needs the properties to change, e.g. { enabled: false }');
      }
      checkOptions('updateProperties', update, { rules: PROPERTIES_UPDATE_RULES });
      const ref = refForProvider(this, input, 'updateProperties', { version: true });
      return ops.updateProperties(this.#kv, ref, update, options);
    });
  }

  versions(input: string | SecretRef, options: KeyVaultListOptions = {}): SecretListing<SecretInfo> {
    checkOptions('versions', options, mergeSpecs(LIST_SPEC, CALL_SPEC));
    return ops.listVersions(this.#kv, refForProvider(this, input, 'versions'), options);
  }

  deleted(options: KeyVaultListOptions = {}): SecretListing<SecretInfo> {
    checkOptions('deleted', options, mergeSpecs(LIST_SPEC, CALL_SPEC));
    return ops.listDeleted(this.#kv, options);
  }

  getDeleted(input: string | SecretRef, options: OperationOptions = {}): Observable<SecretInfo> {
    return this.#single('getDeleted', input, options, (ref) => ops.getDeleted(this.#kv, ref, options));
  }

  purge(input: string | SecretRef, options: OperationOptions = {}): Observable<void> {
    return this.#single('purge', input, options, (ref) => ops.purge(this.#kv, ref, options));
  }

  backup(input: string | SecretRef, options: OperationOptions = {}): Observable<Uint8Array> {
    return this.#single('backup', input, options, (ref) => ops.backup(this.#kv, ref, options));
  }

  restoreBackup(backup: Uint8Array, options: OperationOptions = {}): Observable<SecretInfo> {
    return defer(() => {
      checkOptions('restoreBackup', options, CALL_SPEC);
      if (!(backup instanceof Uint8Array) || backup.length === 0) {
        throw new ValidationError('restoreBackup takes the non-empty Uint8Array that backup() emitted');
      }
      return ops.restoreBackup(this.#kv, backup, options);
    });
  }

  async close(): Promise<void> {
    this.#kv.binding.close();
    this.#kv.holder.close();
  }

  /** An operation on one whole secret (no @version, no #key.path), checked before anything is sent. */
  #single<T>(
    operation: string,
    input: string | SecretRef,
    options: OperationOptions,
    run: (ref: SecretRef) => Observable<T>,
  ): Observable<T> {
    return defer(() => {
      checkOptions(operation, options, CALL_SPEC);
      return run(refForProvider(this, input, operation));
    });
  }

  #stateRef(resumeFrom: string): SecretRef {
    return makeRef(this.scheme, nameInState(resumeFrom));
  }
}

const PROGRESS_SPEC = mergeSpecs(CALL_SPEC, KEY_VAULT_OPTION_RULES.delete);

function isSecretLike(value: unknown): value is Secret {
  return typeof value === 'object' && value !== null && 'ref' in value && !(value instanceof Error);
}

/**
 * An Azure Key Vault provider for one vault (scheme `azure-kv` unless `scheme` says otherwise). The Azure SDK is
 * loaded on first use. See {@link KeyVaultOptions} for credentials, retries and several vaults.
 *
 * @example
 * const secrets = createSecrets({ providers: [keyVault({ vaultUrl: 'https://my-vault.vault.azure.net' })] });
 * const password = await firstValueFrom(secrets.get('azure-kv:db-password'));
 */
export function keyVault(options: KeyVaultOptions): KeyVaultProvider {
  return new KeyVaultProviderImpl(options);
}
