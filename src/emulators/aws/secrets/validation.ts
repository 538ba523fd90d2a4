import { AwsServiceError, constraintError } from '../errors.js';

/** A Secrets Manager error (its model names the message member `Message`). */
export function smError(code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, message, { messageKey: 'Message' });
}

/** `ResourceNotFoundException` for a secret id that designates nothing (HTTP 400, as AWS answers it). */
export function secretNotFound(): AwsServiceError {
  return smError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
}

/** The error AWS answers when reading or changing a secret scheduled for deletion. */
export function markedForDeletion(): AwsServiceError {
  return smError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );
}

/** The staging label of the version clients read by default. */
export const AWSCURRENT = 'AWSCURRENT';
/** The staging label AWS moves to the version that was current before. */
export const AWSPREVIOUS = 'AWSPREVIOUS';
/** The staging label of a version being rotated in. */
export const AWSPENDING = 'AWSPENDING';

/** Largest SecretString or SecretBinary AWS accepts (64 KB). */
export const MAX_SECRET_BYTES = 65536;

/** Validates a secret name: 1–512 characters of `[A-Za-z0-9/_+=.@-]`. */
export function validateSecretName(name: string): void {
  if (name.length < 1 || name.length > 512) {
    throw constraintError('name', name, 'Member must have length less than or equal to 512');
  }
  if (!/^[A-Za-z0-9/_+=.@-]+$/.test(name)) {
    throw smError(
      'ValidationException',
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  }
}

/** Validates a ClientRequestToken (it becomes the VersionId): 32–64 characters. */
export function validateToken(token: string): void {
  if (token.length < 32 || token.length > 64) {
    throw constraintError('clientRequestToken', token, 'Member must have length between 32 and 64');
  }
}

/** A secret value: exactly one of a string or bytes. */
export type SecretValue = { string: string; binary?: undefined } | { binary: Buffer; string?: undefined };

/**
 * Builds a value from the API's `SecretString` / `SecretBinary` (already base64-decoded) members.
 * Returns `undefined` when neither is given; never echoes the value in an error.
 */
export function secretValue(
  secretString: string | undefined,
  secretBinary: Buffer | undefined,
): SecretValue | undefined {
  if (secretString !== undefined && secretBinary !== undefined) {
    throw smError(
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  const size = secretString !== undefined ? Buffer.byteLength(secretString, 'utf8') : (secretBinary?.length ?? 0);
  if (size > MAX_SECRET_BYTES) {
    throw smError(
      'ValidationException',
      `1 validation error detected: Value at '${secretString !== undefined ? 'secretString' : 'secretBinary'}' ` +
        `failed to satisfy constraint: Member must have length less than or equal to ${MAX_SECRET_BYTES}`,
    );
  }
  if (secretString !== undefined) return { string: secretString };
  if (secretBinary !== undefined) return { binary: secretBinary };
  return undefined;
}

/** Whether two secret values are the same (for idempotent retries). */
export function sameValue(a: SecretValue | undefined, b: SecretValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.string !== undefined || b.string !== undefined) return a.string === b.string;
  return a.binary !== undefined && b.binary !== undefined && a.binary.equals(b.binary);
}
