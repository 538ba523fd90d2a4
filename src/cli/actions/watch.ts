/**
 * What `rxs watch` does (its options and help: commands/watch.ts), loaded only when the command runs.
 * @module
 */
import { catchError, distinctUntilChanged, EMPTY, filter, map, merge, type Observable, of, takeUntil } from 'rxjs';
import { parseSecretRef } from '../../index.js';
import type { CliContext } from '../context.js';
import { ExitCode, errorCodeOf, exitCodeOf, isAbort } from '../exit-codes.js';
import { valueText } from '../values.js';

/** The options of `rxs watch`, as commander parsed them. */
export interface WatchOptions {
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

/** Runs `rxs watch`; resolves to its exit code. */
export async function watch(context: CliContext, refs: string[], options: WatchOptions): Promise<number> {
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
