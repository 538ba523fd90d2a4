import { fromAbortable } from '../../../core/abortable.js';
import { createListing, type SecretListing } from '../../../core/listing.js';
import type { SecretRef } from '../../../core/ref.js';
import { type Secret, type SecretInfo, secretInfo } from '../../../core/secret.js';
import { nextPageToken } from '../shared/next-token.js';
import type { SsmHandle } from './ssm-client.js';
import { type ParameterFields, parameterInit, parameterSecret } from './ssm-values.js';

/** Options of `history`. */
export interface ParameterHistoryOptions {
  /** Yield each version with its (decrypted) value. Default false: metadata only, nothing decrypted. */
  readonly withValues?: boolean;
  /** Versions per GetParameterHistory page (1–50). Default 50. */
  readonly pageSize?: number;
  /** Aborts the page fetch in flight and ends the listing. */
  readonly signal?: AbortSignal;
}

/**
 * Every version of a parameter, oldest first, pulled page by page (GetParameterHistory): nothing is fetched before
 * the first item is asked for, `break` stops paging. Items carry `metadata.labels`. Pages are not retried.
 */
export function parameterHistory(
  handle: SsmHandle,
  scheme: string,
  ref: SecretRef,
  options: ParameterHistoryOptions,
): SecretListing<SecretInfo> | SecretListing<Secret> {
  const withValues = options.withValues === true;
  const pageSize = Math.max(1, Math.min(options.pageSize ?? 50, 50));
  const pages = <T extends SecretInfo | Secret>(toItem: (parameter: ParameterFields) => T) =>
    createListing<T>(
      ref,
      (cursor) =>
        fromAbortable(async (signal) => {
          const out = await handle.run(
            { signal },
            { scheme, operation: 'history', ref: ref.text },
            (client, sdk, send) =>
              client.send(
                new sdk.GetParameterHistoryCommand({
                  Name: ref.name,
                  WithDecryption: withValues,
                  MaxResults: pageSize,
                  ...(cursor === undefined ? {} : { NextToken: cursor }),
                }),
                send,
              ),
          );
          const items = (out.Parameters ?? []).map((version) => toItem({ ...version, Name: version.Name ?? ref.name }));
          return { items, next: nextPageToken(out.NextToken) };
        }),
      options.signal,
    );
  return withValues
    ? pages((parameter) => parameterSecret(scheme, parameter))
    : pages((parameter) => secretInfo(parameterInit(scheme, parameter)));
}
