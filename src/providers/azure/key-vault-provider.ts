/**
 * The Key Vault provider: the core's small SecretProvider surface, plus what only Key Vault can do (versions,
 * soft delete and recovery as poller streams, purge, backup and restore, property updates).
 * @module
 */
import type { Observable } from 'rxjs';
import {
  ConflictError,
  InvalidSecretRefError,
  isSecretDisabledError,
  isSecretNotFoundError,
  isTransientError,
} from '../../core/errors/index.js';
import type { SecretListing } from '../../core/listing.js';
import type { CallContext, DeleteOptions, Page, ProbeResult, ProviderCapabilities } from '../../core/provider.js';
import { makeRef, type SecretRef } from '../../core/ref.js';
import type { Secret, SecretInfo } from '../../core/secret.js';
import { KeyVaultContext } from './context.js';
import { assertUsable, encodeValue, toSecret, toSecretInfo } from './convert.js';
import type { KeyVaultOptions } from './key-vault-options.js';
import type {
  KeyVaultDeleteOptions,
  KeyVaultListOptions,
  KeyVaultPollOptions,
  KeyVaultPropertiesUpdate,
  KeyVaultProvider,
  KeyVaultSetOptions,
} from './key-vault-types.js';
import { operationStream } from './lro/operation-stream.js';
import { type KeyVaultOperationState, nameInState } from './lro/secret-operations.js';
import { fetchPage, pageSizeOf } from './paging.js';
import { sweepProbe } from './probe-sweep.js';
import { assertKeyVaultRef, isNameFragment } from './secret-name.js';
import * as ops from './vault-operations.js';

/** Values of one `getMany` batch are fetched at once; the core runs `maxConcurrency` batches in parallel. */
const BATCH_GET = 5;

class KeyVaultProviderImpl implements KeyVaultProvider {
  readonly scheme: string;
  readonly capabilities: ProviderCapabilities;
  readonly #kv: KeyVaultContext;

  constructor(options: KeyVaultOptions) {
    this.#kv = new KeyVaultContext(options);
    this.scheme = this.#kv.scheme;
    this.capabilities = {
      maxBatchGet: BATCH_GET,
      maxBatchProbe: Number.POSITIVE_INFINITY,
      maxConcurrency: 4,
      changeDetection: 'poll',
      defaultPollInterval: options.watchInterval ?? '30s',
    };
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
    const redact = typeof value === 'string' ? [value] : [encoded.text];
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
      { ref, redact },
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

  beginDelete(ref: SecretRef, options: KeyVaultDeleteOptions = {}): Observable<KeyVaultOperationState> {
    return operationStream(this.#kv, 'delete', ref, options, undefined);
  }

  beginRecover(ref: SecretRef, options: KeyVaultPollOptions = {}): Observable<KeyVaultOperationState> {
    return operationStream(this.#kv, 'recover', ref, options, undefined);
  }

  resumeDelete(resumeFrom: string, options: KeyVaultDeleteOptions = {}): Observable<KeyVaultOperationState> {
    return operationStream(this.#kv, 'delete', this.#stateRef(resumeFrom), options, resumeFrom);
  }

  resumeRecover(resumeFrom: string, options: KeyVaultPollOptions = {}): Observable<KeyVaultOperationState> {
    return operationStream(this.#kv, 'recover', this.#stateRef(resumeFrom), options, resumeFrom);
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

  updateProperties(ref: SecretRef, update: KeyVaultPropertiesUpdate): Observable<SecretInfo> {
    return ops.updateProperties(this.#kv, ref, update);
  }

  versions(name: string, options: KeyVaultListOptions = {}): SecretListing<SecretInfo> {
    return ops.listVersions(this.#kv, name, options);
  }

  deleted(options: KeyVaultListOptions = {}): SecretListing<SecretInfo> {
    return ops.listDeleted(this.#kv, options);
  }

  getDeleted(ref: SecretRef): Observable<SecretInfo> {
    return ops.getDeleted(this.#kv, ref);
  }

  purge(ref: SecretRef): Observable<void> {
    return ops.purge(this.#kv, ref);
  }

  backup(ref: SecretRef): Observable<Uint8Array> {
    return ops.backup(this.#kv, ref);
  }

  restore(backup: Uint8Array): Observable<SecretInfo> {
    return ops.restore(this.#kv, backup);
  }

  async close(): Promise<void> {
    this.#kv.holder.close();
  }

  #stateRef(resumeFrom: string): SecretRef {
    return makeRef(this.scheme, nameInState(resumeFrom));
  }
}

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
