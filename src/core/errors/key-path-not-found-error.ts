import { RxSecretsError, type RxSecretsErrorOptions } from './rxsecrets-error.js';

/** Options of {@link KeyPathNotFoundError}. */
export interface KeyPathNotFoundErrorOptions extends RxSecretsErrorOptions {
  /** The key path that was asked for, e.g. `db.hosts[0]`. */
  keyPath?: string;
}

/** A `#key.path` in a ref named a key the secret's JSON does not have. The message never quotes the value. */
export class KeyPathNotFoundError extends RxSecretsError {
  override readonly code = 'KeyPathNotFound' as const;
  /** The key path that was not found. */
  readonly keyPath: string | undefined;

  constructor(message: string, options: KeyPathNotFoundErrorOptions = {}) {
    super(message, options);
    this.keyPath = options.keyPath;
  }
}
