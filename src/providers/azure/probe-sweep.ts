/**
 * The watch probe: one paged `listPropertiesOfSecrets` sweep answers for every watched secret of the vault.
 *
 * Calls per probe = pages of the sweep: at 25 secrets per page, ⌈secrets in the vault / 25⌉ at most, fewer when
 * every watched name has been seen (the sweep stops there). Watching 100 secrets of a 100-secret vault costs at
 * most 4 list calls per interval, plus one get per secret whose version changed (fetched by the core).
 * @module
 */

import type { SecretClient, SecretProperties } from '@azure/keyvault-secrets';
import {
  type CallContext,
  type ProbeResult,
  SecretDisabledError,
  SecretNotFoundError,
  type SecretRef,
} from '../../provider-kit/index.js';
import { unusableReason } from './convert.js';
import { fetchPage, MAX_PAGE_SIZE } from './paging.js';
import { VersionMemo } from './version-memo.js';

/** What a sweep needs. */
export interface SweepContext {
  readonly scheme: string;
  readonly client: SecretClient;
  readonly vaultUrl: string;
  readonly memo: VersionMemo;
  readonly enforceValidity: boolean;
}

/** Probes `refs` with one sweep; the result is aligned with `refs`. */
export async function sweepProbe(
  sweep: SweepContext,
  refs: readonly SecretRef[],
  ctx: CallContext,
): Promise<ProbeResult[]> {
  const wanted = new Set(refs.map((ref) => ref.name.toLowerCase()));
  const found = new Map<string, SecretProperties>();
  let cursor: string | undefined;
  do {
    const list = sweep.client.listPropertiesOfSecrets({ abortSignal: ctx.signal });
    const page = await fetchPage(list, sweep.vaultUrl, cursor, MAX_PAGE_SIZE, ctx);
    for (const properties of page.items) {
      const key = properties.name.toLowerCase();
      if (wanted.has(key)) found.set(key, properties);
    }
    cursor = page.next;
  } while (cursor !== undefined && found.size < wanted.size);
  return refs.map((ref) => resultFor(sweep, ref, found.get(ref.name.toLowerCase())));
}

function resultFor(sweep: SweepContext, ref: SecretRef, properties: SecretProperties | undefined): ProbeResult {
  const options = { ref: ref.text, provider: sweep.scheme };
  if (properties === undefined) return { error: new SecretNotFoundError(`${ref.text} does not exist`, options) };
  // A pinned version never changes; the sweep only shows the secret still exists.
  if (ref.version !== undefined) return { version: ref.version };
  const reason =
    properties.enabled === false ? 'disabled' : sweep.enforceValidity ? unusableReason(properties) : undefined;
  if (reason !== undefined) {
    return { error: new SecretDisabledError(`${ref.text} is unusable (${reason})`, { ...options, reason }) };
  }
  return {
    version: sweep.memo.token(properties.name, properties.updatedOn),
    fleetToken: VersionMemo.fleetToken(properties.updatedOn),
  };
}
