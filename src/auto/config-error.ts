/**
 * The configuration a command or the zero-config client needs is missing or wrong (no vault URL for `azure-kv:`,
 * an unreadable config file). The command line exits with 78 (`EX_CONFIG`) on it.
 */
export class ConfigurationError extends Error {
  /** A stable code, as rxsecrets errors have. */
  readonly code = 'Configuration' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** Whether `error` is a {@link ConfigurationError}. */
export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof Error && (error as { code?: unknown }).code === 'Configuration';
}
