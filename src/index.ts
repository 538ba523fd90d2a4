/**
 * rxsecrets: one reactive, async-first way to read, write, list and watch secrets.
 *
 * The root module loads no backend SDK: AWS, Azure and D-Bus providers live in their own subpath exports
 * (`rxsecrets/aws`, `rxsecrets/azure`, `rxsecrets/secret-service`).
 * @packageDocumentation
 */
export type { CacheEvent, CacheEventType } from './core/cache/cache-event.js';
export type { CacheOptions, PersistOptions } from './core/cache/cache-options.js';
export { type Duration, toMilliseconds } from './core/durations.js';
export * from './core/errors/index.js';
export type { Fleet, FleetEvent, FleetGroup, FleetMessage, FleetTable } from './core/fleet/fleet.js';
export { formatKeyPath, type KeyPathSegment, parseKeyPath } from './core/key-path.js';
export type { ListingOptions, SecretListing } from './core/listing.js';
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
  SecretProvider,
  SetOptions,
  WrittenSecret,
} from './core/provider.js';
export { latestOf, makeRef, parseSecretPrefix, parseSecretRef, type SecretRef, withoutKeyPath } from './core/ref.js';
export type { RetryOptions } from './core/retry.js';
export {
  isSecret,
  type JsonValue,
  Secret,
  type SecretInfo,
  type SecretInfoInit,
  type SecretValue,
  secretInfo,
} from './core/secret.js';
export { createSecrets } from './core/secrets.js';
export type { Secrets } from './core/secrets-api.js';
export type {
  GetOptions,
  RetryEvent,
  SecretResult,
  SecretsEvent,
  SecretsOptions,
  WatchSecretOptions,
} from './core/secrets-options.js';
export { applyTransform, type Transform } from './core/transforms.js';
export type { WatchEvent, WatchStatus } from './core/watch/watch-event.js';
export type { WatchOptions } from './core/watch/watch-options.js';
export {
  type MemoryProvider,
  type MemoryProviderOptions,
  type MemoryPutOptions,
  type MemoryStats,
  MemoryStore,
  type MemoryVersion,
  memoryProvider,
} from './providers/memory/index.js';
