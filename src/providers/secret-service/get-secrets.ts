import { isSecretNotFoundError } from '../../provider-kit/index.js';
import type { CallOptions } from './connection.js';
import { Interfaces, SERVICE_PATH } from './constants.js';
import type { SecretServiceContext } from './context.js';
import { getProperty } from './properties.js';
import type { SecretBytes } from './secret-value.js';

/** The result of a batch read (`Service.GetSecrets`): one entry per requested item, none silently dropped. */
export interface GetSecretsResult {
  /** The secrets read, keyed by item path. */
  readonly secrets: Map<string, SecretBytes>;
  /** Requested items the service did not return because they are locked. */
  readonly locked: string[];
  /** Requested items that were not returned and are not locked: they do not exist (any more). */
  readonly missing: string[];
}

/**
 * Reads many secrets in one call (`Service.GetSecrets`) in the context's session. The service silently omits locked
 * items (gnome-keyring) or answers an empty secret for them (KWallet); this compares requested with returned and
 * reports each omitted item as locked or missing, and an empty secret as locked when its item is (one property read
 * per omission or empty value).
 */
export async function getSecrets(
  context: SecretServiceContext,
  itemPaths: readonly string[],
  options?: CallOptions,
): Promise<GetSecretsResult> {
  const paths = [...new Set(itemPaths)];
  const secrets = await context.withSession(options, async (session) => {
    const [returned] = await context.connection.call(
      {
        path: SERVICE_PATH,
        interface: Interfaces.service,
        member: 'GetSecrets',
        signature: 'aoo',
        body: [paths, session.path],
      },
      options,
    );
    const decoded = new Map<string, SecretBytes>();
    for (const [path, struct] of Object.entries(returned as Record<string, unknown>)) {
      decoded.set(path, session.decode(struct));
    }
    return decoded;
  });
  // KWallet answers an empty secret for a locked item instead of omitting it: an empty value is only trusted once
  // the item says it is unlocked
  const empty = [...secrets].filter(([, bytes]) => bytes.value.length === 0).map(([path]) => path);
  const emptyStates = await Promise.all(empty.map((path) => lockState(context, path, options)));
  for (const [index, path] of empty.entries()) {
    if (emptyStates[index] === 'unlocked') continue;
    secrets.get(path)?.wipe();
    secrets.delete(path);
  }
  const omitted = paths.filter((path) => !secrets.has(path));
  const states = await Promise.all(omitted.map((path) => lockState(context, path, options)));
  return {
    secrets,
    locked: omitted.filter((_, index) => states[index] === 'locked'),
    missing: omitted.filter((_, index) => states[index] !== 'locked'),
  };
}

/**
 * {@link getSecrets} in chunks of at most `chunkSize` items, all sent at once, merged into one result: the service
 * works on one chunk while this process decodes another (with 500 items ~10 % faster than one call). `onChunk` sees
 * each chunk's secrets as they arrive (before the others), so a caller can use them meanwhile; they stay in the
 * merged result (the caller wipes them). When any chunk (or `onChunk`) fails, every secret read is wiped and the first
 * failure is thrown.
 */
export async function getSecretsInChunks(
  context: SecretServiceContext,
  itemPaths: readonly string[],
  chunkSize: number,
  options?: CallOptions,
  onChunk?: (secrets: ReadonlyMap<string, SecretBytes>) => void,
): Promise<GetSecretsResult> {
  const paths = [...new Set(itemPaths)];
  const chunks: string[][] = [];
  for (let start = 0; start < paths.length; start += chunkSize) chunks.push(paths.slice(start, start + chunkSize));
  const read = async (chunk: string[]): Promise<GetSecretsResult> => {
    const result = await getSecrets(context, chunk, options);
    try {
      onChunk?.(result.secrets);
    } catch (error) {
      for (const bytes of result.secrets.values()) bytes.wipe();
      throw error;
    }
    return result;
  };
  const settled = await Promise.allSettled(chunks.length === 0 ? [read([])] : chunks.map(read));
  const results = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    for (const result of results) for (const bytes of result.secrets.values()) bytes.wipe();
    throw failure.reason;
  }
  return {
    secrets: new Map(results.flatMap((result) => [...result.secrets])),
    locked: results.flatMap((result) => result.locked),
    missing: results.flatMap((result) => result.missing),
  };
}

async function lockState(
  context: SecretServiceContext,
  path: string,
  options?: CallOptions,
): Promise<'locked' | 'unlocked' | 'missing'> {
  try {
    return (await getProperty(context.connection, path, Interfaces.item, 'Locked', options)) ? 'locked' : 'unlocked';
  } catch (error) {
    if (isSecretNotFoundError(error)) return 'missing';
    throw error;
  }
}
