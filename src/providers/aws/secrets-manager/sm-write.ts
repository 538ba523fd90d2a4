import {
  type CallContext,
  type DeleteOptions,
  isSecretNotFoundError,
  makeRef,
  type SecretInfo,
  type SecretRef,
  type SetOptions,
  secretInfo,
  toMilliseconds,
  ValidationError,
} from '../../../provider-kit/index.js';
import type { SecretSetOptions } from './secrets-manager-options.js';
import type { SmHandle } from './sm-client.js';

const DAY_MS = 86_400_000;

function written(
  scheme: string,
  ref: SecretRef,
  out: {
    ARN?: string | undefined;
    Name?: string | undefined;
    VersionId?: string | undefined;
    VersionStages?: string[] | undefined;
  },
  tags?: Readonly<Record<string, string>>,
): SecretInfo {
  const name = out.Name ?? ref.name;
  return secretInfo({
    ref: makeRef(scheme, name, out.VersionId),
    name,
    version: out.VersionId,
    updatedAt: new Date(),
    tags,
    metadata: {
      ...(out.ARN === undefined ? {} : { arn: out.ARN }),
      stages: [...(out.VersionStages ?? ['AWSCURRENT'])],
    },
  });
}

/**
 * Writes a new version: PutSecretValue for an existing secret, CreateSecret for a new one (or at once with
 * `ifNotExists`, where an existing name is a ConflictError). Both carry `options.clientToken` as
 * ClientRequestToken, so a retry of the same write makes no second version. Tags and description apply to new
 * secrets only.
 */
export async function putSecret(
  handle: SmHandle,
  scheme: string,
  ref: SecretRef,
  value: string | Uint8Array,
  options: SetOptions & SecretSetOptions,
  ctx: CallContext,
): Promise<SecretInfo> {
  const token = options.clientToken ?? globalThis.crypto.randomUUID();
  const payload = typeof value === 'string' ? { SecretString: value } : { SecretBinary: value };
  const label = { scheme, operation: 'set', ref: ref.text };
  if (options.ifNotExists !== true) {
    try {
      const out = await handle.run(ctx, label, (client, sdk, send) =>
        client.send(new sdk.PutSecretValueCommand({ SecretId: ref.name, ClientRequestToken: token, ...payload }), send),
      );
      return written(scheme, ref, out);
    } catch (error) {
      if (!isSecretNotFoundError(error)) throw error;
    }
  }
  const tags = Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const out = await handle.run(ctx, label, (client, sdk, send) =>
    client.send(
      new sdk.CreateSecretCommand({
        Name: ref.name,
        ClientRequestToken: token,
        ...payload,
        ...(options.description === undefined ? {} : { Description: options.description }),
        ...(options.kmsKeyId === undefined ? {} : { KmsKeyId: options.kmsKeyId }),
        ...(tags.length === 0 ? {} : { Tags: tags }),
      }),
      send,
    ),
  );
  return written(scheme, ref, { ...out, VersionStages: ['AWSCURRENT'] }, options.tags);
}

/** The DeleteSecret input of the core's delete options (`force`, or a `recoveryWindow` of 7 to 30 days). */
function deleteInput(
  ref: SecretRef,
  options: DeleteOptions,
): { ForceDeleteWithoutRecovery?: boolean; RecoveryWindowInDays?: number } {
  if (options.force === true && options.recoveryWindow !== undefined) {
    throw new ValidationError(`${ref.text}: delete takes force or recoveryWindow, not both`, { ref: ref.text });
  }
  if (options.force === true) return { ForceDeleteWithoutRecovery: true };
  if (options.recoveryWindow === undefined) return {};
  const days = toMilliseconds(options.recoveryWindow, 'recoveryWindow') / DAY_MS;
  if (!Number.isInteger(days) || days < 7 || days > 30) {
    throw new ValidationError(`${ref.text}: recoveryWindow must be a whole number of days from 7 to 30`, {
      ref: ref.text,
    });
  }
  return { RecoveryWindowInDays: days };
}

/** Schedules deletion (recovery window, default 30 days) or, with `force`, deletes at once. */
export async function deleteSecret(
  handle: SmHandle,
  scheme: string,
  ref: SecretRef,
  options: DeleteOptions,
  ctx: CallContext,
): Promise<void> {
  const input = deleteInput(ref, options);
  await handle.run(ctx, { scheme, operation: 'delete', ref: ref.text }, (client, sdk, send) =>
    client.send(new sdk.DeleteSecretCommand({ SecretId: ref.name, ...input }), send),
  );
}

/** Cancels a scheduled deletion (RestoreSecret). */
export async function restoreSecret(
  handle: SmHandle,
  scheme: string,
  ref: SecretRef,
  ctx: CallContext,
): Promise<SecretInfo> {
  const out = await handle.run(ctx, { scheme, operation: 'restore', ref: ref.text }, (client, sdk, send) =>
    client.send(new sdk.RestoreSecretCommand({ SecretId: ref.name }), send),
  );
  const name = out.Name ?? ref.name;
  return secretInfo({ ref: makeRef(scheme, name), name, metadata: out.ARN === undefined ? {} : { arn: out.ARN } });
}
