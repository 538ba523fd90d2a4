/**
 * `rxs watch <ref>…`: one ndjson line per event on stdout: `change` (ref, version) when a new version is seen (the
 * first value too), `status` when a watch turns degraded, ok again, or ends (with the error code). Values only with
 * `--reveal`. Ends when every watch ended (exit code of the first permanent failure) or on SIGINT (130).
 * @module
 */
import { Command } from '@commander-js/extra-typings';
import { catchError, distinctUntilChanged, EMPTY, filter, map, merge, type Observable, of, takeUntil } from 'rxjs';
import { parseSecretRef } from '../../index.js';
import { action } from '../action.js';
import type { CliContext } from '../context.js';
import { ExitCode, errorCodeOf, exitCodeOf, isAbort } from '../exit-codes.js';
import { valueText } from '../values.js';

interface WatchOptions {
  interval?: string;
  reveal?: boolean;
}

type WatchLine = Record<string, unknown>;

function watchOne(context: CliContext, ref: string, options: WatchOptions, failures: unknown[]): Observable<WatchLine> {
  const watchOptions = {
    signal: context.signal,
    ...(options.interval === undefined ? {} : { interval: options.interval as never }),
  };
  const changes: Observable<WatchLine> = context.secrets.watch(ref, watchOptions).pipe(
    map((secret) => ({
      type: 'change',
      ref,
      version: secret.version,
      at: new Date().toISOString(),
      ...(options.reveal ? { value: valueText(secret) } : {}),
    })),
    catchError((error: unknown) => {
      if (isAbort(error) || context.signal.aborted) return EMPTY;
      failures.push(error);
      return of({ type: 'status', ref, state: 'ended', error: errorCodeOf(error), at: new Date().toISOString() });
    }),
  );
  const ended = changes.pipe(filter((line) => line.type === 'status'));
  const statuses: Observable<WatchLine> = context.secrets.watchStatus(ref).pipe(
    filter((status) => status.state === 'degraded' || status.state === 'ok'),
    map((status) => ({
      type: 'status',
      ref,
      state: status.state,
      ...(status.state === 'degraded' ? { error: errorCodeOf(status.lastError) } : {}),
      at: new Date().toISOString(),
    })),
    distinctUntilChanged((a, b) => a.state === b.state),
    filter((line, index) => index > 0 || line.state !== 'ok'),
    takeUntil(ended),
  );
  return merge(changes, statuses);
}

async function watch(context: CliContext, refs: string[], options: WatchOptions): Promise<number> {
  const parsed = refs.map((ref) => parseSecretRef(ref).text);
  const failures: unknown[] = [];
  await new Promise<void>((resolve) => {
    const subscription = merge(...parsed.map((ref) => watchOne(context, ref, options, failures))).subscribe({
      next: (line) => {
        // a reader that went away (`| head -1`) ends the watch, as SIGINT does
        void context.out.json(line).then(() => {
          if (context.out.closed) {
            subscription.unsubscribe();
            resolve();
          }
        });
      },
      complete: resolve,
    });
    context.signal.addEventListener('abort', () => {
      subscription.unsubscribe();
      resolve();
    });
  });
  if (context.signal.aborted) return ExitCode.interrupted;
  if (context.out.closed) return ExitCode.ok;
  return failures.length > 0 ? exitCodeOf(failures[0]) : ExitCode.ok;
}

/** The `watch` command. */
export function watchCommand() {
  return new Command('watch')
    .description('print one ndjson line per change or status of the watched refs (never a value unless --reveal)')
    .argument('<refs...>', 'the secrets to watch')
    .option('--interval <duration>', 'poll interval, e.g. 30s (pushed changes need none)')
    .option('--reveal', 'include the value in change events')
    .action(action((context, refs: string[], options: WatchOptions) => watch(context, refs, options)));
}
