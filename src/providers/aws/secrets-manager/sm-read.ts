import {
  type CallContext,
  isAccessDeniedError,
  ProviderError,
  type Secret,
  type SecretRef,
} from '../../../provider-kit/index.js';
import { mapAwsError } from '../shared/map-error.js';
import type { SmHandle } from './sm-client.js';
import { designates, versionSelector } from './sm-ref.js';
import { secretFromValue } from './sm-values.js';

/** One GetSecretValue call: the ref's stage or VersionId, or AWSCURRENT. */
export async function getSecretValue(
  handle: SmHandle,
  scheme: string,
  ref: SecretRef,
  operation: string,
  ctx: CallContext,
): Promise<Secret> {
  const selector = versionSelector(ref);
  const out = await handle.run(ctx, { scheme, operation, ref: ref.text, version: ref.version }, (client, sdk, send) =>
    client.send(new sdk.GetSecretValueCommand({ SecretId: ref.name, ...selector }), send),
  );
  return secretFromValue(out, ref);
}

/** Reads refs one GetSecretValue each, in parallel; each failure stays with its ref. */
function getEach(handle: SmHandle, scheme: string, refs: readonly SecretRef[], ctx: CallContext) {
  return Promise.all(
    refs.map((ref) => getSecretValue(handle, scheme, ref, 'getMany', ctx).catch((error: unknown) => error as Error)),
  );
}

/**
 * Reads up to 20 refs: those asking for AWSCURRENT in one BatchGetSecretValue call (per-secret `Errors` become
 * that ref's error), the others with GetSecretValue. When the caller may not call BatchGetSecretValue at all,
 * `onBatchDenied` is told (the provider then stops trying it) and every ref is read one by one.
 */
export async function getSecretValues(
  handle: SmHandle,
  scheme: string,
  refs: readonly SecretRef[],
  ctx: CallContext,
  batchAllowed: boolean,
  onBatchDenied: () => void,
): Promise<Array<Secret | Error>> {
  const current = refs.filter((ref) => ref.version === undefined);
  if (!batchAllowed || current.length < 2) return getEach(handle, scheme, refs, ctx);
  let out: Awaited<ReturnType<typeof batchGet>>;
  try {
    out = await batchGet(handle, scheme, current, ctx);
  } catch (error) {
    if (!isAccessDeniedError(error)) throw error;
    onBatchDenied();
    return getEach(handle, scheme, refs, ctx);
  }
  const pinned = refs.filter((ref) => ref.version !== undefined);
  const pinnedResults = new Map(pinned.map((ref, i) => [ref, i]));
  const pinnedValues = await getEach(handle, scheme, pinned, ctx);
  return refs.map((ref) => {
    const index = pinnedResults.get(ref);
    if (index !== undefined) return pinnedValues[index] as Secret | Error;
    const value = out.SecretValues?.find((entry) => designates(ref, entry.Name, entry.ARN));
    if (value) return secretFromValue(value, ref);
    const failure = out.Errors?.find((entry) => entry.SecretId === ref.name);
    if (failure)
      return mapAwsError(
        { Code: failure.ErrorCode, Message: failure.Message },
        {
          scheme,
          operation: 'getMany',
          ref: ref.text,
        },
      );
    return new ProviderError(`${scheme} getMany: BatchGetSecretValue returned nothing for ${ref.text}`, {
      ref: ref.text,
      provider: scheme,
    });
  });
}

function batchGet(handle: SmHandle, scheme: string, refs: readonly SecretRef[], ctx: CallContext) {
  const ids = [...new Set(refs.map((ref) => ref.name))];
  return handle.run(ctx, { scheme, operation: 'getMany' }, (client, sdk, send) =>
    client.send(new sdk.BatchGetSecretValueCommand({ SecretIdList: ids }), send),
  );
}
