/**
 * The change loop of `run --watch` and `inject --watch`: every emission of the watched refs asks for one call of
 * `onChange`, calls run one at a time, and emissions while a call is already queued are coalesced into it.
 * @module
 */
import { merge, type Subscription } from 'rxjs';
import type { Secrets, WatchOptions } from '../index.js';

/**
 * Watches `refs` and calls `onChange` after each emission, the first ones too (a rotation may land between a
 * command's first read and the watch's start: a fresh read in `onChange` decides whether anything changed).
 * `onError` gets the error that ended a watch.
 */
export function watchChanges(
  secrets: Secrets,
  refs: readonly string[],
  options: WatchOptions,
  onChange: () => Promise<void>,
  onError: (error: unknown) => void,
): Subscription {
  let queue = Promise.resolve();
  let queued = false;
  return merge(...refs.map((ref) => secrets.watch(ref, options))).subscribe({
    next: () => {
      if (queued) return;
      queued = true;
      queue = queue.then(() => {
        queued = false;
        return onChange();
      });
    },
    error: onError,
  });
}
