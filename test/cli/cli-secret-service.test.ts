// The compiled CLI against a private gnome-keyring on a private bus: set / get through secret-service refs (read
// back by secret-tool), and a locked collection with --non-interactive failing fast with 77.
import test from 'ava';
import { cliMain, runCli } from '../support/cli.js';
import { LOGIN_COLLECTION, run, useSecretServiceDaemon } from '../support/secret-service-fixture.js';

const fixture = useSecretServiceDaemon(test);
test.before(() => cliMain());

const rxs = (args: string[], input?: string) =>
  runCli(args, { env: { ...fixture.daemon.env }, ...(input === undefined ? {} : { input }) });

test.serial('set and get a keyring item; secret-tool reads what the CLI wrote', async (t) => {
  const ref = 'secret-service:default?service=rxs-cli&user=alice';
  const set = await rxs(['set', ref], 'keyring-value-1\n');
  t.is(set.code, 0, set.stderr);
  t.is((await rxs(['get', ref])).stdout, 'keyring-value-1\n');
  const lookedUp = await run(fixture.daemon, 'secret-tool', ['lookup', 'service', 'rxs-cli', 'user', 'alice']);
  t.is(lookedUp.toString('utf8'), 'keyring-value-1');
  t.is((await rxs(['get', 'secret-service:default?service=rxs-cli&user=nobody'])).code, 66);
});

test.serial('a locked keyring with --non-interactive fails fast with 77 (no prompt)', async (t) => {
  const ref = 'secret-service:default?service=rxs-cli&user=locked';
  t.is((await rxs(['set', ref], 'v')).code, 0);
  await fixture.daemon.lock(LOGIN_COLLECTION);
  t.teardown(() => fixture.daemon.unlock(LOGIN_COLLECTION));
  const result = await rxs(['get', '--non-interactive', ref]);
  t.is(result.code, 77, result.stderr);
  t.regex(result.stderr, /Locked/);
  const fromEnv = await runCli(['get', ref], { env: { ...fixture.daemon.env, RXSECRETS_NON_INTERACTIVE: '1' } });
  t.is(fromEnv.code, 77);
});
