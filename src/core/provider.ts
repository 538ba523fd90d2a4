import type { Observable } from 'rxjs';
import type { Duration } from './durations.js';
import type { OptionSpec } from './options/option-rules.js';
import type { ProviderHost } from './provider-host.js';
import type { SecretRef } from './ref.js';
import type { RetryOptions } from './retry.js';
import type { Secret, SecretInfo } from './secret.js';

/** What every provider call receives. */
export interface CallContext {
  /**
   * Aborts when the caller unsubscribes, the attempt times out or the client closes. Pass it to every I/O
   * (the AWS SDK's `abortSignal`, Azure's `abortSignal`, a D-Bus call's cancel).
   */
  readonly signal: AbortSignal;
}

/** How a provider learns that secrets changed. */
export type ChangeDetection =
  /** Only by probing versions: the watch engine polls. */
  | 'poll'
  /** The change feed reports every change: no polling at all. */
  | 'push'
  /** The change feed reports most changes; the engine still polls, to catch the rest. */
  | 'push+poll';

/** What a provider can do; the core plans batching, concurrency and watching from it. */
export interface ProviderCapabilities {
  /** Most refs one `getMany` call takes (10 for SSM `GetParameters`, 20 for `BatchGetSecretValue`). Default 1. */
  readonly maxBatchGet?: number;
  /** Most refs one `probe` call takes; `Infinity` when one call covers any number (a Key Vault sweep). */
  readonly maxBatchProbe: number;
  /** How many calls the core may run at once against this backend (chunks of a getMany, values of a listing). */
  readonly maxConcurrency?: number;
  /** How changes are detected. */
  readonly changeDetection: ChangeDetection;
  /** The poll interval when a watch names none. */
  readonly defaultPollInterval?: Duration;
}

/**
 * Provider-specific listing options. Empty here: each provider adds its own keys by declaration merging
 * (`declare module 'rxsecrets/provider-kit' { interface ProviderListOptions { … } }`), and checks them at run time
 * through {@link SecretProvider.optionRules}.
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by providers through declaration merging
export interface ProviderListOptions {}

/** Provider-specific write options, added by each provider (see {@link ProviderListOptions}). */
// biome-ignore lint/suspicious/noEmptyInterface: extended by providers through declaration merging
export interface ProviderSetOptions {}

/** Provider-specific delete options, added by each provider (see {@link ProviderListOptions}). */
// biome-ignore lint/suspicious/noEmptyInterface: extended by providers through declaration merging
export interface ProviderDeleteOptions {}

/** Options of a listing; providers document which they honour. */
export interface ListOptions extends ProviderListOptions {
  /** Descend into sub-paths (SSM `Recursive`); providers with flat names ignore it. */
  readonly recursive?: boolean;
  /** Items per page asked of the backend (clamped to the backend's limit). */
  readonly pageSize?: number;
  /**
   * The caller wants values too. A provider whose listing call can carry them (SSM `GetParametersByPath`) may return
   * Secrets in its pages; otherwise the core reads each page's values in batches.
   */
  readonly withValues?: boolean;
}

/** One page of a listing. */
export interface Page<T> {
  /** The items of this page (may be empty even when more pages follow). */
  readonly items: readonly T[];
  /** The cursor of the next page, or undefined on the last page. */
  readonly next: string | undefined;
}

/** Options of a write. Providers document which they honour. */
export interface SetOptions extends ProviderSetOptions {
  /** The MIME type to store with the value, where the backend stores one. */
  readonly contentType?: string;
  /** Tags (AWS, Key Vault) or attributes (Secret Service). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Fail with a ConflictError instead of writing a new version when the secret exists. */
  readonly ifNotExists?: boolean;
  /** An idempotency token (Secrets Manager `ClientRequestToken`). */
  readonly clientToken?: string;
}

/** Options of a delete. */
export interface DeleteOptions extends ProviderDeleteOptions {
  /** Delete at once, with no recovery (Secrets Manager force delete, Key Vault purge after delete). */
  readonly force?: boolean;
  /** How long a soft-deleted secret stays recoverable, where the backend lets the caller choose. */
  readonly recoveryWindow?: Duration;
}

/** The run-time rules of a provider's own option keys per operation, checked with the common ones. */
export interface ProviderOptionRules {
  readonly set?: OptionSpec;
  readonly delete?: OptionSpec;
  readonly list?: OptionSpec;
}

/** The state of a long operation (a delete poller, a prompt), as emitted by its progress stream. */
export interface OperationState {
  /** A short status word: `'started'`, `'deleting'`, `'deleted'`, `'prompting'`… */
  readonly status: string;
  /** True in the last state, when the operation is complete. */
  readonly done: boolean;
  /** Provider-specific details (never a value). */
  readonly [detail: string]: unknown;
}

