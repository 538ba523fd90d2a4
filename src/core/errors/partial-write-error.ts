import type { SecretInfo } from '../secret.js';
import { RxSecretsError, type RxSecretsErrorOptions } from './rxsecrets-error.js';

/** Options of {@link PartialWriteError}. */
export interface PartialWriteErrorOptions extends RxSecretsErrorOptions {
  /** What was written before the later step failed (its new version). */
  written: SecretInfo;
}

/**
 * A write stored its value (a new version) but a later step of it failed, e.g. adding the tags of an existing
 * Parameter Store parameter. It is not retried as a whole (that would write the value again): `written` says which
 * version now holds the value, `cause` why the rest failed.
 */
export class PartialWriteError extends RxSecretsError {
  override readonly code = 'PartialWrite' as const;
  /** The version the value was written as. */
  readonly written: SecretInfo;

  constructor(message: string, options: PartialWriteErrorOptions) {
    super(message, options);
    this.written = options.written;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), version: this.written.version };
  }
}
