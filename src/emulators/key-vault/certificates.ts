/**
 * Throw-away TLS material for the emulator: a self-signed CA and a server certificate it signs, made fresh at
 * every start and kept only in memory (no key is ever written to disk or committed).
 *
 * Why pure Node instead of shelling out to `openssl`: Node can create keys and sign but has no X.509 *generation*
 * API, and the alternatives each cost users something. `openssl` is a system dependency (absent on Windows,
 * LibreSSL with other flags on macOS), needs temp files holding private keys, and spawns processes (~100 ms).
 * A certificate is just a small DER structure signed with ECDSA, so building it here takes a few milliseconds,
 * works wherever Node runs, and is checked at once with Node's own `X509Certificate` parser, so a bad encoding
 * fails loudly at start instead of as an obscure TLS error in a test.
 * @internal
 * @module
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import * as der from './der.js';

/** PEM-encoded TLS material for one emulator instance. */
export interface EmulatorTlsMaterial {
  /** The CA certificate clients must trust. */
  caPem: string;
  /** The server certificate (signed by the CA). */
  certPem: string;
  /** The server's private key (PKCS#8). */
  keyPem: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const HOUR_MS = 3600_000;
const VALIDITY_MS = 30 * 24 * HOUR_MS;

/**
 * Creates a CA and a server certificate whose subjectAltName covers `localhost`, `127.0.0.1`, `::1` and any
 * extra host given (a DNS name or an IP address).
 */
export function createEmulatorTls(extraHosts: readonly string[] = []): EmulatorTlsMaterial {
  const now = Date.now();
  const validity = { notBefore: new Date(now - HOUR_MS), notAfter: new Date(now + VALIDITY_MS) };
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = distinguishedName('rxsecrets Key Vault emulator CA');
  const caKeyId = keyIdentifier(ca.publicKey);

  const caCert = signCertificate({
    issuer: caName,
    subject: caName,
    subjectKey: ca.publicKey,
    signingKey: ca.privateKey,
    validity,
    extensions: [
      extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
      extension(OID.keyUsage, true, der.bitString(Buffer.from([0x06]), 1)), // keyCertSign | cRLSign
      extension(OID.subjectKeyIdentifier, false, der.octetString(caKeyId)),
    ],
  });

  const hosts = ['localhost', '127.0.0.1', '::1', ...extraHosts];
  const serverCert = signCertificate({
    issuer: caName,
    subject: distinguishedName('localhost'),
    subjectKey: server.publicKey,
    signingKey: ca.privateKey,
    validity,
    extensions: [
      extension(OID.basicConstraints, true, der.sequence()),
      extension(OID.keyUsage, true, der.bitString(Buffer.from([0x80]), 7)), // digitalSignature
      extension(OID.extendedKeyUsage, false, der.sequence(der.oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, der.sequence(...[...new Set(hosts)].map(generalName))),
      extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, caKeyId))),
    ],
  });

  const material = {
    caPem: toPem(caCert),
    certPem: toPem(serverCert),
    keyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  assertValid(material, ca.publicKey);
  return material;
}

interface CertificateParts {
  issuer: Buffer;
  subject: Buffer;
  subjectKey: KeyObject;
  signingKey: KeyObject;
  validity: { notBefore: Date; notAfter: Date };
  extensions: Buffer[];
}

function signCertificate(parts: CertificateParts): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive and minimally encoded
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // X.509 v3
    der.unsignedInteger(serial),
    algorithm,
    parts.issuer,
    der.sequence(der.utcTime(parts.validity.notBefore), der.utcTime(parts.validity.notAfter)),
    parts.subject,
    parts.subjectKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.sequence(...parts.extensions)),
  );
  const signature = sign('sha256', tbs, parts.signingKey); // DER-encoded ECDSA signature
  return der.sequence(tbs, algorithm, der.bitString(signature));
}

function distinguishedName(commonName: string): Buffer {
  const attribute = (type: string, value: string) => der.set(der.sequence(der.oid(type), der.utf8String(value)));
  return der.sequence(attribute(OID.organization, 'rxsecrets'), attribute(OID.commonName, commonName));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? der.sequence(der.oid(id), der.boolean(true), der.octetString(value))
    : der.sequence(der.oid(id), der.octetString(value));
}

function generalName(host: string): Buffer {
  if (isIPv4(host)) return der.implicitPrimitive(7, Buffer.from(host.split('.').map(Number)));
  if (isIPv6(host)) return der.implicitPrimitive(7, ipv6Bytes(host));
  return der.implicitPrimitive(2, Buffer.from(host, 'ascii')); // dNSName
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  const bytes = Buffer.alloc(16);
  for (const [index, group] of groups.entries()) bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2);
  return bytes;
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits (the SPKI's last 65 bytes for an uncompressed P-256 key). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
}

function toPem(certificate: Buffer): string {
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function assertValid(material: EmulatorTlsMaterial, caPublicKey: KeyObject): void {
  const ca = new X509Certificate(material.caPem);
  const leaf = new X509Certificate(material.certPem);
  if (!ca.ca || !ca.verify(caPublicKey) || !leaf.verify(caPublicKey) || !leaf.checkIssued(ca)) {
    throw new Error('Key Vault emulator: generated TLS certificates failed self-verification');
  }
  if (!leaf.checkIP('127.0.0.1') || !leaf.checkHost('localhost')) {
    throw new Error('Key Vault emulator: generated server certificate lacks the expected subjectAltName');
  }
}