/**
 * What a version probe found for one ref: a version token, or the error for that ref alone. `fleetToken` is for
 * providers whose `version` depends on what this instance has read (Key Vault maps a listing's `updatedOn` to the
 * version it read): the token a fleet leader publishes instead, the same on every instance (see
 * {@link SecretProvider.heldFleetToken}).
 */
export type ProbeResult = { readonly version: string; readonly fleetToken?: string } | { readonly error: unknown };

/** What a provider holds for a ref, in fleet terms: see {@link SecretProvider.heldFleetToken}. */
export interface HeldFleetToken {
  /** The fleet token of the version this instance last read. */
  readonly fleetToken: string;
  /** What this instance's probe would answer while the published token equals `fleetToken`. */
  readonly version: string;
}

/** What a provider's change feed reports: these names (or, without names, anything) may have changed. */
export interface ChangeHint {
  /** The names that changed; undefined means "anything may have changed: probe every watched ref". */
  readonly names?: readonly string[];
}

/** The result of a single write. */
export type WrittenSecret = SecretInfo;

/**
 * The small surface a backend implements; the core owns caching, retries, timeouts, batching, listing streams,
 * watching and transforms. Methods return Promises and honour `ctx.signal`; errors are mapped into the rxsecrets
 * error hierarchy (`transient` on those worth retrying), keeping the native error as `cause`.
 *
 * A user can write their own provider: see the memory provider for a complete small example.
 */
export interface SecretProvider {
  /** The ref scheme this provider serves, e.g. `'aws-ssm'`. */
  readonly scheme: string;
  /** What this provider can do. */
  readonly capabilities: ProviderCapabilities;
  /**
   * Which backend this provider talks to, for fleet coordination: instances whose providers have the same scheme and
   * identity share one leader (an AWS region and endpoint, a vault URL). Optional: a provider without one (a desktop
   * keyring, an in-process store) is always watched locally.
   */
  readonly identity?: string | undefined;
  /**
   * Narrows the client's retry policy for this provider's calls (fewer retries, shorter timeouts). Optional.
   */
  readonly retry?: RetryOptions | undefined;
  /** The provider's own option keys per operation, checked at run time with the common ones. Optional. */
  readonly optionRules?: ProviderOptionRules;
  /**
   * Called once when the provider is registered with a client: the host runs the provider's own operations
   * through the client's pipeline (retries, timeouts, events, close). Optional: providers without operations of
   * their own need no host.
   */
  attach?(host: ProviderHost): void;
  /** Throws an InvalidSecretRefError when the ref cannot name a secret of this backend. */
  validateRef(ref: SecretRef): void;
  /** Reads one secret (the ref's version, or the current one). Missing → SecretNotFoundError. */
  get(ref: SecretRef, ctx: CallContext): Promise<Secret>;
  /**
   * Reads up to `capabilities.maxBatchGet` secrets in one backend call. The result is aligned with `refs`: a
   * Secret, or the error for that ref alone. Optional: without it the core calls `get` per ref.
   */
  getMany?(refs: readonly SecretRef[], ctx: CallContext): Promise<ReadonlyArray<Secret | Error>>;
  /** Fetches one page of the secrets whose names start with `prefix.name`. */
  listPage(
    prefix: SecretRef,
    options: ListOptions,
    cursor: string | undefined,
    ctx: CallContext,
  ): Promise<Page<SecretInfo>>;
  /** Writes a value (a new version, or a new secret). Values are text or bytes: the core serialises JSON. */
  set(ref: SecretRef, value: string | Uint8Array, options: SetOptions, ctx: CallContext): Promise<WrittenSecret>;
  /** Deletes a secret. Missing → SecretNotFoundError. */
  delete(ref: SecretRef, options: DeleteOptions, ctx: CallContext): Promise<void>;
  /**
   * Deletes a secret where deletion takes time (a Key Vault delete poller): a cold Observable of the operation's
   * states that completes when it is done and stops polling when unsubscribed. Optional: when present the core
   * uses it instead of `delete` to stream progress.
   */
  beginDelete?(ref: SecretRef, options: DeleteOptions): Observable<OperationState>;
  /** Whether the secret exists. Optional: without it the core reads the secret. */
  exists?(ref: SecretRef, ctx: CallContext): Promise<boolean>;
  /**
   * Finds the current version token of up to `capabilities.maxBatchProbe` refs as cheaply as the backend allows
   * (metadata, not values). Aligned with `refs`; a missing secret is a SecretNotFoundError in its slot.
   */
  probe(refs: readonly SecretRef[], ctx: CallContext): Promise<readonly ProbeResult[]>;
  /**
   * For providers whose probes answer `fleetToken`s: the token of what this instance last read of `ref`, and the
   * version its probe answers while the fleet's published token still equals it; undefined when it read nothing.
   * A fleet follower compares the published token with it instead of with the versions it read.
   */
  heldFleetToken?(ref: SecretRef): HeldFleetToken | undefined;
  /** The backend's own change notifications (D-Bus signals). Optional; hot; never completes until close. */
  changes?(): Observable<ChangeHint>;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}
