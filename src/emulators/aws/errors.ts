/**
 * An error the emulator answers with, in the AWS JSON 1.1 error shape:
 * HTTP status, body `{"__type": "<code>", "<messageKey>": "…"}` and the `x-amzn-ErrorType` header.
 *
 * Handlers throw it; the HTTP layer turns it into the response. Messages never contain secret values.
 */
export class AwsServiceError extends Error {
  /** The error code the SDK maps to its exception class name (`ParameterNotFound`, `ResourceNotFoundException`, …). */
  readonly code: string;
  /** The HTTP status AWS uses for this error (400 for client errors of both services). */
  readonly statusCode: number;
  /** The JSON member holding the message: each service model names it `message` or `Message`. */
  readonly messageKey: 'message' | 'Message';
  /** The namespace AWS puts before `#` in `__type` for protocol-level (coral) errors, if any. */
  readonly namespace: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { statusCode?: number; messageKey?: 'message' | 'Message'; namespace?: string } = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.statusCode = options.statusCode ?? 400;
    this.messageKey = options.messageKey ?? 'Message';
    this.namespace = options.namespace;
  }

  /** The `__type` value of the response body. */
  get wireType(): string {
    return this.namespace ? `${this.namespace}#${this.code}` : this.code;
  }
}

const CORAL = 'com.amazon.coral.service';

/** A protocol-level error as AWS's front end (coral) reports it, e.g. `SerializationException`. */
export function coralError(code: string, message: string, statusCode = 400): AwsServiceError {
  return new AwsServiceError(code, message, { statusCode, messageKey: 'message', namespace: CORAL });
}

/** `ValidationException` in the wording AWS uses for a model constraint ("1 validation error detected: …"). */
export function constraintError(member: string, value: unknown, constraint: string): AwsServiceError {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  return new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
