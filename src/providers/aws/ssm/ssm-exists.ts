import { type CallContext, isSecretNotFoundError, type SecretRef } from '../../../provider-kit/index.js';
import { nextPageToken } from '../shared/next-token.js';
import type { SsmHandle } from './ssm-client.js';
import { getParameters } from './ssm-read.js';

/**
 * Whether the ref names a parameter (its version or label, when given) or, for a path, whether anything lies
 * below it (as s1crets' `path_exists`). One GetParameters call, plus by-path pages only when that misses.
 */
export async function parameterExists(
  handle: SsmHandle,
  scheme: string,
  ref: SecretRef,
  ctx: CallContext,
): Promise<boolean> {
  const [result] = await getParameters(handle, scheme, [ref], false, 'exists', ctx);
  if (result !== undefined && !(result instanceof Error)) return true;
  if (result !== undefined && !isSecretNotFoundError(result)) throw result;
  if (ref.version !== undefined || !ref.name.startsWith('/')) return false;
  let token: string | undefined;
  do {
    const out = await handle.run(ctx, { scheme, operation: 'exists', ref: ref.text }, (client, sdk, send) =>
      client.send(
        new sdk.GetParametersByPathCommand({
          Path: ref.name,
          Recursive: true,
          MaxResults: 1,
          WithDecryption: false,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
        send,
      ),
    );
    if ((out.Parameters?.length ?? 0) > 0) return true;
    token = nextPageToken(out.NextToken);
  } while (token !== undefined);
  return false;
}
