/**
 * What a provider builds on, and the only core entry point the bundled providers import: the provider interface,
 * the call context and host (the client's retries, timeouts, events and close for a provider's own operations),
 * listing helpers, refs, secrets, durations, option checking and the error hierarchy. Third-party providers use it
 * the same way (`import { … } from 'rxsecrets/provider-kit'`).
 *
 * @example
 * import { type SecretProvider, ProviderBinding, SecretNotFoundError } from 'rxsecrets/provider-kit';
 * @packageDocumentation
 */
export { abortableDelay, fromAbortable, UnsubscribedAbort } from '../core/abortable.js';
export { type Duration, toMilliseconds } from '../core/durations.js';
export * from '../core/errors/index.js';
export type { Fleet, FleetEvent, FleetGroup, FleetMessage, FleetTable } from '../core/fleet/fleet.js';
export { formatKeyPath, type KeyPathSegment, parseKeyPath } from '../core/key-path.js';
export { createListing, type FetchPage, type ListingOptions, type SecretListing } from '../core/listing.js';
export type { OperationOptions } from '../core/operation-options.js';
export { failOnAbort } from '../core/operators/fail-on-abort.js';
export {
  anyObject,
  anything,
  bool,
  CALL_SPEC,
  checkOptions,
  DELETE_SPEC,
  date,
  duration,
  either,
  func,
  isPlainObject,
  LIST_SPEC,
  mergeSpecs,
  nested,
  num,
  type OptionRule,
  type OptionSpec,
  observable,
  oneOf,
  RETRY_SPEC,
  SET_SPEC,
  signal,
  str,
  stringMap,
} from '../core/options/index.js';
export type {
  CallContext,
  ChangeDetection,
  ChangeHint,
  DeleteOptions,
  HeldFleetToken,
  ListOptions,
  OperationState,
  Page,
  ProbeResult,
  ProviderCapabilities,
  ProviderDeleteOptions,
  ProviderListOptions,
  ProviderOptionRules,
  ProviderSetOptions,
  SecretProvider,
  SetOptions,
  WrittenSecret,
} from '../core/provider.js';
export { ProviderBinding } from '../core/provider-binding.js';
export type { HostCallOptions, ProviderHost } from '../core/provider-host.js';
export { type RefParts, refForProvider } from '../core/provider-ref.js';
export {
  latestOf,
  makeRef,
  parseSecretPrefix,
  parseSecretRef,
  type SecretRef,
  withoutKeyPath,
} from '../core/ref.js';
export {
  type CallLabel,
  type ResolvedRetryOptions,
  type RetryListener,
  type RetryOptions,
  resolveRetryOptions,
  withRetry,
} from '../core/retry.js';
export {
  isSecret,
  type JsonValue,
  Secret,
  type SecretInfo,
  type SecretInfoInit,
  type SecretValue,
  secretInfo,
} from '../core/secret.js';
