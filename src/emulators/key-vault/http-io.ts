/**
 * Reading request bodies and writing JSON answers with the headers Key Vault sends.
 * @internal
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeyVaultServiceError, serviceErrors } from './errors.js';

/** Largest request body accepted (a 25 KB value plus JSON and base64url backup blobs fit easily). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body and parses it as JSON; `undefined` for an empty body. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      // The rest of the body is never read: the connection cannot carry another request, so the answer closes it
      // (without that, the client's next request on this keep-alive connection would wait for an answer forever).
      throw new KeyVaultServiceError(
        400,
        'BadParameter',
        `The request body exceeds ${MAX_BODY_BYTES} bytes.`,
        undefined,
        {
          connection: 'close',
        },
      );
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw serviceErrors.badParameter('The request body is not valid JSON.');
  }
}

/** Sends a JSON answer (or an empty one for 204) with Key Vault's usual headers. */
export function sendJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body?: unknown,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'cache-control': 'no-cache',
    expires: '-1',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
    'x-ms-request-id': randomUUID(),
    'x-ms-keyvault-region': 'local',
    'x-ms-keyvault-service-version': '1.9.0.0-rxsecrets-emulator',
    'content-length': Buffer.byteLength(payload),
    ...extraHeaders,
  };
  if (payload) headers['content-type'] = 'application/json; charset=utf-8';
  const clientRequestId = request.headers['x-ms-client-request-id'];
  if (typeof clientRequestId === 'string' && clientRequestId.length <= 256) {
    headers['x-ms-client-request-id'] = clientRequestId;
  }
  response.writeHead(status, headers);
  response.end(payload);
}
