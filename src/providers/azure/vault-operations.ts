/**
 * What only Key Vault offers, as cold Observables and pulled listings: property updates, versions, deleted
 * secrets, purge, backup and restore. Each call runs with the provider's retries and the subscriber's signal.
 * @module
 */

import type { Observable } from 'rxjs';
import {
  makeRef,
  type OperationOptions,
  type SecretInfo,
  type SecretListing,
  type SecretRef,
} from '../../provider-kit/index.js';
import type { KeyVaultContext } from './context.js';
import { toDeletedInfo, toSecretInfo } from './convert.js';
import type { KeyVaultListOptions, KeyVaultPropertiesUpdate } from './key-vault-types.js';
import { resolveVersion } from './latest-version.js';
import { fetchPage, pageSizeOf } from './paging.js';

/** The info with its ref pinned to its version (when it has one). */
export function pinned(scheme: string, info: SecretInfo): SecretInfo {
  return info.version === undefined ? info : { ...info, ref: makeRef(scheme, info.name, info.version) };
}

/** Updates the properties of the ref's version, or of the current one. */
export function updateProperties(
  kv: KeyVaultContext,
  ref: SecretRef,
  update: KeyVaultPropertiesUpdate,
  options: OperationOptions,
): Observable<SecretInfo> {
  return kv.observe(
    'updateProperties',
    async (client, abortSignal) => {
      const version = await resolveVersion(kv, client, ref, abortSignal);
      const properties = await client.updateSecretProperties(ref.name, version, { abortSignal, ...update });
      return pinned(kv.scheme, toSecretInfo(kv.scheme, properties));
    },
    { ...options, ref },
  );
}

/** Every version of a secret, page by page. */
export function listVersions(
  kv: KeyVaultContext,
  ref: SecretRef,
  options: KeyVaultListOptions,
): SecretListing<SecretInfo> {
  const { pageSize } = options;
  return kv.binding.listing(
    'listVersions',
    ref,
    (cursor, ctx) =>
      kv.call(
        'listVersions',
        ctx,
        async (client, abortSignal) => {
          const list = client.listPropertiesOfSecretVersions(ref.name, { abortSignal });
          const page = await fetchPage(list, kv.vaultUrl, cursor, pageSizeOf(pageSize), ctx);
          return { items: page.items.map((p) => pinned(kv.scheme, toSecretInfo(kv.scheme, p))), next: page.next };
        },
        { ref },
      ),
    options,
  );
}

/** The deleted secrets, page by page. */
export function listDeleted(kv: KeyVaultContext, options: KeyVaultListOptions): SecretListing<SecretInfo> {
  const { pageSize } = options;
  return kv.binding.listing(
    'listDeleted',
    makeRef(kv.scheme, ''),
    (cursor, ctx) =>
      kv.call('listDeleted', ctx, async (client, abortSignal) => {
        const list = client.listDeletedSecrets({ abortSignal });
        const page = await fetchPage(list, kv.vaultUrl, cursor, pageSizeOf(pageSize), ctx);
        return { items: page.items.map((d) => toDeletedInfo(kv.scheme, d)), next: page.next };
      }),
    options,
  );
}

/** One deleted secret. */
export function getDeleted(kv: KeyVaultContext, ref: SecretRef, options: OperationOptions): Observable<SecretInfo> {
  return kv.observe(
    'getDeleted',
    async (client, abortSignal) => toDeletedInfo(kv.scheme, await client.getDeletedSecret(ref.name, { abortSignal })),
    { ...options, ref },
  );
}

/** Purges a deleted secret. */
export function purge(kv: KeyVaultContext, ref: SecretRef, options: OperationOptions): Observable<void> {
  return kv.observe('purge', (client, abortSignal) => client.purgeDeletedSecret(ref.name, { abortSignal }), {
    ...options,
    ref,
  });
}

/** Backs up every version of a secret. */
export function backup(kv: KeyVaultContext, ref: SecretRef, options: OperationOptions): Observable<Uint8Array> {
  return kv.observe(
    'backup',
    async (client, abortSignal) => (await client.backupSecret(ref.name, { abortSignal })) ?? new Uint8Array(),
    { ...options, ref },
  );
}

/** Restores a secret from a backup blob. */
export function restoreBackup(
  kv: KeyVaultContext,
  blob: Uint8Array,
  options: OperationOptions,
): Observable<SecretInfo> {
  return kv.observe(
    'restoreBackup',
    async (client, abortSignal) => toSecretInfo(kv.scheme, await client.restoreSecretBackup(blob, { abortSignal })),
    options,
  );
}
