/**
 * What `rxs ls` does (its options and help: commands/ls.ts), loaded only when the command runs.
 * @module
 */
import { makeRef, type SecretInfo } from '../../index.js';
import type { CliContext } from '../context.js';
import { StatusLine } from '../status-line.js';
import { infoDocument } from '../values.js';

/** The options of `rxs ls`, as commander parsed them. */
export interface LsOptions {
  recursive?: boolean;
  limit?: number;
  versions?: boolean;
}

function lineOf(info: SecretInfo, versions: boolean): string {
  const ref = makeRef(info.ref.scheme, info.name).text;
  return versions ? `${ref}\t${info.version ?? ''}` : ref;
}

/** Runs `rxs ls`; resolves to its exit code. */
export async function ls(context: CliContext, prefix: string, options: LsOptions): Promise<number> {
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
