import { firstValueFrom, isObservable, type Observable } from 'rxjs';
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
      checkCursor(prefix, seen, page.next);
      cursor = page.next;
    } while (cursor !== undefined);
  }
  return listingOf(pages, signal);
}

/**
 * Completes the items of a listed page (reads their values): an Observable of what the consumer gets, or those
 * items themselves when the page needs no second read.
 */
export type CompletePage<I, T> = (items: readonly I[]) => Observable<readonly T[]> | readonly T[];

/**
 * A {@link SecretListing} whose pages need a second read (their values): while a page is completed, the next page is
 * listed, so that the listing call does not wait behind the reads. Still pulled: nothing is fetched before the first
 * item is asked for, and never more than one page ahead of the consumer (a page that needs no second read reads
 * nothing ahead). `break`, an error or the signal stops the read-ahead with the rest.
 */
export function createReadAheadListing<I, T extends SecretInfo | Secret>(
  prefix: SecretRef,
  fetchPage: FetchPage<I>,
  complete: CompletePage<I, T>,
  signal?: AbortSignal,
): SecretListing<T> {
  async function* pages(): AsyncGenerator<readonly T[]> {
    const seen = new Set<string>();
    let ahead: PageAhead<I> | undefined;
    try {
      let page = await firstValueAbortable(fetchPage(undefined), signal);
      for (;;) {
        signal?.throwIfAborted();
        const completing = complete(page.items);
        let items: readonly T[];
        if (isObservable(completing)) {
          if (page.next !== undefined && !seen.has(page.next)) ahead = readAhead(fetchPage(page.next), signal);
          items = await firstValueAbortable(completing, signal);
          signal?.throwIfAborted();
        } else {
          items = completing;
        }
        yield items;
        checkCursor(prefix, seen, page.next);
        if (page.next === undefined) return;
        page = ahead === undefined ? await firstValueAbortable(fetchPage(page.next), signal) : await ahead.page;
        ahead = undefined;
      }
    } finally {
      ahead?.cancel();
    }
  }
  return listingOf(pages, signal);
}

/** A page fetch started ahead of the consumer. */
interface PageAhead<I> {
  readonly page: Promise<Page<I>>;
  /** Stops the fetch (its outcome is no longer wanted). */
  cancel(): void;
}

function readAhead<I>(source: Observable<Page<I>>, signal: AbortSignal | undefined): PageAhead<I> {
  const stop = new AbortController();
  const page = firstValueAbortable(source, signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]));
  // A page read ahead that fails is reported when the consumer gets to it, or never if it stops before.
  page.catch(() => {});
  return { page, cancel: () => stop.abort() };
}

/** Refuses a cursor seen before in this listing (a backend that loops would page forever); remembers the new one. */
function checkCursor(prefix: SecretRef, seen: Set<string>, next: string | undefined): void {
  if (next === undefined) return;
  if (seen.has(next)) {
    throw new ProviderError(`the ${prefix.scheme} listing repeated a page cursor; stopping to avoid an endless loop`);
  }
  seen.add(next);
}

function listingOf<T extends SecretInfo | Secret>(
  pages: () => AsyncGenerator<readonly T[]>,
  signal: AbortSignal | undefined,
): SecretListing<T> {
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
