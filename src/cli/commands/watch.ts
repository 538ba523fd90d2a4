/**
 * `rxs watch <ref>…`: one ndjson line per event on stdout: `change` (ref, version) when a new version is seen (the
 * first value too), `status` when a watch turns degraded, ok again, or ends (with the error code). Values only with
 * `--reveal`. Ends when every watch ended (exit code of the first permanent failure) or on SIGINT (130).
 * @module
 */
import { Command } from '@commander-js/extra-typings';
import { action } from '../action.js';
import type { WatchOptions } from '../actions/watch.js';

/** The `watch` command. */
export function watchCommand() {
  return new Command('watch')
    .description('print one ndjson line per change or status of the watched refs (never a value unless --reveal)')
    .argument('<refs...>', 'the secrets to watch')
    .option('--interval <duration>', 'poll interval, e.g. 30s (pushed changes need none)')
    .option('--reveal', 'include the value in change events')
    .action(
      action(async (context, refs: string[], options: WatchOptions) =>
        (await import('../actions/watch.js')).watch(context, refs, options),
      ),
    );
}
