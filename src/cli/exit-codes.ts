/**
 * Exit codes of the command line, from `sysexits.h`, and how a typed error maps to one.
 * @module
 */
// The error modules alone, not the packages' entry points: `main` loads this module before any command runs, and
// the entry points would load the client and rxjs with it.
import { isConfigurationError } from '../auto/config-error.js';
import { isRxSecretsError, type RxSecretsError } from '../core/errors/index.js';

/** The exit codes `rxsecrets` uses (`run` adds GNU env's 125/126/127 and the child's own). */
export const ExitCode = {
  ok: 0,
  /** Anything not covered below. */
  failure: 1,
  /** EX_USAGE: bad usage or a malformed ref. */
  usage: 64,
  /** EX_DATAERR: a value that cannot be decoded, a validation failure, a conflict, a disabled secret. */
  data: 65,
  /** EX_NOINPUT: the secret (or the key inside it) does not exist. */
  notFound: 66,
  /** EX_UNAVAILABLE: the backend is unreachable or failed. */
  unavailable: 69,
  /** EX_TEMPFAIL: throttled, timed out; trying again later may work. */
  temporary: 75,
  /** EX_NOPERM: access denied, a locked keyring, a dismissed prompt. */
  denied: 77,
  /** EX_CONFIG: configuration missing (no vault URL, unreadable config file). */
  config: 78,
  /** Interrupted by SIGINT. */
  interrupted: 130,
} as const;

/** A usage error the command line detects itself (a bad flag value, a missing argument). */
export class UsageError extends Error {
  readonly code = 'Usage' as const;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const BY_CODE: Partial<Record<RxSecretsError['code'], number>> = {
  InvalidSecretRef: ExitCode.usage,
  SecretDecode: ExitCode.data,
  Validation: ExitCode.data,
  Conflict: ExitCode.data,
  SecretDisabled: ExitCode.data,
  PartialWrite: ExitCode.data,
  SecretNotFound: ExitCode.notFound,
  SecretDeleted: ExitCode.notFound,
  KeyPathNotFound: ExitCode.notFound,
  ProviderUnavailable: ExitCode.unavailable,
  Provider: ExitCode.unavailable,
  Throttled: ExitCode.temporary,
  Timeout: ExitCode.temporary,
  AccessDenied: ExitCode.denied,
  Locked: ExitCode.denied,
  PromptDismissed: ExitCode.denied,
};

/** Whether `error` is the abort of an operation (SIGINT). */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}

/** The exit code for an error a command failed with. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.usage;
  if (isConfigurationError(error)) return ExitCode.config;
  if (isAbort(error)) return ExitCode.interrupted;
  if (isRxSecretsError(error)) {
    if (error.code === 'Provider' && /region is missing|could not load credentials/i.test(describeCause(error))) {
      return ExitCode.config;
    }
    return BY_CODE[error.code] ?? ExitCode.failure;
  }
  return ExitCode.failure;
}

function describeCause(error: Error): string {
  const parts: string[] = [error.message];
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    parts.push(cause.message);
    cause = cause.cause;
  }
  return parts.join(' | ');
}

/** The code shown for an error (`SecretNotFound`, `Usage`, `Configuration`…). */
export function errorCodeOf(error: unknown): string {
  if (isAbort(error)) return 'Interrupted';
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z][A-Za-z]+$/.test(code) ? code : 'Error';
}

/** An error as one JSON object (code, message, ref, provider, exit code): never a value. */
export function errorDocument(error: unknown): Record<string, unknown> {
  const base = error instanceof Error ? error : new Error(String(error));
  const { ref, provider } = base as { ref?: unknown; provider?: unknown };
  return {
    error: {
      code: errorCodeOf(error),
      message: base.message,
      ...(typeof ref === 'string' ? { ref } : {}),
      ...(typeof provider === 'string' ? { provider } : {}),
    },
    exitCode: exitCodeOf(error),
  };
}
