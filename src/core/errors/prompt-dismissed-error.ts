import { RxSecretsError } from './rxsecrets-error.js';

/** The user (or the prompter, when no display is available) dismissed a Secret Service prompt. */
export class PromptDismissedError extends RxSecretsError {
  override readonly code = 'PromptDismissed' as const;
}
