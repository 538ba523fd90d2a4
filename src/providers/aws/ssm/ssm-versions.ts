import {
  type OperationOptions,
  type ProviderBinding,
  type Secret,
  type SecretInfo,
  type SecretListing,
  type SecretRef,
  secretInfo,
} from '../../../provider-kit/index.js';
import { nextPageToken } from '../shared/next-token.js';
import type { SsmHandle } from './ssm-client.js';
import { type ParameterFields, parameterInit, parameterSecret } from './ssm-values.js';

/** Options of `versions`. */
export interface ParameterVersionsOptions extends OperationOptions {
  /** Yield each version with its (decrypted) value. Default false: metadata only, nothing decrypted. */
  readonly withValues?: boolean;
  /** Versions per GetParameterHistory page (1–50). Default 50. */
  readonly pageSize?: number;
}

/**
 * Every version of a parameter, oldest first, pulled page by page (GetParameterHistory), each page one call of the
 * client's pipeline: nothing is fetched before the first item is asked for, `break` stops paging. Items carry
 * `metadata.labels`.
 */
export function parameterVersions(
  handle: SsmHandle,
  binding: ProviderBinding,
  scheme: string,
  ref: SecretRef,
  options: ParameterVersionsOptions,
): SecretListing<SecretInfo> | SecretListing<Secret> {
  const withValues = options.withValues === true;
  const pageSize = Math.max(1, Math.min(options.pageSize ?? 50, 50));
  const pages = <T extends SecretInfo | Secret>(toItem: (parameter: ParameterFields) => T) =>
    binding.listing<T>(
      'versions',
      ref,
      async (cursor, ctx) => {
        const out = await handle.run(ctx, { scheme, operation: 'versions', ref: ref.text }, (client, sdk, send) =>
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
      },
      options,
    );
  return withValues
    ? pages((parameter) => parameterSecret(scheme, parameter))
    : pages((parameter) => secretInfo(parameterInit(scheme, parameter)));
}
