import {
  AccessDeniedError,
  ConflictError,
  InvalidSecretRefError,
  isRxSecretsError,
  ProviderError,
  ProviderUnavailableError,
  type RxSecretsError,
  SecretDeletedError,
  SecretNotFoundError,
  ThrottledError,
  ValidationError,
} from '../../../provider-kit/index.js';

/** What a failed AWS call was about, for the mapped error's message and fields. */
export interface AwsCallLabel {
  /** The provider's scheme. */
  readonly scheme: string;
  /** What the provider was doing (`get`, `set`, `probe`…). */
  readonly operation: string;
  /** The ref as text, if the call was about one secret. */
  readonly ref?: string | undefined;
  /** The version, stage or label asked for, if any. */
  readonly version?: string | undefined;
}

const NOT_FOUND = new Set(['ParameterNotFound', 'ResourceNotFoundException']);
const VERSION_NOT_FOUND = new Set(['ParameterVersionNotFound']);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'NotAuthorized',
  'CredentialsProviderError',
  'DecryptionFailure',
  'KMSAccessDeniedException',
]);
/** Errors that mean "your credentials are stale": refresh them once and try again. */
const CREDENTIALS_EXPIRED = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'TooManyUpdates',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'RequestThrottledException',
]);
const UNAVAILABLE = new Set([
  'InternalServerError',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);
const CONFLICT = new Set(['ParameterAlreadyExists', 'ResourceExistsException', 'PreconditionNotMetException']);
const BAD_NAME = new Set(['HierarchyLevelLimitExceededException', 'HierarchyTypeMismatchException']);
const VALIDATION = new Set([
  'ValidationException',
  'InvalidParameterException',
  'InvalidParameterValue',
  'InvalidRequestException',
  'ParameterPatternMismatchException',
  'UnsupportedParameterType',
  'ParameterLimitExceeded',
  'ParameterMaxVersionLimitExceeded',
  'InvalidKeyId',
  'InvalidNextToken',
  'InvalidNextTokenException',
  'InvalidFilterKey',
  'InvalidFilterOption',
  'InvalidFilterValue',
  'InvalidAllowedPatternException',
  'LimitExceededException',
  'MalformedPolicyDocumentException',
  'EncryptionFailure',
  'SerializationException',
]);

/** The AWS error code of an SDK error (`error.name`), or of a batch's per-item error entry. */
export function awsErrorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const e = error as { name?: unknown; Code?: unknown; __type?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e.__type === 'string' ? e.__type : 'Error';
}

/** Whether the error means the credentials are stale (worth one refresh and retry). */
export function isCredentialExpiry(error: unknown): boolean {
  return CREDENTIALS_EXPIRED.has(awsErrorCode(error));
}

/**
 * Whether an `InvalidRequestException` says the secret is scheduled for deletion. AWS gives no distinct code, and
 * its wording varies ("…because it was marked for deletion", the API reference's "…a secret that's currently marked
 * deleted", "scheduled for deletion"): all of them are accepted.
 */
function isMarkedForDeletion(error: unknown): boolean {
  const message = (error as { message?: unknown; Message?: unknown } | null) ?? {};
  const text = String(message.message ?? message.Message ?? '');
  return /\b(marked|scheduled)\s+(for\s+)?delet(ed|ion)\b/i.test(text);
}

function isServerOrNetwork(error: unknown): boolean {
  const e = error as { $fault?: unknown; $metadata?: { httpStatusCode?: number }; code?: unknown; cause?: unknown };
  const status = e.$metadata?.httpStatusCode;
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) return true;
  const code = typeof e.code === 'string' ? e.code : (e.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/**
 * Maps an AWS SDK error (or a batch's per-item error entry) into the rxsecrets hierarchy, keeping it as `cause`.
 * The message names the AWS error code and the ref, never the native message (which may echo a value); the cause
 * is a sanitized summary of the SDK error (no message, no `$response`).
 */
export function mapAwsError(error: unknown, label: AwsCallLabel): RxSecretsError {
  if (isRxSecretsError(error)) return error;
  const code = awsErrorCode(error);
  const where = `${label.scheme} ${label.operation}${label.ref === undefined ? '' : ` of ${label.ref}`}`;
  const options = {
    cause: error,
    provider: label.scheme,
    ...(label.ref === undefined ? {} : { ref: label.ref }),
  };
  if (NOT_FOUND.has(code) || VERSION_NOT_FOUND.has(code)) {
    const versioned = VERSION_NOT_FOUND.has(code) || label.version !== undefined;
    return new SecretNotFoundError(
      `${where}: ${versioned && label.version !== undefined ? `version '${label.version}' ` : ''}not found (${code})`,
      { ...options, ...(versioned && label.version !== undefined ? { version: label.version } : {}) },
    );
  }
  if (code === 'InvalidRequestException' && isMarkedForDeletion(error)) {
    return new SecretDeletedError(
      `${where}: the secret is scheduled for deletion; restore it first (${code})`,
      options,
    );
  }
  if (ACCESS_DENIED.has(code)) return new AccessDeniedError(`${where}: access denied (${code})`, options);
  if (THROTTLED.has(code)) return new ThrottledError(`${where}: throttled by AWS (${code})`, options);
  if (CONFLICT.has(code)) return new ConflictError(`${where}: conflicts with the current state (${code})`, options);
  if (BAD_NAME.has(code)) return new InvalidSecretRefError(`${where}: AWS refused the name (${code})`, options);
  if (VALIDATION.has(code)) return new ValidationError(`${where}: AWS refused the request (${code})`, options);
  if (UNAVAILABLE.has(code) || isServerOrNetwork(error)) {
    return new ProviderUnavailableError(`${where}: AWS is unavailable (${code})`, options);
  }
  const setup = setupProblem(error);
  if (setup !== undefined) return new ProviderError(`${where} failed: ${setup} (${code})`, options);
  return new ProviderError(`${where} failed (${code})`, options);
}

/**
 * What is missing when the SDK could not even send the call (no region, no credentials), in our words: the native
 * message is not kept (see NativeErrorSummary), and these two never quote a value.
 */
function setupProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (/region is missing/i.test(error.message))
    return 'the AWS region is missing (set region, AWS_REGION or a profile)';
  if (error.name === 'CredentialsProviderError' || /could not load credentials/i.test(error.message)) {
    return 'could not load credentials (none in the environment, profile or instance metadata)';
  }
  return undefined;
}
