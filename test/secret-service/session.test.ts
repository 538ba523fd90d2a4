import {
  createCipheriv,
  createDiffieHellman,
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  getDiffieHellman,
  hkdfSync,
  type KeyObject,
  type KeyPairKeyObjectResult,
  randomBytes,
} from 'node:crypto';
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

// getDiffieHellman validates the prime on every call (~60 ms): once for the file
const modp2 = getDiffieHellman('modp2');

/** An independent peer (Node's classic DH API) with the given private key, or a random one. */
function classicPeer(privateKey: Buffer = randomBytes(32)) {
  const peer = createDiffieHellman(modp2.getPrime(), modp2.getGenerator());
  peer.setPrivateKey(privateKey);
  peer.generateKeys(); // derives the public key from the private key just set
  return peer;
}

/**
 * The first private key of a fixed sequence (SHA-256 of `short-key-0`, `short-key-1`, …) whose public key is exactly
 * 127 bytes (top byte zero, next one not). About 1 key in 256 qualifies; the sequence is fixed, so every run finds
 * the same key and no test depends on chance.
 */
function privateKeyWithShortPublicKey(): Buffer {
  const peer = createDiffieHellman(modp2.getPrime(), modp2.getGenerator());
  for (let index = 0; index < 100_000; index++) {
    const candidate = createHash('sha256').update(`short-key-${index}`).digest();
    peer.setPrivateKey(candidate);
    if (peer.generateKeys().length === 127) return candidate;
  }
  throw new Error('no key of the fixed sequence has a 127-byte public key'); // unreachable: the sequence is fixed
}

/** A DER element: tag, length, content. */
function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  const lengthBytes = length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...lengthBytes]), content]);
}

/** Where the DER element starting at `offset` ends. */
function derEnd(bytes: Buffer, offset: number): number {
  const first = bytes[offset + 1] ?? 0;
  if (first < 0x80) return offset + 2 + first;
  let length = 0;
  for (let index = 0; index < (first & 0x7f); index++) length = length * 256 + (bytes[offset + 2 + index] ?? 0);
  return offset + 2 + (first & 0x7f) + length;
}

/**
 * The modp2 private KeyObject for the private value `x`: a generated key's PKCS#8 (SEQUENCE { version,
 * AlgorithmIdentifier with p and g, OCTET STRING { INTEGER x } }) with its private value replaced.
 */
function modp2PrivateKey(x: Buffer): KeyObject {
  // @types/node has no overload for 'dh' key pairs with a named group, which Node supports
  const generate = generateKeyPairSync as unknown as (
    type: 'dh',
    options: { group: 'modp2' },
  ) => KeyPairKeyObjectResult;
  const template = generate('dh', { group: 'modp2' }).privateKey.export({ format: 'der', type: 'pkcs8' });
  const contentStart = 2 + ((template[1] ?? 0) & 0x80 ? (template[1] ?? 0) & 0x7f : 0);
  const algorithmEnd = derEnd(template, derEnd(template, contentStart));
  const integer = (x[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), x]) : x; // DER INTEGERs are signed
  const pkcs8 = der(
    0x30,
    Buffer.concat([template.subarray(contentStart, algorithmEnd), der(0x04, der(0x02, integer))]),
  );
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

/** The key the spec derives from a shared secret: HKDF-SHA256 over the secret left-padded to 128 bytes. */
function specKey(shared: Buffer): Buffer {
  const padded = Buffer.concat([Buffer.alloc(128 - shared.length), shared]);
  return Buffer.from(hkdfSync('sha256', padded, Buffer.alloc(0), Buffer.alloc(0), 16));
}

test('a DH session sends ciphertext with a fresh 16-byte IV per secret', (t) => {
  const exchange = createDhKeyExchange();
  const peer = classicPeer();
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
  const peer = classicPeer(privateKeyWithShortPublicKey());
  t.is(peer.getPublicKey().length, 127);
  const exchange = createDhKeyExchange();
  const key = exchange.deriveKey(peer.getPublicKey());
  t.deepEqual(key, specKey(peer.computeSecret(exchange.publicKey)));
  // the service encrypting with its key is readable by us
  const iv = Buffer.alloc(16, 7);
  const cipher = createCipheriv('aes-128-cbc', specKey(peer.computeSecret(exchange.publicKey)), iv);
  t.deepEqual(decryptSecret(key, iv, Buffer.concat([cipher.update('x'), cipher.final()])), Buffer.from('x'));
});

test('our public key is sent as 128 bytes when its top byte is zero (KWallet refuses 127), and still agrees', (t) => {
  const privateKey = privateKeyWithShortPublicKey();
  const exchange = createDhKeyExchange(modp2PrivateKey(privateKey));
  // the classic API's public key for that private key is the same number without its zero top byte
  const unpadded = classicPeer(privateKey).getPublicKey();
  t.is(unpadded.length, 127);
  t.is(exchange.publicKey.length, 128);
  t.is(exchange.publicKey[0], 0);
  t.deepEqual(exchange.publicKey.subarray(1), unpadded);
  const peer = classicPeer();
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
