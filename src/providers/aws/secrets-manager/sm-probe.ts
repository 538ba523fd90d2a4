import {
  type CallContext,
  type ProbeResult,
  ProviderError,
  SecretDeletedError,
  SecretNotFoundError,
  type SecretRef,
} from '../../../provider-kit/index.js';
import { mapAwsError } from '../shared/map-error.js';
import { nextPageToken } from '../shared/next-token.js';
import type { SmHandle } from './sm-client.js';
import { coveringPrefixes, exactChunks } from './sm-prefixes.js';
import { designates, isArnRef, versionSelector } from './sm-ref.js';
import type { SecretMetadataFields } from './sm-values.js';
import { versionWithStage } from './sm-values.js';

/** The version token of one ref from its secret's metadata (a VersionId-to-stages map). */
function tokenOf(scheme: string, ref: SecretRef, entry: SecretMetadataFields | undefined): ProbeResult {
  const options = { ref: ref.text, provider: scheme };
  if (!entry) return { error: new SecretNotFoundError(`${scheme} probe of ${ref.text}: not found`, options) };
  if (entry.DeletedDate !== undefined) {
    return { error: new SecretDeletedError(`${scheme} probe of ${ref.text}: scheduled for deletion`, options) };
  }
  const map = entry.SecretVersionsToStages ?? entry.VersionIdsToStages;
  const selector = versionSelector(ref);
  // A VersionId never changes what it designates; deprecated versions (no stage) are not in the map.
  if (selector.VersionId !== undefined) return { version: selector.VersionId };
  const stage = selector.VersionStage ?? 'AWSCURRENT';
  const id = versionWithStage(map, stage);
  if (id !== undefined) return { version: id };
  return {
    error: new SecretNotFoundError(`${scheme} probe of ${ref.text}: no version has stage ${stage}`, {
      ...options,
      version: stage,
    }),
  };
}

/** DescribeSecret for each ref (strongly consistent, one call per secret); failures stay with their ref. */
export function probeByDescribe(handle: SmHandle, scheme: string, refs: readonly SecretRef[], ctx: CallContext) {
  return Promise.all(
    refs.map(async (ref): Promise<ProbeResult> => {
      try {
        const out = await handle.run(ctx, { scheme, operation: 'probe', ref: ref.text }, (client, sdk, send) =>
          client.send(new sdk.DescribeSecretCommand({ SecretId: ref.name }), send),
        );
        return tokenOf(scheme, ref, out);
      } catch (error) {
        return { error };
      }
    }),
  );
}

/**
 * Remembers, per set of watched names, whether prefix filters cost more pages than exact-name chunks would, so
 * the next probe of the same set uses the cheaper plan.
 */
export class ListProbePlanner {
  #exactFor = new Set<string>();

  plan(names: readonly string[]): { filters: string[][]; merged: boolean } {
    if (names.length <= 10 || this.#exactFor.has(names.join('\n')))
      return { filters: exactChunks(names), merged: false };
    const prefixes = coveringPrefixes(names);
    return { filters: [prefixes.includes('') ? [] : prefixes], merged: true };
  }

  record(names: readonly string[], merged: boolean, calls: number): void {
    const key = names.join('\n');
    if (merged && calls > Math.ceil(names.length / 10)) this.#exactFor.add(key);
    if (this.#exactFor.size > 100) this.#exactFor.clear();
  }
}

/** Every ListSecrets page for one set of name filter values (none: every secret), scheduled deletions included. */
async function listAll(handle: SmHandle, scheme: string, values: string[], ctx: CallContext) {
  const entries: SecretMetadataFields[] = [];
  let token: string | undefined;
  let calls = 0;
  do {
    const out = await handle.run(ctx, { scheme, operation: 'probe' }, (client, sdk, send) =>
      client.send(
        new sdk.ListSecretsCommand({
          ...(values.length === 0 ? {} : { Filters: [{ Key: 'name', Values: values }] }),
          IncludePlannedDeletion: true,
          MaxResults: 100,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
        send,
      ),
    );
    calls += 1;
    entries.push(...(out.SecretList ?? []));
    token = nextPageToken(out.NextToken);
  } while (token !== undefined);
  return { entries, calls };
}

/**
 * ListSecrets with name filters for named refs (metadata only, 100 secrets a page), DescribeSecret for ARN refs.
 */
export async function probeByList(
  handle: SmHandle,
  scheme: string,
  refs: readonly SecretRef[],
  planner: ListProbePlanner,
  ctx: CallContext,
): Promise<ProbeResult[]> {
  const named = refs.filter((ref) => !isArnRef(ref));
  const names = [...new Set(named.map((ref) => ref.name))].sort();
  const byArn = refs.filter(isArnRef);
  const [described, listed] = await Promise.all([
    probeByDescribe(handle, scheme, byArn, ctx),
    (async () => {
      if (names.length === 0) return new Map<string, SecretMetadataFields>();
      const { filters, merged } = planner.plan(names);
      const pages = await Promise.all(filters.map((values) => listAll(handle, scheme, values, ctx)));
      planner.record(
        names,
        merged,
        pages.reduce((sum, page) => sum + page.calls, 0),
      );
      const found = new Map<string, SecretMetadataFields>();
      for (const page of pages) for (const entry of page.entries) if (entry.Name) found.set(entry.Name, entry);
      return found;
    })(),
  ]);
  return refs.map((ref) => {
    if (!isArnRef(ref)) return tokenOf(scheme, ref, listed.get(ref.name));
    const result = described[byArn.indexOf(ref)];
    return result ?? { error: new ProviderError(`${scheme} probe of ${ref.text}: no result`, { ref: ref.text }) };
  });
}

/**
 * BatchGetSecretValue for refs at AWSCURRENT (20 a call: the engine's batch size), DescribeSecret for the others.
 * Strongly consistent, but every value is decrypted and transferred.
 */
export async function probeByBatchGet(handle: SmHandle, scheme: string, refs: readonly SecretRef[], ctx: CallContext) {
  const current = refs.filter((ref) => ref.version === undefined && !isArnRef(ref));
  const others = refs.filter((ref) => !current.includes(ref));
  const [described, out] = await Promise.all([
    probeByDescribe(handle, scheme, others, ctx),
    current.length === 0
      ? undefined
      : handle.run(ctx, { scheme, operation: 'probe' }, (client, sdk, send) =>
          client.send(
            new sdk.BatchGetSecretValueCommand({ SecretIdList: [...new Set(current.map((r) => r.name))] }),
            send,
          ),
        ),
  ]);
  return refs.map((ref): ProbeResult => {
    const other = others.indexOf(ref);
    if (other >= 0) return described[other] ?? { error: new ProviderError(`${scheme} probe: no result`) };
    const value = out?.SecretValues?.find((entry) => designates(ref, entry.Name, entry.ARN));
    if (value?.VersionId !== undefined) return { version: value.VersionId };
    const failure = out?.Errors?.find((entry) => entry.SecretId === ref.name);
    const native = { Code: failure?.ErrorCode ?? 'ResourceNotFoundException', Message: failure?.Message };
    return { error: mapAwsError(native, { scheme, operation: 'probe', ref: ref.text }) };
  });
}
