import type { Observable } from 'rxjs';
import type { BatchLoader } from './batch-loader.js';
import type { CallContext, SecretProvider } from './provider.js';
import type { ProviderCall } from './provider-call.js';
import { type SecretRef, withoutKeyPath } from './ref.js';
import type { Secret } from './secret.js';
import type { WatchEngine } from './watch/watch-engine.js';

/** What the client keeps per registered provider. */
export interface ProviderEntry {
  readonly provider: SecretProvider;
  readonly call: ProviderCall;
  readonly loader: BatchLoader | undefined;
  engine: WatchEngine | undefined;
}

/** A parsed and validated ref, with its provider and the ref of its cache entry. */
export interface Resolved {
  readonly ref: SecretRef;
  /** The ref without its key path: what is fetched and cached. */
  readonly base: SecretRef;
  readonly entry: ProviderEntry;
  /** One `provider.get` of `base`, made once per ref rather than per read. */
  readonly fetch: () => Observable<Secret>;
}

/** Builds the {@link Resolved} of a parsed, validated ref: its fetch is made once per ref, not per read. */
export function resolvedRef(ref: SecretRef, entry: ProviderEntry): Resolved {
  const base = withoutKeyPath(ref);
  const run = (ctx: CallContext) => entry.provider.get(base, ctx);
  return { ref, base, entry, fetch: () => entry.call('get', run, base) };
}
