import test from 'ava';
import { DH_ALGORITHM, PLAIN_ALGORITHM, type SessionAlgorithm } from '../../src/providers/secret-service/index.js';
import { LOGIN_COLLECTION, run, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';

const fixture = useSecretServiceDaemon(test);

const VALUE = Buffer.concat([Buffer.from('interop ✓ päss 秘密 ', 'utf8'), Buffer.from([0x00, 0xff, 0x80])]);
const TEXT_VALUE = 'interop ✓ päss 秘密';

// Debian's python3 has python3-secretstorage; a `python3` first on PATH may be another build without it.
const PYTHON = '/usr/bin/python3';

/** SecretStorage in a given session algorithm: `write` stores hex bytes, `read` prints the secret as hex. */
const PYTHON_CLIENT = `
import json, sys
import secretstorage
from secretstorage.dhcrypto import Session
from secretstorage.util import DBusAddressWrapper, SS_PATH, SERVICE_IFACE, open_session

action, algorithm, attributes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
connection = secretstorage.dbus_init()
if algorithm == 'plain':
    service = DBusAddressWrapper(SS_PATH, SERVICE_IFACE, connection)
    output, path = service.call('OpenSession', 'sv', 'plain', ('s', ''))
    session = Session()
    session.encrypted = False
    session.object_path = path
else:
    session = open_session(connection)
    assert session.encrypted
collection = secretstorage.Collection(connection, '${LOGIN_COLLECTION}', session=session)
if action == 'write':
    collection.create_item('from python', attributes, bytes.fromhex(sys.argv[4]), replace=True)
else:
    items = list(collection.search_items(attributes))
    assert len(items) == 1, len(items)
    print(items[0].get_secret().hex())
`;

for (const algorithm of [DH_ALGORITHM, PLAIN_ALGORITHM] as SessionAlgorithm[]) {
  const pythonAlgorithm = algorithm === DH_ALGORITHM ? 'dh' : 'plain';

  test(`${pythonAlgorithm}: what we write, python secretstorage reads`, async (t) => {
    const client = await fixture.client({ algorithm });
    const attributes = uniqueAttributes({ writer: 'rxsecrets' });
    await client.collection(LOGIN_COLLECTION).createItem({ label: 'from rxsecrets', attributes, secret: VALUE });
    const stdout = await run(fixture.daemon, PYTHON, [
      '-c',
      PYTHON_CLIENT,
      'read',
      pythonAlgorithm,
      JSON.stringify(attributes),
    ]);
    t.deepEqual(Buffer.from(stdout.toString('utf8').trim(), 'hex'), VALUE);
  });

  test(`${pythonAlgorithm}: what python secretstorage writes, we read`, async (t) => {
    const client = await fixture.client({ algorithm });
    const attributes = uniqueAttributes({ writer: 'python' });
    await run(fixture.daemon, PYTHON, [
      '-c',
      PYTHON_CLIENT,
      'write',
      pythonAlgorithm,
      JSON.stringify(attributes),
      VALUE.toString('hex'),
    ]);
    const { unlocked } = await client.searchItems(attributes);
    t.is(unlocked.length, 1);
    t.deepEqual(Buffer.from((await unlocked[0]!.secret()).value), VALUE);
    t.is(await unlocked[0]!.label(), 'from python');
  });
}

test('what secret-tool stores, we read', async (t) => {
  const client = await fixture.client();
  const attributes = uniqueAttributes({ writer: 'secret-tool' });
  await run(
    fixture.daemon,
    'secret-tool',
    ['store', '--label=from secret-tool', ...Object.entries(attributes).flat()],
    TEXT_VALUE,
  );
  const { unlocked } = await client.searchItems(attributes);
  t.is(unlocked.length, 1);
  t.is((await unlocked[0]!.secret()).text(), TEXT_VALUE);
  t.is(await unlocked[0]!.label(), 'from secret-tool');
  t.like(await unlocked[0]!.attributes(), attributes);
});

test('what we store, secret-tool looks up (and clears)', async (t) => {
  const client = await fixture.client();
  const attributes = uniqueAttributes({ writer: 'rxsecrets' });
  await client.collection(LOGIN_COLLECTION).createItem({ label: 'for secret-tool', attributes, secret: TEXT_VALUE });
  const args = Object.entries(attributes).flat();
  const stdout = await run(fixture.daemon, 'secret-tool', ['lookup', ...args]);
  t.is(stdout.toString('utf8'), TEXT_VALUE);
  await run(fixture.daemon, 'secret-tool', ['clear', ...args]);
  t.deepEqual((await client.searchItems(attributes)).unlocked, []);
});
