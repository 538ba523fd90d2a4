import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { DH_ALGORITHM, PLAIN_ALGORITHM, type SessionAlgorithm } from '../../src/providers/secret-service/index.js';
import { LOGIN_COLLECTION, run, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';
import { refFor, secretsOn } from '../support/secret-service-provider-fixture.js';

// secret-tool interop runs on every service in the contract (./contracts/interop-contract.ts); python
// SecretStorage is a second independent client, here on gnome-keyring.
const fixture = useSecretServiceDaemon(test);
const PYTHON = '/usr/bin/python3';
const TEXT = 'interop ✓ päss 秘密';

/** python SecretStorage: `write ATTRS TEXT` stores, `read ATTRS` prints the one matching secret as UTF-8. */
const PYTHON_CLIENT = `
import json, sys
import secretstorage
connection = secretstorage.dbus_init()
collection = secretstorage.Collection(connection, '${LOGIN_COLLECTION}')
attributes = json.loads(sys.argv[2])
if sys.argv[1] == 'write':
    collection.create_item('from python', attributes, sys.argv[3].encode('utf-8'), replace=True)
else:
    items = list(collection.search_items(attributes))
    assert len(items) == 1, len(items)
    sys.stdout.write(items[0].get_secret().decode('utf-8'))
`;

for (const algorithm of [DH_ALGORITHM, PLAIN_ALGORITHM] as SessionAlgorithm[]) {
  const name = algorithm === DH_ALGORITHM ? 'dh' : 'plain';

  test(`${name}: what python secretstorage writes, the provider reads; what it writes, python reads`, async (t) => {
    const secrets = secretsOn(t, fixture.daemon, { algorithm });
    const fromPython = uniqueAttributes({ writer: 'python' });
    await run(fixture.daemon, PYTHON, ['-c', PYTHON_CLIENT, 'write', JSON.stringify(fromPython), TEXT]);
    t.is((await firstValueFrom(secrets.get(refFor(fromPython)))).value, TEXT);

    const fromUs = uniqueAttributes({ writer: 'rxsecrets' });
    await firstValueFrom(secrets.set(refFor(fromUs), `${TEXT} (rx)`));
    const stdout = await run(fixture.daemon, PYTHON, ['-c', PYTHON_CLIENT, 'read', JSON.stringify(fromUs)]);
    t.is(stdout.toString('utf8'), `${TEXT} (rx)`);
  });
}
