import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  type KeyPairKeyObjectResult,
  randomBytes,
} from 'node:crypto';

// @types/node has no overload for 'dh' key pairs with a named group, which Node supports
const generateDhKeyPair = generateKeyPairSync as unknown as (
  type: 'dh',
  options: { group: 'modp2' },
) => KeyPairKeyObjectResult;

const PRIME_BYTES = 128; // RFC 2409 second Oakley group: 1024-bit MODP
const KEY_BYTES = 16; // AES-128
const IV_BYTES = 16;

/** The client half of a `dh-ietf1024-sha256-aes128-cbc-pkcs7` key exchange. */
export interface DhKeyExchange {
  /** Our public key as a 128-byte big-endian number (zero-padded), sent as OpenSession's input. */
  readonly publicKey: Buffer;
  /** Derives the AES key from the service's public key (which may be 127 bytes too). */
  deriveKey(servicePublicKey: Uint8Array): Buffer;
}

/**
 * Starts a key exchange with a fresh private key in the 1024-bit MODP group (`modp2`), or with the given one (a
 * `modp2` DH private KeyObject: tests pass a known key to get a known public key).
 *
 * KeyObjects rather than `getDiffieHellman('modp2')`: the latter re-validates the prime on every call (~60 ms on
 * OpenSSL 3), the former takes ~2 ms, and the private key stays inside a non-exportable-by-accident KeyObject.
 */
export function createDhKeyExchange(ownPrivateKey?: KeyObject): DhKeyExchange {
  const { privateKey, publicKey: ownKey } = ownPrivateKey
    ? { privateKey: ownPrivateKey, publicKey: createPublicKey(ownPrivateKey) }
    : generateDhKeyPair('dh', { group: 'modp2' });
  const spki = ownKey.export({ format: 'der', type: 'spki' });
  const { algorithm, value } = parseDhSpki(spki);
  // always the full 128 bytes: KWallet (QCA) answers InvalidArgs to a 127-byte key (top byte zero, 1 in 256)
  const publicKey = Buffer.alloc(Math.max(PRIME_BYTES, value.length));
  value.copy(publicKey, publicKey.length - value.length);
  return {
    publicKey,
    deriveKey(servicePublicKey) {
      const peer = createPublicKey({ key: buildDhSpki(algorithm, servicePublicKey), format: 'der', type: 'spki' });
      const shared = diffieHellman({ privateKey, publicKey: peer });
      // the spec's HKDF input is the shared secret as a fixed-size 128-byte big-endian number
      const ikm = Buffer.alloc(PRIME_BYTES);
      shared.copy(ikm, PRIME_BYTES - shared.length);
      shared.fill(0);
      const key = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), Buffer.alloc(0), KEY_BYTES));
      ikm.fill(0);
      return key;
    },
  };
}

/**
 * Encrypts with AES-128-CBC and PKCS7 padding under a fresh random IV. Pass the key as a KeyObject when encrypting
 * many secrets: Node 24 spends ~20 µs per call type-checking a Buffer key, ~1 µs for a KeyObject.
 */
export function encryptSecret(key: KeyObject | Buffer, plaintext: Uint8Array): { iv: Buffer; ciphertext: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext };
}

/** Decrypts AES-128-CBC with PKCS7 padding; throws when the IV or padding is wrong. Key: see {@link encryptSecret}. */
export function decryptSecret(key: KeyObject | Buffer, iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  if (iv.length !== IV_BYTES) throw new Error(`expected a ${IV_BYTES}-byte IV, got ${iv.length} bytes`);
  const decipher = createDecipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

// A DH SubjectPublicKeyInfo is SEQUENCE { AlgorithmIdentifier (OID + p, g), BIT STRING { INTEGER y } }.
// The Secret Service exchanges only y as raw bytes, so we cut y out of ours and wrap the service's y
// in our AlgorithmIdentifier to import it.

/** Splits our SPKI into its AlgorithmIdentifier (kept as DER) and the raw public value y. */
function parseDhSpki(spki: Buffer): { algorithm: Buffer; value: Buffer } {
  const outer = readTlv(spki, 0);
  const algorithm = readTlv(spki, outer.start);
  const bitString = readTlv(spki, algorithm.end);
  const integer = readTlv(spki, bitString.start + 1); // skip the unused-bits byte
  return {
    algorithm: spki.subarray(algorithm.offset, algorithm.end),
    value: stripLeadingZeros(spki.subarray(integer.start, integer.end)),
  };
}

function buildDhSpki(algorithm: Buffer, value: Uint8Array): Buffer {
  let y = stripLeadingZeros(Buffer.from(value));
  if ((y[0] ?? 0) & 0x80) y = Buffer.concat([Buffer.from([0]), y]); // DER INTEGERs are signed
  const bitString = tlv(0x03, Buffer.concat([Buffer.from([0]), tlv(0x02, y)]));
  return tlv(0x30, Buffer.concat([algorithm, bitString]));
}

function stripLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function readTlv(der: Buffer, offset: number): { offset: number; start: number; end: number } {
  const first = der[offset + 1] ?? 0;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    length = 0;
    for (let index = 0; index < (first & 0x7f); index++) length = length * 256 + (der[offset + 2 + index] ?? 0);
    header += first & 0x7f;
  }
  const end = offset + header + length;
  if (end > der.length) throw new Error('malformed DER in a DH public key');
  return { offset, start: offset + header, end };
}
