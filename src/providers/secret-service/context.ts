import type { Duration } from '../../provider-kit/index.js';
import type { CallOptions, SecretServiceConnection } from './connection.js';
import type { PromptOptions } from './prompt.js';
import type { SecretSession } from './session.js';

/** What collections and items need from their client: the connection, the shared session and prompt defaults. */
export interface SecretServiceContext {
  /** The D-Bus connection. */
  readonly connection: SecretServiceConnection;
  /** The client's session, opened on first use and shared by every secret transfer. */
  session(options?: CallOptions): Promise<SecretSession>;
  /**
   * Runs `transfer` with the shared session; when the service no longer knows that session (it restarted), opens a
   * new one and runs `transfer` once more.
   */
  withSession<T>(options: CallOptions | undefined, transfer: (session: SecretSession) => Promise<T>): Promise<T>;
  /** Defaults for prompts (window id, timeout). */
  readonly promptDefaults: PromptOptions;
  /** Whether an Unlock prompt may be dismissed safely on this service (not on gnome-keyring: it aborts). */
  canDismissUnlockPrompts(options?: CallOptions): Promise<boolean>;
}

/** Options of an operation that may show a prompt: per-call timeout plus the prompt's own window id and timeout. */
export interface PromptingOptions {
  /** Timeout of each D-Bus call (not of the prompt). */
  timeout?: Duration;
  /** How long the user has to answer the prompt; overrides the client default. */
  promptTimeout?: Duration;
  /** The window the prompt dialog belongs to; overrides the client default. */
  windowId?: string;
}

/** The prompt options for one operation: its own values over the client defaults. */
export function promptOptionsFor(context: SecretServiceContext, options: PromptingOptions): PromptOptions {
  const windowId = options.windowId ?? context.promptDefaults.windowId;
  const timeout = options.promptTimeout ?? context.promptDefaults.timeout;
  return { ...(windowId === undefined ? {} : { windowId }), ...(timeout === undefined ? {} : { timeout }) };
}

/** The call options for one operation of a prompting method. */
export function callOptionsFor(options: PromptingOptions, signal?: AbortSignal): CallOptions {
  return { ...(options.timeout === undefined ? {} : { timeout: options.timeout }), ...(signal ? { signal } : {}) };
}
