/**
 * What only Key Vault offers, as cold Observables and pulled listings: property updates, versions, deleted
 * secrets, purge, backup and restore. Each call runs with the provider's retries and the subscriber's signal.
 * @module
 */
import type { Observable } from 'rxjs';
import { createListing, type SecretListing } from '../../core/listing.js';
import { makeRef, type SecretRef } from '../../core/ref.js';
import type { SecretInfo } from '../../core/secret.js';
import type { KeyVaultContext } from './context.js';
import { toDeletedInfo, toSecretInfo } from './convert.js';
import type { KeyVaultListOptions, KeyVaultPropertiesUpdate } from './key-vault-types.js';
import { resolveVersion } from './latest-version.js';
import { fetchPage, pageSizeOf } from './paging.js';
import { assertKeyVaultRef, assertSecretName } from './secret-name.js';

/** The info with its ref pinned to its version (when it has one). */
export function pinned(scheme: string, info: SecretInfo): SecretInfo {
  return info.version === undefined ? info : { ...info, ref: makeRef(scheme, info.name, info.version) };
}

/** Updates the properties of the ref's version, or of the current one. */
export function updateProperties(
  kv: KeyVaultContext,
  ref: SecretRef,
  update: KeyVaultPropertiesUpdate,
): Observable<SecretInfo> {
  assertKeyVaultRef(ref);
  return kv.observe(
    'updateProperties',
    async (client, abortSignal) => {
      const version = await resolveVersion(kv, client, ref, abortSignal);
      const properties = await client.updateSecretProperties(ref.name, version, { abortSignal, ...update });
      return pinned(kv.scheme, toSecretInfo(kv.scheme, properties));
    },
    { ref },
  );
}

/** Every version of a secret, page by page. */
export function listVersions(
  kv: KeyVaultContext,
  name: string,
  options: KeyVaultListOptions,
): SecretListing<SecretInfo> {
  const ref = makeRef(kv.scheme, name);
  assertSecretName(name, ref.text);
  return createListing(
    ref,
    (cursor) =>
      kv.observe(
        'listVersions',
        async (client, abortSignal) => {
          const list = client.listPropertiesOfSecretVersions(name, { abortSignal });
          const page = await fetchPage(list, kv.vaultUrl, cursor, pageSizeOf(options.pageSize), {
            signal: abortSignal,
          });
          return { items: page.items.map((p) => pinned(kv.scheme, toSecretInfo(kv.scheme, p))), next: page.next };
        },
        { ref },
      ),
    options.signal,
  );
}

/** The deleted secrets, page by page. */
export function listDeleted(kv: KeyVaultContext, options: KeyVaultListOptions): SecretListing<SecretInfo> {
  return createListing(
    makeRef(kv.scheme, ''),
    (cursor) =>
      kv.observe('listDeleted', async (client, abortSignal) => {
        const list = client.listDeletedSecrets({ abortSignal });
        const page = await fetchPage(list, kv.vaultUrl, cursor, pageSizeOf(options.pageSize), { signal: abortSignal });
        return { items: page.items.map((d) => toDeletedInfo(kv.scheme, d)), next: page.next };
      }),
    options.signal,
  );
}

/** One deleted secret. */
export function getDeleted(kv: KeyVaultContext, ref: SecretRef): Observable<SecretInfo> {
  assertKeyVaultRef(ref);
  return kv.observe(
    'getDeleted',
    async (client, abortSignal) => toDeletedInfo(kv.scheme, await client.getDeletedSecret(ref.name, { abortSignal })),
    { ref },
  );
}

/** Purges a deleted secret. */
export function purge(kv: KeyVaultContext, ref: SecretRef): Observable<void> {
  assertKeyVaultRef(ref);
  return kv.observe('purge', (client, abortSignal) => client.purgeDeletedSecret(ref.name, { abortSignal }), { ref });
}

/** Backs up every version of a secret. */
export function backup(kv: KeyVaultContext, ref: SecretRef): Observable<Uint8Array> {
  assertKeyVaultRef(ref);
  return kv.observe(
    'backup',
    async (client, abortSignal) => (await client.backupSecret(ref.name, { abortSignal })) ?? new Uint8Array(),
    { ref },
  );
}

/** Restores a secret from a backup blob. */
export function restore(kv: KeyVaultContext, blob: Uint8Array): Observable<SecretInfo> {
  return kv.observe('restore', async (client, abortSignal) =>
    toSecretInfo(kv.scheme, await client.restoreSecretBackup(blob, { abortSignal })),
  );
}
