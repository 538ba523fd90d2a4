import { sanitizeCause } from './native-error-summary.js';

/** The brand every rxsecrets error carries, shared through the global symbol registry so that guards
 * recognise errors thrown by another copy of the package (two versions in one dependency tree). */
export const ERROR_BRAND: unique symbol = Symbol.for('rxsecrets.error') as never;

/** Machine-readable error codes, one per error class. */
export type ErrorCode =
  | 'SecretNotFound'
  | 'AccessDenied'
  | 'Locked'
  | 'PromptDismissed'
  | 'Throttled'
  | 'InvalidSecretRef'
  | 'ProviderUnavailable'
  | 'Timeout'
  | 'Validation'
  | 'SecretDisabled'
  | 'SecretDeleted'
  | 'Conflict'
  | 'PartialWrite'
  | 'KeyPathNotFound'
  | 'SecretDecode'
  | 'Closed'
  | 'Provider';

/** Options common to every rxsecrets error. */
export interface RxSecretsErrorOptions {
  /**
   * The native error this one was mapped from (an SDK exception, a D-Bus error…). Anything but an rxsecrets error is
   * kept as a {@link NativeErrorSummary}: its identifiers without its text, which may quote a secret value.
   */
  cause?: unknown;
  /** The ref the operation was about, as text. Refs name secrets; they never contain values. */
  ref?: string;
  /** The scheme of the provider that failed (`aws-ssm`, `azure-kv`, …). */
  provider?: string;
}

/**
 * The base of every error rxsecrets raises. Each subclass has a stable {@link ErrorCode}; `transient` tells the
 * retry layer and the watch engine whether trying again can help. Messages are built from refs, operations and
 * error codes, never from backend text, and the `cause` is sanitized (see {@link NativeErrorSummary}): no text of
 * an rxsecrets error can disclose a secret value or its length.
 */
export abstract class RxSecretsError extends Error {
  /** The stable code of this kind of error. */
  abstract readonly code: ErrorCode;
  /** Whether the same call may succeed if tried again later (throttling, timeouts, outages). */
  readonly transient: boolean = false;
  /** The ref the failed operation was about, if any. */
  readonly ref: string | undefined;
  /** The scheme of the provider that failed, if any. */
  readonly provider: string | undefined;

  constructor(message: string, options: RxSecretsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: sanitizeCause(options.cause) });
    this.name = new.target.name;
    this.ref = options.ref;
    this.provider = options.provider;
  }

  /** The brand read by the type guards; the value is the error code. */
  get [ERROR_BRAND](): ErrorCode {
    return this.code;
  }

  /** A JSON form with code, message, ref and provider; never a value. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ref: this.ref, provider: this.provider };
  }
}
