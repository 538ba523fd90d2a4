import type { Observable, Observer, Unsubscribable } from 'rxjs';
import type { CallLabel } from './attempt.js';
import type { BatchLoader } from './batch-loader.js';
import type { FetchSource } from './cache/in-flight.js';
import type { FleetMember } from './fleet/fleet-member.js';
import type { CallContext, SecretProvider } from './provider.js';
import type { CallJob, ProviderCall } from './provider-call.js';
import { type SecretRef, withoutKeyPath } from './ref.js';
import type { Secret } from './secret.js';
import type { WatchEngine } from './watch/watch-engine.js';

/** What the client keeps per registered provider. */
export interface ProviderEntry {
  readonly provider: SecretProvider;
  readonly call: ProviderCall;
  readonly loader: BatchLoader | undefined;
  engine: WatchEngine | undefined;
  /** The provider's part in the client's fleet, once its watch engine exists (providers with an identity). */
  member?: FleetMember | undefined;
}

/**
 * A parsed and validated ref, with its provider and the ref of its cache entry. It is also the source of its cache
 * misses: `provider.get(base)` as a job of the provider's call (retries, timeouts, abort), started straight into the
 * cache's observer. One object per ref, and no Observable, closure or label per read.
 */
export class Resolved implements FetchSource, CallJob<Secret> {
  readonly ref: SecretRef;
  /** The ref without its key path: what is fetched and cached. */
  readonly base: SecretRef;
  readonly entry: ProviderEntry;
  /** The client's `get` of this ref with default options, made on its first read and reused by later ones. */
  reads: Observable<Secret> | undefined;
  #label: CallLabel | undefined;

  constructor(ref: SecretRef, entry: ProviderEntry) {
    this.ref = ref;
    this.base = withoutKeyPath(ref);
    this.entry = entry;
  }

  /** Made when first asked for: a call that succeeds at once never reads it. */
  get label(): CallLabel {
    this.#label ??= { provider: this.entry.provider.scheme, operation: 'get', ref: this.base.text };
    return this.#label;
  }

  /** The same ref, with its misses run through `call` (a per-call retry policy). */
  withCall(call: ProviderCall): Resolved {
    if (call === this.entry.call) return this;
    return new Resolved(this.ref, { ...this.entry, call });
  }

  run(ctx: CallContext): Promise<Secret> {
    return this.entry.provider.get(this.base, ctx);
  }

  subscribe(observer: Observer<Secret>): Unsubscribable {
    return this.entry.call.start(this, observer);
  }
}
