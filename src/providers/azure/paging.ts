/**
 * One page of a Key Vault listing at a time, resumable from a cursor.
 *
 * The cursor is the page's `nextLink` (an absolute URL with a `$skiptoken`), read by the call-scope policy
 * because SDK 4.12's `byPage()` pages lack `continuationToken`. The SDK's `byPage({ continuationToken })` does
 * honour a nextLink, so each page is one fresh SDK iterator, one request, and no state is kept between pages:
 * a retried page is simply fetched again, an abandoned listing leaks nothing, and a cursor survives a restart.
 * (Keeping one live iterator per listing would not survive the core retrying a failed page: a failed async
 * generator cannot be resumed.)
 * @module
 */

import type { PagedAsyncIterableIterator } from '@azure/keyvault-secrets';
import { type CallContext, type Page, ValidationError } from '../../provider-kit/index.js';
import { inCallScope } from './wire/call-scope.js';

/** Key Vault's largest page. */
export const MAX_PAGE_SIZE = 25;

/** Clamps a requested page size to Key Vault's 1–25. */
export function pageSizeOf(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return MAX_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(requested)));
}

/**
 * Fetches the page at `cursor` (the first page when undefined) of `list`. A cursor must point into `vaultUrl`:
 * the SDK would send its bearer token to any URL it is given.
 */
export async function fetchPage<T>(
  list: PagedAsyncIterableIterator<T, T[]>,
  vaultUrl: string,
  cursor: string | undefined,
  pageSize: number,
  ctx: CallContext,
): Promise<Page<T>> {
  if (cursor !== undefined && !isCursorOf(vaultUrl, cursor)) {
    throw new ValidationError('this listing cursor does not belong to this vault');
  }
  return inCallScope(
    ctx.signal,
    async (scope) => {
      const pages = list.byPage({
        maxPageSize: pageSize,
        ...(cursor === undefined ? {} : { continuationToken: cursor }),
      });
      try {
        const first = await pages.next();
        return { items: first.done ? [] : first.value, next: scope.nextLink };
      } finally {
        // Ends the SDK's generator where it stands: no further page is requested.
        await pages.return?.(undefined);
      }
    },
    true,
  );
}

function isCursorOf(vaultUrl: string, cursor: string): boolean {
  if (!URL.canParse(cursor)) return false;
  const vault = new URL(vaultUrl);
  const next = new URL(cursor);
  return next.protocol === vault.protocol && next.host === vault.host;
}
