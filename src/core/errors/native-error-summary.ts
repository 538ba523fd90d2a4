/**
 * The sanitized copy of a native error that rxsecrets errors keep as `cause`.
 *
 * Backends quote their input in error text (AWS validation messages quote the value; a Key Vault RestError carries
 * the whole request, body included; a D-Bus reply can say anything), and no substring redaction can be trusted with
 * a value of three characters, a JSON field of it or its base64. So nothing textual is copied: the summary keeps only
 * identifiers (the error's name and code, the D-Bus error name, the HTTP status, the request id) and the stack
 * frames, and its message is built from those.
 * @module
 */

/** AWS SDK response metadata, as the SDK's `$metadata`: identifiers and counts only. */
export interface NativeErrorMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly extendedRequestId?: string;
  readonly cfId?: string;
  readonly attempts?: number;
  readonly totalRetryDelay?: number;
}

const IDENTIFIER = /^[\w.:/-]{1,128}$/;
const MAX_DEPTH = 4;

/**
 * A native error (an SDK exception, a RestError, a D-Bus error, a socket error) reduced to what cannot hold a
 * secret value: `name`, `code`, `type` (the D-Bus error name), `statusCode`, `requestId`, AWS `$metadata` and
 * `$fault`, the stack frames, and the same summary of its own `cause`. The native message, request, response,
 * headers and bodies are dropped.
 */
export class NativeErrorSummary extends Error {
  /** The native error's code (`SecretNotFound`, `ECONNRESET`, `ERR_OSSL_BAD_DECRYPT`…), when it had one. */
  readonly code: string | undefined;
  /** The D-Bus error name (`org.freedesktop.Secret.Error.IsLocked`…), when it was a D-Bus error. */
  readonly type: string | undefined;
  /** The HTTP status of the failed response, when there was one. */
  readonly statusCode: number | undefined;
  /** The backend's request id (`x-amzn-RequestId`, `x-ms-request-id`), for support cases. */
  readonly requestId: string | undefined;
  /** The AWS SDK's response metadata, when the native error had it. */
  readonly $metadata: NativeErrorMetadata | undefined;
  /** The AWS SDK's fault side (`client` or `server`), when it had one. */
  readonly $fault: string | undefined;

  constructor(native: unknown, depth = 0) {
    const fields = readFields(native);
    super(describe(fields));
    this.name = fields.name;
    this.code = fields.code;
    this.type = fields.type;
    this.statusCode = fields.statusCode;
    this.requestId = fields.requestId;
    this.$metadata = fields.$metadata;
    this.$fault = fields.$fault;
    this.stack = `${this.name}: ${this.message}${framesOf(native)}`;
    const inner = innerCause(native);
    if (inner !== undefined && inner !== null && depth < MAX_DEPTH) {
      Object.defineProperty(this, 'cause', {
        value: sanitizeCause(inner, depth + 1),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }

  /** The identifiers, for logs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      type: this.type,
      statusCode: this.statusCode,
      requestId: this.requestId,
    };
  }
}

/**
 * What an error may keep as `cause`: rxsecrets errors (their messages are built from refs and codes) and summaries
 * pass through; anything else becomes a {@link NativeErrorSummary}.
 */
export function sanitizeCause(cause: unknown, depth = 0): unknown {
  try {
    if (cause instanceof NativeErrorSummary || isBranded(cause)) return cause;
  } catch {
    // a hostile object: summarized below like any other
  }
  return new NativeErrorSummary(cause, depth);
}

function innerCause(native: unknown): unknown {
  try {
    return (native as { cause?: unknown } | null)?.cause;
  } catch {
    return undefined;
  }
}

function isBranded(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.for('rxsecrets.error')] === 'string'
  );
}

interface Fields {
  name: string;
  code: string | undefined;
  type: string | undefined;
  statusCode: number | undefined;
  requestId: string | undefined;
  $metadata: NativeErrorMetadata | undefined;
  $fault: string | undefined;
}

function bareFields(name: string): Fields {
  return {
    name,
    code: undefined,
    type: undefined,
    statusCode: undefined,
    requestId: undefined,
    $metadata: undefined,
    $fault: undefined,
  };
}

/** The identifiers of `native`; a hostile object (throwing getters, a revoked proxy) gives a bare summary. */
function readFields(native: unknown): Fields {
  if (typeof native !== 'object' || native === null) return bareFields(typeof native);
  try {
    return readObjectFields(native as Record<string, unknown>);
  } catch {
    return bareFields('Error');
  }
}

function readObjectFields(native: Record<string, unknown>): Fields {
  const source = native;
  const metadata = readMetadata(source.$metadata);
  const response = source.response as { headers?: { get?(name: string): unknown } } | undefined;
  const status = integer(source.statusCode) ?? integer(source.status) ?? metadata?.httpStatusCode;
  return {
    name: identifier(source.name) ?? 'Error',
    // `Code` / `ErrorCode`: the per-item error entries of AWS batch answers (BatchGetSecretValue, GetParameters).
    code:
      identifier(source.code) ??
      (typeof source.code === 'number' ? String(source.code) : undefined) ??
      identifier(source.Code) ??
      identifier(source.ErrorCode),
    type: identifier(source.type),
    statusCode: status,
    requestId:
      metadata?.requestId ??
      identifier(headerOf(response, 'x-ms-request-id')) ??
      identifier((source.request as { requestId?: unknown } | undefined)?.requestId),
    $metadata: metadata,
    $fault: source.$fault === 'client' || source.$fault === 'server' ? source.$fault : undefined,
  };
}

function readMetadata(value: unknown): NativeErrorMetadata | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const out: Record<string, string | number> = {};
  for (const key of ['httpStatusCode', 'attempts', 'totalRetryDelay'] as const) {
    const n = integer(m[key]);
    if (n !== undefined) out[key] = n;
  }
  for (const key of ['requestId', 'extendedRequestId', 'cfId'] as const) {
    const s = identifier(m[key]);
    if (s !== undefined) out[key] = s;
  }
  return Object.freeze(out) as NativeErrorMetadata;
}

function describe(fields: Fields): string {
  const parts = [fields.name];
  if (fields.type !== undefined && fields.type !== fields.name) parts.push(fields.type);
  if (fields.code !== undefined && fields.code !== fields.name) parts.push(fields.code);
  const status = fields.statusCode === undefined ? '' : ` (HTTP ${fields.statusCode})`;
  return `${parts.join(' ')}${status}; native message withheld (it may quote a secret value)`;
}

/**
 * The native stack's frames, without its first lines (they repeat the native message). Kept only when the stack
 * starts with exactly `name: message`, so that no line of the message can pass for a frame.
 */
function framesOf(native: unknown): string {
  try {
    return nativeFrames(native);
  } catch {
    return '';
  }
}

function nativeFrames(native: unknown): string {
  if (!(native instanceof Error) || typeof native.stack !== 'string') return '';
  const head = `${native.name}: ${native.message}`;
  const rest = native.stack.startsWith(head) ? native.stack.slice(head.length) : undefined;
  if (rest === undefined || !/^(\n\s+at [^\n]*)*$/.test(rest)) return '';
  return rest;
}

function headerOf(response: { headers?: { get?(name: string): unknown } } | undefined, name: string): unknown {
  try {
    return typeof response?.headers?.get === 'function' ? response.headers.get(name) : undefined;
  } catch {
    return undefined;
  }
}

function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}
