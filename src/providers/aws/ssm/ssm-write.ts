import { firstValueFrom } from 'rxjs';
import {
  type CallContext,
  PartialWriteError,
  type ProviderBinding,
  type SecretInfo,
  type SecretRef,
  type SetOptions,
  secretInfo,
} from '../../../provider-kit/index.js';
import { nextPageToken } from '../shared/next-token.js';
import type { ParameterSetOptions } from './parameter-store-options.js';
import type { SsmHandle } from './ssm-client.js';
import type { ParameterFields } from './ssm-values.js';
import { parameterInit, parameterText } from './ssm-values.js';

/** The type and KMS key of an existing parameter (DescribeParameters, Name Equals), or undefined. */
async function describeParameter(
  handle: SsmHandle,
  scheme: string,
  ref: SecretRef,
  ctx: CallContext,
): Promise<ParameterFields | undefined> {
  let token: string | undefined;
  // With a filter, AWS may answer empty pages before the match: follow the tokens.
  do {
    const out = await handle.run(ctx, { scheme, operation: 'set', ref: ref.text }, (client, sdk, send) =>
      client.send(
        new sdk.DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [ref.name] }],
          MaxResults: 50,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
        send,
      ),
    );
    const found = out.Parameters?.find((p) => p.Name === ref.name);
    if (found) return found;
    token = nextPageToken(out.NextToken);
  } while (token !== undefined);
  return undefined;
}

/**
 * Writes a parameter: an update keeps the existing type and KMS key (as s1crets' update does; PutParameter with
 * Overwrite would otherwise fall back to the default key), a new one gets `options.type` or the default type.
 * With `ifNotExists`, a single PutParameter without Overwrite (an existing name is a ConflictError).
 *
 * AWS refuses tags with Overwrite, so the tags of an existing parameter are a second call, after the value is
 * written: that step is retried on its own (through `binding`), and if it still fails the error is a
 * PartialWriteError naming the new version, never a retry of the whole write.
 */
export async function putParameter(
  handle: SsmHandle,
  binding: ProviderBinding,
  scheme: string,
  ref: SecretRef,
  value: string | Uint8Array,
  options: SetOptions & ParameterSetOptions,
  defaultType: string,
  ctx: CallContext,
): Promise<SecretInfo> {
  const existing = options.ifNotExists === true ? undefined : await describeParameter(handle, scheme, ref, ctx);
  const type = options.type ?? existing?.Type ?? defaultType;
  const keyId = options.keyId ?? (type === 'SecureString' ? existing?.KeyId : undefined);
  const text = parameterText(value, type, options.contentType, ref);
  const label = { scheme, operation: 'set', ref: ref.text };
  const tags = Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const out = await handle.run(ctx, label, (client, sdk, send) =>
    client.send(
      new sdk.PutParameterCommand({
        Name: ref.name,
        Value: text,
        Type: type as 'String',
        ...(keyId === undefined ? {} : { KeyId: keyId }),
        ...(options.tier === undefined ? {} : { Tier: options.tier as 'Standard' }),
        ...(options.description === undefined ? {} : { Description: options.description }),
        ...(options.dataType === undefined ? {} : { DataType: options.dataType }),
        ...(options.allowedPattern === undefined ? {} : { AllowedPattern: options.allowedPattern }),
        // AWS refuses Tags together with Overwrite: tags of an existing parameter are added separately.
        ...(existing ? { Overwrite: true } : tags.length > 0 ? { Tags: tags } : {}),
      }),
      send,
    ),
  );
  const init = parameterInit(scheme, { Name: ref.name, Type: type, Version: out.Version, Tier: out.Tier });
  const info = secretInfo({ ...init, tags: options.tags, updatedAt: new Date() });
  if (existing && tags.length > 0) {
    const tagging = binding.call(
      'tag',
      (step) =>
        handle.run(step, { scheme, operation: 'tag', ref: ref.text }, (client, sdk, send) =>
          client.send(
            new sdk.AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: ref.name, Tags: tags }),
            send,
          ),
        ),
      { ref, signal: ctx.signal },
    );
    try {
      await firstValueFrom(tagging);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      throw new PartialWriteError(
        `${scheme} set of ${ref.text}: the value was written as version ${String(out.Version)}, but adding its tags failed`,
        { ref: ref.text, provider: scheme, cause: error, written: info },
      );
    }
  }
  return info;
}

/** Deletes a parameter (every version) at once: Parameter Store has no recovery window. */
export async function deleteParameter(
  handle: SsmHandle,
  scheme: string,
  ref: SecretRef,
  ctx: CallContext,
): Promise<void> {
  await handle.run(ctx, { scheme, operation: 'delete', ref: ref.text }, (client, sdk, send) =>
    client.send(new sdk.DeleteParameterCommand({ Name: ref.name }), send),
  );
}
