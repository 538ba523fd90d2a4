/**
 * The delete and recover streams of a provider: its SDK poller, its interval, its retries, and for a forced
 * delete the purge that follows.
 * @module
 */

import type { Observable } from 'rxjs';
import { type SecretRef, toMilliseconds } from '../../../provider-kit/index.js';
import type { KeyVaultContext } from '../context.js';
import type { KeyVaultProgressOptions } from '../key-vault-types.js';
import { pollerStream } from './poller-stream.js';
import {
  assertNotLive,
  beginOperation,
  describeOperation,
  type KeyVaultOperationState,
  type SecretOperationKind,
} from './secret-operations.js';

/** Streams a delete (purged after when `force`) or a recovery of `ref`, from the start or from `resumeFrom`. */
export function operationStream(
  kv: KeyVaultContext,
  kind: SecretOperationKind,
  ref: SecretRef,
  options: KeyVaultProgressOptions & { readonly force?: boolean },
  resumeFrom: string | undefined,
): Observable<KeyVaultOperationState> {
  const intervalMs =
    options.progressInterval === undefined
      ? kv.progressIntervalMs
      : toMilliseconds(options.progressInterval, 'progressInterval');
  const purge = async (ctx: { signal: AbortSignal }): Promise<KeyVaultOperationState> => {
    await kv.call('purge', ctx, (client, abortSignal) => client.purgeDeletedSecret(ref.name, { abortSignal }), {
      ref,
    });
    return { status: 'purged', done: true, operation: kind, name: ref.name, resumeFrom: '' };
  };
  let mustBeDeleted = kind === 'recover' && resumeFrom === undefined;
  return pollerStream({
    begin: async (from, signal) => {
      const client = await kv.holder.get();
      if (mustBeDeleted) {
        await assertNotLive(client, ref.name, signal);
        mustBeDeleted = false;
      }
      return beginOperation(client, kind, ref.name, intervalMs, from, signal);
    },
    describe: (state, serialized) => describeOperation(kind, state, serialized),
    mapError: (error) => kv.mapError(error, kind, { ref }),
    finish: kind === 'delete' && options.force === true ? purge : undefined,
    resumeFrom,
    intervalMs,
    binding: kv.binding,
    ref,
    operation: kind,
    call: options,
  }) as Observable<KeyVaultOperationState>;
}
