/**
 * Key Vault's bearer challenge. A client's first request carries no token (and an empty body); the vault
 * answers 401 with `WWW-Authenticate` naming the tenant's authority and the resource, and the client then
 * resends with `Authorization: Bearer …`. The header is checked before any body is read, as the service does.
 * @internal
 * @module
 */
import type { IncomingMessage } from 'node:http';

/** Where the challenge sends the client for a token. */
export interface ChallengeSettings {
  tenantId: string;
  /** The resource the token must be for; the SDK asks for `<resource>/.default`. */
  resource: string;
}

/** Whether the request carries a bearer token. Any non-empty token is accepted. */
export function hasBearerToken(request: IncomingMessage): boolean {
  return /^Bearer\s+\S+/i.test(request.headers.authorization ?? '');
}

/** The `WWW-Authenticate` value of the challenge. */
export function challengeHeader(settings: ChallengeSettings): string {
  return `Bearer authorization="https://login.microsoftonline.com/${settings.tenantId}", resource="${settings.resource}"`;
}
