import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AwsServiceError, coralError } from './errors.js';
import type { JsonObject } from './input.js';

/** Content type of the AWS JSON 1.1 protocol. */
export const JSON_11 = 'application/x-amz-json-1.1';

/** Writes a successful JSON 1.1 answer. */
export function sendJson(res: ServerResponse, requestId: string, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body ?? {}), 'utf8');
  res.writeHead(200, {
    'Content-Type': JSON_11,
    'Content-Length': payload.length,
    'x-amzn-RequestId': requestId,
  });
  res.end(payload);
}

/** Writes an error answer: status, `{"__type", message}` body and `x-amzn-ErrorType` header. */
export function sendError(res: ServerResponse, requestId: string, error: AwsServiceError, close = false): void {
  const payload = Buffer.from(JSON.stringify({ __type: error.wireType, [error.messageKey]: error.message }), 'utf8');
  res.writeHead(error.statusCode, {
    'Content-Type': JSON_11,
    'Content-Length': payload.length,
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': error.code,
    ...(close && { Connection: 'close' }),
  });
  res.end(payload);
}

/** Thrown by `readBody` when the body exceeds the limit. */
export class BodyTooLargeError extends Error {}

/** Reads a request body, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => reject(new Error('request closed')));
  });
}

/** Decodes a JSON 1.1 body; anything but a JSON object is a `SerializationException`, as on AWS. */
export function parseJsonBody(body: Buffer): JsonObject {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw coralError('SerializationException', 'Unable to parse the request body as JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw coralError('SerializationException', 'Start of structure or map expected.');
  }
  return parsed as JsonObject;
}
