/**
 * The delete and recover streams of a provider: its SDK poller, its interval, its retries, and for a forced
 * delete the purge that follows.
 * @module
 */
import type { Observable } from 'rxjs';
import { toMilliseconds } from '../../../core/durations.js';
import type { SecretRef } from '../../../core/ref.js';
import type { KeyVaultContext } from '../context.js';
import type { KeyVaultPollOptions } from '../key-vault-types.js';
import { assertKeyVaultRef } from '../secret-name.js';
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
  options: KeyVaultPollOptions & { readonly force?: boolean },
  resumeFrom: string | undefined,
): Observable<KeyVaultOperationState> {
  assertKeyVaultRef(ref);
  const intervalMs =
    options.pollInterval === undefined ? kv.pollIntervalMs : toMilliseconds(options.pollInterval, 'pollInterval');
  const purge = async (signal: AbortSignal): Promise<KeyVaultOperationState> => {
    await kv.call('purge', { signal }, (client, abortSignal) => client.purgeDeletedSecret(ref.name, { abortSignal }), {
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
    retry: kv.retry,
    label: { provider: kv.scheme, operation: kind, ref: ref.text },
  }) as Observable<KeyVaultOperationState>;
}
