/**
 * What `rxs versions` does (its options and help: commands/versions.ts), loaded only when the command runs.
 * @module
 */
import { parseSecretRef, type SecretInfo, type SecretListing } from '../../index.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { infoDocument } from '../values.js';

interface VersionedProvider {
  versions(ref: string, options: { signal: AbortSignal }): SecretListing<SecretInfo>;
}

/** Runs `rxs versions`; resolves to its exit code. */
export async function versions(context: CliContext, input: string): Promise<number> {
  const ref = parseSecretRef(input);
  const provider = context.secrets.provider(ref.scheme) as unknown as Partial<VersionedProvider>;
  if (typeof provider.versions !== 'function') {
    throw new UsageError(`the provider of '${ref.scheme}:' keeps no versions`);
  }
  const all: Record<string, unknown>[] = [];
  for await (const page of provider.versions(ref.text, { signal: context.signal }).pages()) {
    if (context.json) all.push(...page.map(infoDocument));
    else if (context.ndjson)
      await context.out.write(page.map((info) => `${JSON.stringify(infoDocument(info))}\n`).join(''));
    else {
      const lines = page.map((info) => `${info.version ?? ''}\t${info.createdAt?.toISOString() ?? ''}\n`);
      await context.out.write(lines.join(''));
    }
    if (context.out.closed) break;
  }
  if (context.json) await context.out.line(JSON.stringify(all));
  return 0;
}
