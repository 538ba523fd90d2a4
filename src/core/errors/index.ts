export { AccessDeniedError } from './access-denied-error.js';
export { ClosedError } from './closed-error.js';
export { ConflictError } from './conflict-error.js';
export * from './guards.js';
export { InvalidSecretRefError } from './invalid-secret-ref-error.js';
export { KeyPathNotFoundError, type KeyPathNotFoundErrorOptions } from './key-path-not-found-error.js';
export { LockedError } from './locked-error.js';
export { type NativeErrorMetadata, NativeErrorSummary } from './native-error-summary.js';
export { PartialWriteError, type PartialWriteErrorOptions } from './partial-write-error.js';
export { PromptDismissedError } from './prompt-dismissed-error.js';
export { ProviderError } from './provider-error.js';
export { ProviderUnavailableError, type ProviderUnavailableErrorOptions } from './provider-unavailable-error.js';
export { ERROR_BRAND, type ErrorCode, RxSecretsError, type RxSecretsErrorOptions } from './rxsecrets-error.js';
export { SecretDecodeError } from './secret-decode-error.js';
export { SecretDeletedError } from './secret-deleted-error.js';
export {
  SecretDisabledError,
  type SecretDisabledErrorOptions,
  type SecretDisabledReason,
} from './secret-disabled-error.js';
export { SecretNotFoundError, type SecretNotFoundErrorOptions } from './secret-not-found-error.js';
export { ThrottledError, type ThrottledErrorOptions } from './throttled-error.js';
export { TimeoutError } from './timeout-error.js';
export { ValidationError } from './validation-error.js';
