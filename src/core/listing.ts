import { firstValueFrom, type Observable } from 'rxjs';
import { ProviderError } from './errors/index.js';
import type { OperationOptions } from './operation-options.js';
import type { ListOptions, Page } from './provider.js';
import type { SecretRef } from './ref.js';
import type { Secret, SecretInfo } from './secret.js';

/** Fetches one page given the cursor (undefined for the first page). */
export type FetchPage<T> = (cursor: string | undefined) => Observable<Page<T>>;

/** Options of a listing, as `secrets.list` takes them. */
export interface ListingOptions extends ListOptions, OperationOptions {
  /** Fetch each page's values too (in batches, bounded concurrency), yielding Secrets instead of SecretInfo. */
  readonly withValues?: boolean;
}

/**
 * A lazy listing: pulled page by page as the consumer iterates. The next page is requested only when the consumer
 * asks for an item past the current one; `break` stops paging at once; at most one page is held in memory.
 */
export interface SecretListing<T extends SecretInfo | Secret> extends AsyncIterable<T> {
  /** The same listing, a page at a time (pages may be empty while more follow). */
  pages(): AsyncIterable<readonly T[]>;
}

async function firstValueAbortable<T>(source: Observable<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return firstValueFrom(source);
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      subscription.unsubscribe();
      reject(signal.reason);
    };
    const subscription = source.subscribe({
      next: (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error: (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Builds a {@link SecretListing} from a page fetcher. Nothing is fetched before the first item is asked for. */
export function createListing<T extends SecretInfo | Secret>(
  prefix: SecretRef,
  fetchPage: FetchPage<T>,
  signal?: AbortSignal,
): SecretListing<T> {
  async function* pages(): AsyncGenerator<readonly T[]> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    do {
      const page = await firstValueAbortable(fetchPage(cursor), signal);
      signal?.throwIfAborted();
      yield page.items;
      if (page.next !== undefined && seen.has(page.next)) {
        throw new ProviderError(
          `the ${prefix.scheme} listing repeated a page cursor; stopping to avoid an endless loop`,
        );
      }
      if (page.next !== undefined) seen.add(page.next);
      cursor = page.next;
    } while (cursor !== undefined);
  }
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const items of pages()) {
        for (const item of items) {
          signal?.throwIfAborted();
          yield item;
        }
      }
    },
  };
}
