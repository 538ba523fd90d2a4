// Helpers for tests that drive the Key Vault emulator with the real SecretClient or with raw https requests.
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { SecretClient } from '@azure/keyvault-secrets';
import type { KeyVaultEmulator } from '../../src/emulators/key-vault/index.js';

/** The static credential the brief prescribes: any bearer token is accepted by the emulator. */
export const staticCredential = {
  getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600e3 }),
};

/** A fresh SecretClient (so its first request goes through the challenge) for the emulator. */
export function secretClientFor(kv: KeyVaultEmulator): SecretClient {
  return new SecretClient(kv.vaultUrl, staticCredential, kv.clientOptions());
}

let counter = 0;
/** A secret name unique within the test process. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** What a raw request got back. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Sends one https request to the emulator; `auth: false` omits the Authorization header. */
export function rawRequest(
  kv: KeyVaultEmulator,
  method: string,
  pathAndQuery: string,
  options: { body?: string; auth?: boolean } = {},
): Promise<RawResponse> {
  const url = new URL(pathAndQuery, kv.vaultUrl);
  const headers: Record<string, string | number> = { 'content-type': 'application/json' };
  if (options.auth !== false) headers.authorization = 'Bearer raw-test-token';
  if (options.body !== undefined) headers['content-length'] = Buffer.byteLength(options.body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: kv.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
