/**
 * A token credential for clients of the emulator. The emulator accepts any bearer token, so no identity
 * service is involved; this object satisfies `@azure/core-auth`'s `TokenCredential` structurally without
 * importing it.
 * @module
 */

/** An access token as `@azure/core-auth` defines it. */
export interface EmulatorAccessToken {
  token: string;
  expiresOnTimestamp: number;
}

/** A `TokenCredential`-compatible credential that always returns the same token. */
export interface StaticTokenCredential {
  /** Returns a token valid for an hour, whatever scopes are asked for. */
  getToken(scopes: string | string[]): Promise<EmulatorAccessToken>;
}

/** Creates a credential returning `token` (default `rxsecrets-emulator-token`) with a one-hour expiry. */
export function staticTokenCredential(token = 'rxsecrets-emulator-token'): StaticTokenCredential {
  return {
    getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }),
  };
}
