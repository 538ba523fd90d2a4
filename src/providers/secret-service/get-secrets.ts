import { isSecretNotFoundError } from '../../core/errors/index.js';
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
 * items; this compares requested with returned and reports each omitted item as locked or missing (one property read
 * per omission).
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
  const omitted = paths.filter((path) => !secrets.has(path));
  const states = await Promise.all(omitted.map((path) => lockState(context, path, options)));
  return {
    secrets,
    locked: omitted.filter((_, index) => states[index] === 'locked'),
    missing: omitted.filter((_, index) => states[index] !== 'locked'),
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
