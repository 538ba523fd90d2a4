// Helpers for tests that drive the AWS emulator with the real SDK clients.
import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import type { AwsEmulator } from '../../src/emulators/aws/index.js';

type RetryStrategy = NonNullable<SSMClientConfig['retryStrategy']>;
type RetryErrorType = 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';

/**
 * A retry strategy that retries whatever the SDK classifies as retryable, without backoff delays, and records
 * the SDK's classification of each failed attempt — so tests are fast and can assert how the SDK saw an error.
 */
export class RecordingRetryStrategy {
  readonly errorTypes: RetryErrorType[] = [];
  readonly mode = 'standard';
  readonly #maxAttempts: number;

  constructor(maxAttempts = 3) {
    this.#maxAttempts = maxAttempts;
  }

  async acquireInitialRetryToken() {
    return token(0);
  }

  async refreshRetryTokenForRetry(previous: { getRetryCount(): number }, info: { errorType: RetryErrorType }) {
    this.errorTypes.push(info.errorType);
    const count = previous.getRetryCount() + 1;
    if (info.errorType === 'CLIENT_ERROR' || count >= this.#maxAttempts) throw new Error('no more retries');
    return token(count);
  }

  recordSuccess(): void {}
}

function token(count: number) {
  return { getRetryCount: () => count, getRetryDelay: () => 0 };
}

/** An SSM client for the emulator; pass a `RecordingRetryStrategy` for fast, observable retries. */
export function ssmClient(
  emulator: AwsEmulator,
  retry?: RecordingRetryStrategy,
  extra: SSMClientConfig = {},
): SSMClient {
  return new SSMClient({
    ...emulator.clientConfig(),
    ...(retry && { retryStrategy: retry as unknown as RetryStrategy }),
    ...extra,
  });
}

/** A Secrets Manager client for the emulator. */
export function secretsClient(
  emulator: AwsEmulator,
  retry?: RecordingRetryStrategy,
  extra: SecretsManagerClientConfig = {},
): SecretsManagerClient {
  return new SecretsManagerClient({
    ...emulator.clientConfig(),
    ...(retry && { retryStrategy: retry as unknown as NonNullable<SecretsManagerClientConfig['retryStrategy']> }),
    ...extra,
  });
}

/** Sends a raw HTTP request to the emulator (to check the wire format and protocol errors). */
export async function rawCall(
  emulator: AwsEmulator,
  target: string | undefined,
  body: string,
  headers: Record<string, string> = signedHeaders(),
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(emulator.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(target !== undefined && { 'x-amz-target': target }),
      ...headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

/** Headers of a (fake) SigV4-signed request. */
export function signedHeaders(): Record<string, string> {
  return {
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
    'x-amz-date': '20260101T000000Z',
  };
}

/** Names unique within a test run, so concurrent tests do not collide. */
export { unique as uniqueName } from './unique-name.js';
