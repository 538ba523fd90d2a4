/**
 * `rxs ls <prefix>`: streams a listing page by page as it arrives. When stdout's reader goes away (`| head -1`)
 * paging stops; on a TTY a status line on stderr counts pages, items and time.
 * @module
 */
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { makeRef, type SecretInfo } from '../../index.js';
import { action } from '../action.js';
import type { CliContext } from '../context.js';
import { StatusLine } from '../status-line.js';
import { infoDocument } from '../values.js';

interface LsOptions {
  recursive?: boolean;
  limit?: number;
  versions?: boolean;
}

/** Parses a positive integer option value. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive integer');
  return number;
}

function lineOf(info: SecretInfo, versions: boolean): string {
  const ref = makeRef(info.ref.scheme, info.name).text;
  return versions ? `${ref}\t${info.version ?? ''}` : ref;
}

async function ls(context: CliContext, prefix: string, options: LsOptions): Promise<number> {
  const listing = context.secrets.list(prefix, {
    ...(options.recursive ? { recursive: true } : {}),
    signal: context.signal,
  });
  const status = new StatusLine();
  const started = Date.now();
  const all: Record<string, unknown>[] = [];
  let pages = 0;
  let items = 0;
  let probed = false;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  try {
    for await (const page of listing.pages()) {
      pages++;
      const take = page.slice(0, limit - items);
      items += take.length;
      if (context.json) all.push(...take.map(infoDocument));
      else {
        const text = context.ndjson
          ? take.map((info) => `${JSON.stringify(infoDocument(info))}\n`).join('')
          : take.map((info) => `${lineOf(info, options.versions === true)}\n`).join('');
        // after the first page with items, wait until the reader took it (or left: `| head -1`) before asking for more
        if (!probed && text !== '' && items < limit) {
          probed = true;
          await context.out.writeAndProbe(text);
        } else await context.out.write(text);
      }
      status.update(
        `ls ${prefix}: ${pages} page${pages === 1 ? '' : 's'}, ${items} items, ${((Date.now() - started) / 1000).toFixed(1)}s`,
      );
      // a closed stdout (`| head -1`) or the limit ends the listing: no further page is asked for
      if (context.out.closed || items >= limit) break;
    }
  } finally {
    status.clear();
  }
  if (context.json) await context.out.line(JSON.stringify(all));
  return 0;
}

/** The `ls` command. */
export function lsCommand() {
  return new Command('ls')
    .description('list the secrets under a prefix (scheme: or scheme:prefix), streamed page by page')
    .argument('<prefix>', "a prefix like aws-ssm:/prod/ or 'azure-kv:'")
    .option('-r, --recursive', 'include nested paths (Parameter Store)')
    .option('--limit <n>', 'stop after n secrets', positiveInteger)
    .option('--versions', 'print the current version beside each ref')
    .action(action((context, prefix: string, options: LsOptions) => ls(context, prefix, options)));
}
