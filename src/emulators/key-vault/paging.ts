/**
 * Key Vault list paging: `maxresults` (1–25, default 25), `{"value":[…],"nextLink": absolute URL | null}`, and an
 * opaque `$skiptoken`. The token is a cursor ("after this sort key"), not an offset, so a page stays consistent
 * when secrets are added or removed between page requests.
 * @internal
 * @module
 */
import { serviceErrors } from './errors.js';

/** Largest `maxresults` Key Vault accepts. */
export const MAX_PAGE_SIZE = 25;

/** One page as Key Vault sends it. */
export interface WirePage<T> {
  value: T[];
  nextLink: string | null;
}

/** How to cut a page out of a sorted list. */
export interface PageRequest {
  /** The request's query (api-version, maxresults, $skiptoken). */
  query: URLSearchParams;
  /** Absolute URL of the list operation without query, e.g. `https://127.0.0.1:8443/secrets`. */
  listUrl: string;
  /** Page size when the client gives no `maxresults`. */
  defaultPageSize: number;
  /** Answer the last non-empty page with a nextLink to an extra empty page, as the real service often does. */
  trailingEmptyPage: boolean;
}

/**
 * Cuts one page from `items`, which must be sorted ascending by `sortKey`, and maps the page's items.
 */
export function pageOf<T, W>(
  items: readonly T[],
  sortKey: (item: T) => string,
  toWire: (item: T) => W,
  request: PageRequest,
): WirePage<W> {
  const size = pageSize(request.query, request.defaultPageSize);
  const token = request.query.get('$skiptoken');
  const after = token === null ? undefined : decodeSkipToken(token);
  const start = after === undefined ? 0 : items.findIndex((item) => sortKey(item) > after);
  const remaining = start < 0 ? [] : items.slice(start);
  const page = remaining.slice(0, size);
  const last = page.at(-1);
  const hasMore = remaining.length > size || (request.trailingEmptyPage && last !== undefined);
  return {
    value: page.map(toWire),
    nextLink: hasMore && last !== undefined ? nextLink(request, sortKey(last)) : null,
  };
}

function pageSize(query: URLSearchParams, fallback: number): number {
  const raw = query.get('maxresults');
  if (raw === null || raw === '') return fallback;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw serviceErrors.badParameter(
      `Invalid value for maxresults: ${raw}. It must be between 1 and ${MAX_PAGE_SIZE}.`,
    );
  }
  return size;
}

function nextLink(request: PageRequest, afterKey: string): string {
  const apiVersion = request.query.get('api-version') ?? '';
  const token = Buffer.from(JSON.stringify({ after: afterKey }), 'utf8').toString('base64url');
  const maxResults = request.query.get('maxresults');
  const tail = maxResults ? `&maxresults=${encodeURIComponent(maxResults)}` : '';
  return `${request.listUrl}?api-version=${encodeURIComponent(apiVersion)}&$skiptoken=${token}${tail}`;
}

function decodeSkipToken(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const after = (parsed as { after?: unknown } | null)?.after;
    if (typeof after === 'string') return after;
  } catch {
    // reported below
  }
  throw serviceErrors.badParameter('The $skiptoken is invalid.');
}
