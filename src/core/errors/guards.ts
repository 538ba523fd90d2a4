import type { AccessDeniedError } from './access-denied-error.js';
import type { ClosedError } from './closed-error.js';
import type { ConflictError } from './conflict-error.js';
import type { InvalidSecretRefError } from './invalid-secret-ref-error.js';
import type { KeyPathNotFoundError } from './key-path-not-found-error.js';
import type { LockedError } from './locked-error.js';
import type { PartialWriteError } from './partial-write-error.js';
import type { PromptDismissedError } from './prompt-dismissed-error.js';
import type { ProviderError } from './provider-error.js';
import type { ProviderUnavailableError } from './provider-unavailable-error.js';
import { ERROR_BRAND, type ErrorCode, type RxSecretsError } from './rxsecrets-error.js';
import type { SecretDecodeError } from './secret-decode-error.js';
import type { SecretDeletedError } from './secret-deleted-error.js';
import type { SecretDisabledError } from './secret-disabled-error.js';
import type { SecretNotFoundError } from './secret-not-found-error.js';
import type { ThrottledError } from './throttled-error.js';
import type { TimeoutError } from './timeout-error.js';
import type { ValidationError } from './validation-error.js';

/**
 * Whether `error` is an rxsecrets error (optionally of one code). Works across duplicate copies of the package,
 * where `instanceof` would fail, because it reads a brand from the global symbol registry.
 */
export function isRxSecretsError(error: unknown, code?: ErrorCode): error is RxSecretsError {
  if (typeof error !== 'object' || error === null) return false;
  const brand = (error as { [ERROR_BRAND]?: unknown })[ERROR_BRAND];
  return typeof brand === 'string' && (code === undefined || brand === code);
}

/** Whether trying the same call again later may succeed (throttling, timeouts, outages). */
export function isTransientError(error: unknown): boolean {
  return isRxSecretsError(error) && error.transient;
}

const guard =
  <T extends RxSecretsError>(code: ErrorCode) =>
  (error: unknown): error is T =>
    isRxSecretsError(error, code);

/** Guard for {@link SecretNotFoundError}. */
export const isSecretNotFoundError = guard<SecretNotFoundError>('SecretNotFound');
/** Guard for {@link AccessDeniedError}. */
export const isAccessDeniedError = guard<AccessDeniedError>('AccessDenied');
/** Guard for {@link LockedError}. */
export const isLockedError = guard<LockedError>('Locked');
/** Guard for {@link PromptDismissedError}. */
export const isPromptDismissedError = guard<PromptDismissedError>('PromptDismissed');
/** Guard for {@link ThrottledError}. */
export const isThrottledError = guard<ThrottledError>('Throttled');
/** Guard for {@link InvalidSecretRefError}. */
export const isInvalidSecretRefError = guard<InvalidSecretRefError>('InvalidSecretRef');
/** Guard for {@link ProviderUnavailableError}. */
export const isProviderUnavailableError = guard<ProviderUnavailableError>('ProviderUnavailable');
/** Guard for {@link TimeoutError}. */
export const isTimeoutError = guard<TimeoutError>('Timeout');
/** Guard for {@link ValidationError}. */
export const isValidationError = guard<ValidationError>('Validation');
/** Guard for {@link SecretDisabledError}. */
export const isSecretDisabledError = guard<SecretDisabledError>('SecretDisabled');
/** Guard for {@link SecretDeletedError}. */
export const isSecretDeletedError = guard<SecretDeletedError>('SecretDeleted');
/** Guard for {@link ConflictError}. */
export const isConflictError = guard<ConflictError>('Conflict');
/** Guard for {@link PartialWriteError}. */
export const isPartialWriteError = guard<PartialWriteError>('PartialWrite');
/** Guard for {@link KeyPathNotFoundError}. */
export const isKeyPathNotFoundError = guard<KeyPathNotFoundError>('KeyPathNotFound');
/** Guard for {@link SecretDecodeError}. */
export const isSecretDecodeError = guard<SecretDecodeError>('SecretDecode');
/** Guard for {@link ClosedError}. */
export const isClosedError = guard<ClosedError>('Closed');
/** Guard for {@link ProviderError}. */
export const isProviderError = guard<ProviderError>('Provider');
