import {
  type CallContext,
  type ListOptions,
  makeRef,
  type OperationOptions,
  type Page,
  type ProviderBinding,
  type SecretInfo,
  type SecretListing,
  type SecretRef,
  secretInfo,
} from '../../../provider-kit/index.js';
import { nextPageToken } from '../shared/next-token.js';
import type { SmHandle } from './sm-client.js';
import { secretInfoFromMetadata } from './sm-values.js';

/**
 * One ListSecrets page of the secrets whose names start with the prefix (a `name` filter; AWS matches it as a
 * prefix, and names are checked again here). Secrets scheduled for deletion are left out unless
 * `includePlannedDeletion` is set. Pages may be empty while a cursor follows.
 */
export async function listSecretsPage(
  handle: SmHandle,
  scheme: string,
  prefix: SecretRef,
  options: ListOptions,
  cursor: string | undefined,
  ctx: CallContext,
): Promise<Page<SecretInfo>> {
  const out = await handle.run(ctx, { scheme, operation: 'list', ref: prefix.text }, (client, sdk, send) =>
    client.send(
      new sdk.ListSecretsCommand({
        ...(prefix.name === '' ? {} : { Filters: [{ Key: 'name', Values: [prefix.name] }] }),
        MaxResults: Math.max(1, Math.min(options.pageSize ?? 100, 100)),
        ...(options.includePlannedDeletion === true ? { IncludePlannedDeletion: true } : {}),
        ...(cursor === undefined ? {} : { NextToken: cursor }),
      }),
      send,
    ),
  );
  const items = (out.SecretList ?? [])
    .filter((entry) => entry.Name?.startsWith(prefix.name))
    .map((entry) => secretInfoFromMetadata(scheme, entry));
  return { items, next: nextPageToken(out.NextToken) };
}

/** Options of `versions`. */
export interface SecretVersionsOptions extends OperationOptions {
  /** Include versions without any staging label (deprecated, removed by AWS in time). Default false. */
  readonly includeDeprecated?: boolean;
  /** Versions per ListSecretVersionIds page (1–100). Default 100. */
  readonly pageSize?: number;
}

/**
 * The versions of a secret with their staging labels (`metadata.stages`), pulled page by page from
 * ListSecretVersionIds, each page one call of the client's pipeline.
 */
export function listSecretVersions(
  handle: SmHandle,
  binding: ProviderBinding,
  scheme: string,
  ref: SecretRef,
  options: SecretVersionsOptions,
): SecretListing<SecretInfo> {
  const pageSize = Math.max(1, Math.min(options.pageSize ?? 100, 100));
  return binding.listing<SecretInfo>(
    'versions',
    ref,
    async (cursor, ctx) => {
      const out = await handle.run(ctx, { scheme, operation: 'versions', ref: ref.text }, (client, sdk, send) =>
        client.send(
          new sdk.ListSecretVersionIdsCommand({
            SecretId: ref.name,
            MaxResults: pageSize,
            ...(options.includeDeprecated === true ? { IncludeDeprecated: true } : {}),
            ...(cursor === undefined ? {} : { NextToken: cursor }),
          }),
          send,
        ),
      );
      const name = out.Name ?? ref.name;
      // Versions without a staging label are deprecated: left out unless asked for, as AWS documents (some
      // AWS-compatible servers, moto among them, return them regardless of IncludeDeprecated).
      const versions = (out.Versions ?? []).filter(
        (version) => options.includeDeprecated === true || (version.VersionStages?.length ?? 0) > 0,
      );
      const items = versions.map((version) =>
        secretInfo({
          ref: makeRef(scheme, name, version.VersionId),
          name,
          version: version.VersionId,
          createdAt: version.CreatedDate,
          metadata: {
            stages: [...(version.VersionStages ?? [])],
            ...(out.ARN === undefined ? {} : { arn: out.ARN }),
            ...(version.LastAccessedDate === undefined ? {} : { lastAccessedAt: version.LastAccessedDate }),
          },
        }),
      );
      return { items, next: nextPageToken(out.NextToken) };
    },
    options,
  );
}
