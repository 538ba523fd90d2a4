import { type CallContext, ProviderError, SecretNotFoundError, type SecretRef } from '../../../provider-kit/index.js';
import type { SsmHandle } from './ssm-client.js';
import { matchParameters } from './ssm-match.js';
import { ssmSelector } from './ssm-ref.js';
import type { ParameterFields } from './ssm-values.js';

/** Where one ref of a GetParameters call ended: its parameter, or the error for that ref alone. */
export type ParameterResult = ParameterFields | Error;

/**
 * One GetParameters call (at most 10 refs): results aligned with `refs`. Unknown names and versions come back in
 * `InvalidParameters` and become a SecretNotFoundError for that ref only. A selector the answer cannot be paired
 * with (a label, from a server that does not mark answers with `Selector`; see {@link matchParameters}) is read
 * alone with GetParameter.
 */
export async function getParameters(
  handle: SsmHandle,
  scheme: string,
  refs: readonly SecretRef[],
  withDecryption: boolean,
  operation: string,
  ctx: CallContext,
): Promise<ParameterResult[]> {
  const names = [...new Set(refs.map(ssmSelector))];
  const out = await handle.run(ctx, { scheme, operation }, (client, sdk, send) =>
    client.send(new sdk.GetParametersCommand({ Names: names, WithDecryption: withDecryption }), send),
  );
  const invalid = new Set(out.InvalidParameters ?? []);
  const found = matchParameters(names, out.Parameters ?? [], invalid);
  const alone = new Map<string, Promise<ParameterResult>>();
  for (const ref of refs) {
    const selector = ssmSelector(ref);
    if (found.has(selector) || invalid.has(selector) || alone.has(selector)) continue;
    alone.set(
      selector,
      getParameter(handle, scheme, ref, withDecryption, ctx, operation).catch((error: unknown) => error as Error),
    );
  }
  const read = new Map<string, ParameterResult>();
  for (const [selector, result] of alone) read.set(selector, await result);
  return refs.map((ref) => {
    const selector = ssmSelector(ref);
    const parameter = found.get(selector) ?? read.get(selector);
    if (parameter) return parameter;
    const versioned = ref.version !== undefined;
    return new SecretNotFoundError(
      `${scheme} ${operation} of ${ref.text}: ${versioned ? `version '${ref.version}' ` : ''}not found`,
      { ref: ref.text, provider: scheme, ...(versioned ? { version: ref.version } : {}) },
    );
  });
}

/** One GetParameter call (the ref's version or label, or the current one). */
export async function getParameter(
  handle: SsmHandle,
  scheme: string,
  ref: SecretRef,
  withDecryption: boolean,
  ctx: CallContext,
  operation = 'get',
): Promise<ParameterFields> {
  const label = { scheme, operation, ref: ref.text, version: ref.version };
  const out = await handle.run(ctx, label, (client, sdk, send) =>
    client.send(new sdk.GetParameterCommand({ Name: ssmSelector(ref), WithDecryption: withDecryption }), send),
  );
  if (!out.Parameter) throw new ProviderError(`${scheme} get of ${ref.text}: empty answer`, { ref: ref.text });
  return out.Parameter;
}
