/**
 * NextToken paging over a sorted scan.
 *
 * A token records the sort key of the last item scanned (not an index), so pages stay consistent when items
 * are added or removed between calls, and the operation it belongs to, so a token from another listing is
 * refused as AWS refuses it.
 */

interface TokenBody {
  /** Operation the token was issued by. */
  op: string;
  /** Sort key of the last scanned item. */
  after: string;
}

/** Encodes a continuation token: opaque to clients, like AWS's. */
export function encodeToken(op: string, after: string): string {
  const body: TokenBody = { op, after };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** Decodes a token; `undefined` when it is not one this operation issued. */
export function decodeToken(op: string, token: string): string | undefined {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
    if (body.op !== op || typeof body.after !== 'string') return undefined;
    return body.after;
  } catch {
    return undefined;
  }
}

/** One scanned window: the items, and the token for the next window if the scan has more. */
export interface ScanWindow<T> {
  /** The items of this window, before any filtering by the caller. */
  items: T[];
  /** Continuation token, absent on the last window. */
  nextToken?: string;
}

/**
 * Takes the next `size` items of `sorted` after the position recorded in `token`.
 * `keyOf` must give a unique string key per item, ascending along `sorted` (descending when `descending`).
 * Throws `invalidToken()` for a token this operation did not issue.
 */
export function scanWindow<T>(
  op: string,
  sorted: readonly T[],
  keyOf: (item: T) => string,
  size: number,
  token: string | undefined,
  invalidToken: () => Error,
  descending = false,
): ScanWindow<T> {
  let start = 0;
  if (token !== undefined) {
    const after = decodeToken(op, token);
    if (after === undefined) throw invalidToken();
    start = sorted.findIndex((item) => (descending ? keyOf(item) < after : keyOf(item) > after));
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + size);
  const last = items.at(-1);
  if (last === undefined || start + size >= sorted.length) return { items };
  return { items, nextToken: encodeToken(op, keyOf(last)) };
}

/** Zero-pads a non-negative integer so that string order matches numeric order (for version keys). */
export function sortableNumber(value: number): string {
  return value.toString().padStart(16, '0');
}
