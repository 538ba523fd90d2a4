import type { Secrets } from '../../src/index.js';
import type { SecretServiceProvider } from '../../src/providers/secret-service/index.js';

/**
 * Counts the D-Bus calls the facade's Secret Service provider makes, by member, from now on (connecting and opening
 * the session first, so neither is counted). Returns a reader of the counts so far.
 */
export async function countCalls(secrets: Secrets): Promise<() => Record<string, number>> {
  const client = await secrets.provider<SecretServiceProvider>('secret-service').client();
  await client.session();
  const connection = client.connection;
  const original = connection.call.bind(connection);
  const counts: Record<string, number> = {};
  connection.call = (method, options) => {
    counts[method.member] = (counts[method.member] ?? 0) + 1;
    return original(method, options);
  };
  return () => ({ ...counts });
}
