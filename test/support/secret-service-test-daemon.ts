import { type SecretServiceDaemon, startSecretServiceDaemon } from './secret-service-daemon.js';

/** A Secret Service daemon on a private bus for one test, stopped when the test ends. */
export async function daemonFor(
  t: { teardown(fn: () => Promise<void>): void },
  options?: Parameters<typeof startSecretServiceDaemon>[0],
): Promise<SecretServiceDaemon> {
  const daemon = await startSecretServiceDaemon(options);
  t.teardown(() => daemon.stop());
  return daemon;
}
