import { createCipheriv, createDiffieHellman, getDiffieHellman, hkdfSync, randomBytes } from 'node:crypto';
import test from 'ava';
import dbus from 'dbus-next';
import { isClosedError, isValidationError } from '../../src/core/errors/index.js';
import {
  DBusErrorNames,
  DH_ALGORITHM,
  dbusErrorName,
  Interfaces,
  PLAIN_ALGORITHM,
  SERVICE_PATH,
  SecretSession,
  type SessionAlgorithm,
} from '../../src/providers/secret-service/index.js';
import {
  createDhKeyExchange,
  decryptSecret,
  encryptSecret,
} from '../../src/providers/secret-service/session-crypto.js';
import { LOGIN_COLLECTION, uniqueAttributes, useSecretServiceDaemon } from '../support/secret-service-fixture.js';

const fixture = useSecretServiceDaemon(test);

// UTF-8 text outside ASCII, a NUL byte, and bytes that are not valid UTF-8 at all
const NON_ASCII = Buffer.concat([Buffer.from('pä$$ wörd ✓ 秘密 🔑\0', 'utf8'), Buffer.from([0xff, 0xfe, 0x80])]);

for (const algorithm of [DH_ALGORITHM, PLAIN_ALGORITHM]) {
  test(`${algorithm}: a value with non-ASCII bytes survives a store and a read`, async (t) => {
    const client = await fixture.client({ algorithm });
    const session = await client.session();
    t.is(session.algorithm, algorithm);
    const collection = client.collection(LOGIN_COLLECTION);
    const item = await collection.createItem({
      label: 'non-ascii',
      attributes: uniqueAttributes(),
      secret: NON_ASCII,
      contentType: 'application/octet-stream',
    });
    const secret = await item.secret();
    t.deepEqual(Buffer.from(secret.value), NON_ASCII);
    // gnome-keyring 42 does not keep content types: every secret reads back as text/plain
    t.is(secret.contentType, 'text/plain');
  });
}

/** An independent peer (Node's classic DH API) whose private key can be re-rolled cheaply. */
function classicPeer() {
  const modp2 = getDiffieHellman('modp2');
  const peer = createDiffieHellman(modp2.getPrime(), modp2.getGenerator());
  return {
    reroll: () => {
      peer.setPrivateKey(randomBytes(32));
      peer.generateKeys(); // derives the public key from the private key just set
      return peer;
    },
  };
}

/** The key the spec derives from a shared secret: HKDF-SHA256 over the secret left-padded to 128 bytes. */
function specKey(shared: Buffer): Buffer {
  const padded = Buffer.concat([Buffer.alloc(128 - shared.length), shared]);
  return Buffer.from(hkdfSync('sha256', padded, Buffer.alloc(0), Buffer.alloc(0), 16));
}

test('a DH session sends ciphertext with a fresh 16-byte IV per secret', (t) => {
  const exchange = createDhKeyExchange();
  const peer = classicPeer().reroll();
  const key = exchange.deriveKey(peer.getPublicKey());
  t.deepEqual(key, specKey(peer.computeSecret(exchange.publicKey)));
  const first = encryptSecret(key, Buffer.from('same value'));
  const second = encryptSecret(key, Buffer.from('same value'));
  t.is(first.iv.length, 16);
  t.notDeepEqual(first.iv, second.iv);
  t.notDeepEqual(first.ciphertext, second.ciphertext);
  t.false(first.ciphertext.includes(Buffer.from('same value')));
  t.deepEqual(decryptSecret(key, second.iv, second.ciphertext), Buffer.from('same value'));
});

test('a 127-byte public key from the service is accepted (same key as the spec derivation)', (t) => {
  const peers = classicPeer();
  let peer = peers.reroll();
  for (let attempt = 0; attempt < 5000 && peer.getPublicKey().length === 128; attempt++) peer = peers.reroll();
  t.is(peer.getPublicKey().length, 127, 'no 127-byte public key in 5000 tries');
  const exchange = createDhKeyExchange();
  const key = exchange.deriveKey(peer.getPublicKey());
  t.deepEqual(key, specKey(peer.computeSecret(exchange.publicKey)));
  // the service encrypting with its key is readable by us
  const iv = Buffer.alloc(16, 7);
  const cipher = createCipheriv('aes-128-cbc', specKey(peer.computeSecret(exchange.publicKey)), iv);
  t.deepEqual(decryptSecret(key, iv, Buffer.concat([cipher.update('x'), cipher.final()])), Buffer.from('x'));
});

test('our public key is sent as 128 bytes even when its top byte is zero (KWallet refuses 127), and still agrees', (t) => {
  let exchange = createDhKeyExchange();
  for (let attempt = 0; attempt < 3000 && exchange.publicKey[0] !== 0; attempt++) exchange = createDhKeyExchange();
  t.is(exchange.publicKey[0], 0, 'no public key with a zero top byte in 3000 tries');
  t.is(exchange.publicKey.length, 128);
  const peer = classicPeer().reroll();
  t.deepEqual(exchange.deriveKey(peer.getPublicKey()), specKey(peer.computeSecret(exchange.publicKey)));
});

test('closing a session closes it on the service and forgets the key', async (t) => {
  const client = await fixture.client();
  const session = await SecretSession.open(client.connection);
  const struct = session.encode('x');
  await session.close();
  t.true(session.isClosed);
  t.true(isClosedError(t.throws(() => session.encode('x'))));
  t.true(isClosedError(t.throws(() => session.decode(struct))));
  // the service no longer knows the session: a read in it fails
  const item = await client
    .collection(LOGIN_COLLECTION)
    .createItem({ label: 'c', attributes: uniqueAttributes(), secret: 'v' });
  const error = await t.throwsAsync(
    client.connection.call({
      path: item.path,
      interface: 'org.freedesktop.Secret.Item',
      member: 'GetSecret',
      signature: 'o',
      body: [session.path],
    }),
  );
  t.regex(error.message, /GetSecret/);
});

test('the service refuses an unknown algorithm with NotSupported; the client refuses it before sending', async (t) => {
  const client = await fixture.client();
  const refused = await t.throwsAsync(
    client.connection.call({
      path: SERVICE_PATH,
      interface: Interfaces.service,
      member: 'OpenSession',
      signature: 'sv',
      body: ['dh-ietf9999-nope', new dbus.Variant('s', '')],
    }),
  );
  t.is(dbusErrorName(refused), DBusErrorNames.notSupported);
  const invalid = await t.throwsAsync(
    SecretSession.open(client.connection, { algorithm: 'dh-ietf9999-nope' as SessionAlgorithm }),
  );
  t.true(isValidationError(invalid));
});
