/**
 * What happened in the cache:
 * - `hit`: a read was served from a fresh entry; `miss`: a read started a backend call (reason `absent`,
 *   `expired`, `fresh` or `disabled`); `coalesced`: a read joined the backend call already in flight for its key.
 * - `refresh`: a background refresh-ahead started; `refreshed` / `refresh-failed`: how it ended.
 * - `stale`: a read was served the last value, marked stale, because fetching a new one failed, or (reason
 *   `unconfirmed`) because the ref's watch cannot reach the backend.
 * - `evict`: the least recently used entry was dropped for room; `expire`: an entry's ttl (reason `ttl`) or its
 *   stale window (reason `stale-window`) ended.
 * - `invalidate`: an entry was dropped by `invalidate`, `invalidateWhere`, or a not-found answer (reason `not-found`);
 *   `set`: an entry was put by the caller.
 * - `load`: an entry was read from the persisted file; `persist-rejected`: the file was tampered with, written
 *   with another key, foreign or corrupt, and was ignored; `persist-error`: the file could not be read or written.
 */
export type CacheEventType =
  | 'hit'
  | 'miss'
  | 'coalesced'
  | 'refresh'
  | 'refreshed'
  | 'refresh-failed'
  | 'stale'
  | 'evict'
  | 'expire'
  | 'invalidate'
  | 'set'
  | 'load'
  | 'persist-rejected'
  | 'persist-error';

/** One cache event. It never carries a value: only the cache key and, for some types, a short reason. */
export interface CacheEvent {
  /** What happened. */
  readonly type: CacheEventType;
  /** The cache key; `''` for events about the persisted file as a whole. */
  readonly key: string;
  /** Why, when there is more to say: a miss's cause, an error code, a rejected file's defect. */
  readonly reason?: string;
}
