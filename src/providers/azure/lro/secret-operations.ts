/**
 * The two long operations of Key Vault secrets, delete and recover, on the SDK's own pollers, and the states
 * they stream.
 * @module
 */

import type { SecretClient } from '@azure/keyvault-secrets';
import { type OperationState, ValidationError } from '../../../provider-kit/index.js';
import type { PollerHandle } from './poller-stream.js';

/** Which long operation. */
export type SecretOperationKind = 'delete' | 'recover';

/**
 * A state of a delete or recover operation, as streamed. `resumeFrom` is the SDK poller's serialized state:
 * keep it to resume the operation later (`resumeDelete` / `resumeRecover`), even in another process.
 */
export interface KeyVaultOperationState extends OperationState {
  /** `'deleting'` → `'deleted'` (→ `'purged'` with `force`), or `'recovering'` → `'recovered'`. */
  readonly status: 'deleting' | 'deleted' | 'purged' | 'recovering' | 'recovered';
  readonly operation: SecretOperationKind;
  /** The secret's name. */
  readonly name: string;
  /** The serialized poller state; never contains a value. */
  readonly resumeFrom: string;
  /** When the secret was deleted (delete operations). */
  readonly deletedOn?: Date;
  /** When Key Vault will purge it (delete operations). */
  readonly scheduledPurgeDate?: Date;
}

/** Starts or resumes the SDK poller of `kind` (the SDK polls once before returning it). */
export function beginOperation(
  client: SecretClient,
  kind: SecretOperationKind,
  name: string,
  intervalInMs: number,
  resumeFrom: string | undefined,
  abortSignal: AbortSignal,
): Promise<PollerHandle> {
  const options = { intervalInMs, abortSignal, ...(resumeFrom === undefined ? {} : { resumeFrom }) };
  return (kind === 'delete'
    ? client.beginDeleteSecret(name, options)
    : client.beginRecoverDeletedSecret(name, options)) as unknown as Promise<PollerHandle>;
}

/**
 * Fails, with the service's own 404 `SecretNotFound` ("Deleted Secret not found"), when `name` is a live secret: the
 * SDK's recover poller reads the secret first and, when it exists, reports it recovered without asking the service.
 * A secret that is neither deleted nor live is left to the poller, whose recover call gets the service's answer
 * (404, or 409 while a deletion is still in progress).
 */
export async function assertNotLive(client: SecretClient, name: string, abortSignal: AbortSignal): Promise<void> {
  try {
    await client.getDeletedSecret(name, { abortSignal });
  } catch (notDeleted) {
    if ((notDeleted as { statusCode?: unknown }).statusCode !== 404) throw notDeleted;
    const live = await client.getSecret(name, { abortSignal }).then(
      () => true,
      (error: unknown) => {
        const status = (error as { statusCode?: unknown }).statusCode;
        if (status === 403) return true; // disabled, yet live
        if (status === 404) return false;
        throw error;
      },
    );
    if (live) throw notDeleted;
  }
}

interface SdkPollState {
  readonly name?: string;
  readonly isCompleted?: boolean;
  readonly result?: { deletedOn?: unknown; scheduledPurgeDate?: unknown };
}

/** The streamed state for an SDK poller state. */
export function describeOperation(
  kind: SecretOperationKind,
  state: object,
  resumeFrom: string,
): KeyVaultOperationState {
  const sdk = state as SdkPollState;
  const done = sdk.isCompleted === true;
  const status = kind === 'delete' ? (done ? 'deleted' : 'deleting') : done ? 'recovered' : 'recovering';
  const deletedOn = asDate(sdk.result?.deletedOn);
  const purgeOn = asDate(sdk.result?.scheduledPurgeDate);
  return {
    status,
    done,
    operation: kind,
    name: sdk.name ?? '',
    resumeFrom,
    ...(kind === 'delete' && deletedOn ? { deletedOn } : {}),
    ...(kind === 'delete' && purgeOn ? { scheduledPurgeDate: purgeOn } : {}),
  };
}

/** The secret name inside a serialized state; a ValidationError when `resumeFrom` is not one. */
export function nameInState(resumeFrom: string): string {
  let name: unknown;
  try {
    name = (JSON.parse(resumeFrom) as { state?: { name?: unknown } } | null)?.state?.name;
  } catch {
    name = undefined;
  }
  if (typeof name !== 'string' || name === '') {
    throw new ValidationError('resumeFrom is not a serialized Key Vault poller state (use a state.resumeFrom)');
  }
  return name;
}

function asDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}
