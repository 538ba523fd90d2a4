import { RxSecretsError } from './rxsecrets-error.js';

/** A call, or one attempt of it, took longer than its timeout. Transient: the retry layer tries again while the overall deadline allows. */
export class TimeoutError extends RxSecretsError {
  override readonly code = 'Timeout' as const;
  override readonly transient = true;
}
