/**
 * The Secret Service provider (`secretService`, scheme `secret-service:`) and the D-Bus layer under it: connection,
 * sessions, prompts, the Service / Collection / Item API and change signals. dbus-next is loaded when the first
 * connection opens, never at import.
 * @module
 */
export { Collection, type NewItem } from './collection.js';
export {
  type CallOptions,
  type ConnectionOptions,
  type MethodCall,
  SecretServiceConnection,
} from './connection.js';
export {
  DH_ALGORITHM,
  Interfaces,
  NO_OBJECT_PATH,
  PLAIN_ALGORITHM,
  SECRETS_BUS_NAME,
  SERVICE_PATH,
  type SessionAlgorithm,
} from './constants.js';
export type { PromptingOptions, SecretServiceContext } from './context.js';
export { type CallDescription, DBusErrorNames, dbusErrorName, mapDBusError } from './dbus-errors.js';
export type { DeleteObjectOptions } from './delete-object.js';
export { type GetSecretsResult, getSecrets } from './get-secrets.js';
export { type Attributes, Item, type ItemProperties } from './item.js';
export { type CollectionSpec, formatItemQuery, type ItemQuery, parseItemQuery } from './item-query.js';
export { changeLockState, type LockAction } from './locking.js';
export type { SignalRule } from './match-rule.js';
export { awaitPrompt, type PromptOptions, type PromptResult, runPrompt } from './prompt.js';
export type { SecretServiceProviderOptions } from './provider-options.js';
export { type SecretServiceProvider, secretService } from './secret-service-provider.js';
export { SecretBytes, type SecretInput } from './secret-value.js';
export { type SearchResult, SecretServiceClient, type SecretServiceClientOptions } from './service.js';
export { DEFAULT_CONTENT_TYPE, type OpenSessionOptions, SecretSession, type SecretStruct } from './session.js';
export {
  type CollectionEvent,
  type CollectionEventOptions,
  collectionEvents,
  dropEchoes,
  type EmittedEvent,
} from './signals.js';
