/**
 * Maps what the Key Vault SDK throws into the rxsecrets error hierarchy. Messages are built from the status and
 * Key Vault's error codes only: a service message may echo input, so it is never copied. The RestError (which
 * carries the request, value included, and the response) is kept only as a sanitized summary (`cause`).
 * @module
 */
import {
  AccessDeniedError,
  ConflictError,
  isRxSecretsError,
  ProviderError,
  ProviderUnavailableError,
  type RxSecretsErrorOptions,
  SecretDeletedError,
  SecretDisabledError,
  SecretNotFoundError,
  ThrottledError,
  ValidationError,
} from '../../../provider-kit/index.js';
import { innerErrorCode } from './call-scope.js';
import { retryAfterMs } from './retry-after.js';

/** What a failed call was about. */
export interface ErrorLabel {
  /** The provider's scheme. */
  readonly provider: string;
  /** The operation, e.g. `get`. */
  readonly operation: string;
  /** The ref, as text. */
  readonly ref?: string | undefined;
  /** The version asked for, if any. */
  readonly version?: string | undefined;
}

interface RestErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
  response?: { headers?: { get(name: string): string | undefined } };
}

function isRestErrorLike(error: unknown): error is RestErrorLike {
  return error instanceof Error && error.name === 'RestError';
}

/** The rxsecrets error for `error`; aborts and rxsecrets errors pass through unchanged. */
export function mapKeyVaultError(error: unknown, label: ErrorLabel): unknown {
  if (isRxSecretsError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const options: RxSecretsErrorOptions = {
    cause: error,
    provider: label.provider,
    ...(label.ref === undefined ? {} : { ref: label.ref }),
  };
  const subject = `${label.provider} ${label.operation}${label.ref === undefined ? '' : ` of ${label.ref}`}`;
  if (!isRestErrorLike(error)) {
    const kind = error instanceof Error ? error.name : typeof error;
    return new ProviderError(`${subject} failed (${kind})`, options);
  }
  const status = error.statusCode;
  const inner = innerErrorCode(error);
  const codes = [error.code, inner].filter((c): c is string => typeof c === 'string' && c.length > 0);
  const what = `${subject} failed: ${status ?? 'no response'}${codes.length > 0 ? ` ${codes.join('/')}` : ''}`;
  if (status === undefined) return new ProviderUnavailableError(`${what} (network)`, options);
  if (status === 404) {
    return new SecretNotFoundError(what, { ...options, ...(label.version ? { version: label.version } : {}) });
  }
  if (status === 403 && isDisabled(error, inner))
    return new SecretDisabledError(what, { ...options, reason: 'disabled' });
  if (status === 401 || status === 403) return new AccessDeniedError(what, options);
  if (status === 409) {
    if (inner === 'ObjectIsDeletedButRecoverable' || /deleted but recoverable/i.test(error.message)) {
      return new SecretDeletedError(`${what}: recover or purge it first`, options);
    }
    return new ConflictError(what, options);
  }
  const hint = retryAfterMs(error.response?.headers);
  if (status === 429 || (status === 503 && hint !== undefined)) {
    return new ThrottledError(what, { ...options, ...(hint === undefined ? {} : { retryAfterMs: hint }) });
  }
  if (status === 400) return new ValidationError(what, options);
  if (status === 408 || status >= 500) return new ProviderUnavailableError(what, options);
  return new ProviderError(what, options);
}

function isDisabled(error: RestErrorLike, inner: string | undefined): boolean {
  if (inner !== undefined) return inner === 'SecretDisabled';
  // A client built elsewhere may lack the policy that records the inner code: fall back on the message.
  return /disabled secret/i.test(error.message);
}
