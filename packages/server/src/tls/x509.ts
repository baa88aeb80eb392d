/**
 * Just enough X.509 to be a local certificate authority: a self-signed CA certificate and a server certificate it
 * signs, both over P-256 keys from `node:crypto`, written as DER by hand (Node verifies and reads certificates but
 * cannot make them, and an `openssl` binary is not on every machine).
 *
 * The extensions are the ones strict verifiers insist on (OpenSSL 3's X509_STRICT, macOS, browsers): the CA is
 * `basicConstraints CA:TRUE` (critical) with `keyCertSign`; the server certificate is not a CA, is for
 * `serverAuth`, names its hosts in `subjectAltName`, lives under 825 days, and both carry key identifiers.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// ---------------------------------------------------------------------------------------------------------------
// DER

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, body: Buffer) => tlv(0xa0 + n, body);
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

/** A non-negative INTEGER from big-endian bytes (a leading zero keeps it positive). */
function uint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

// ---------------------------------------------------------------------------------------------------------------
// certificates

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
};

const ALGORITHM = seq(oid(OID.ecdsaWithSha256));

const name = (cn: string) => seq(set(seq(oid(OID.organization), utf8('Roost'))), set(seq(oid(OID.commonName), utf8(cn))));

const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** keyUsage bits, first bit leftmost: digitalSignature (0), keyCertSign (5), cRLSign (6). */
const keyUsage = (usage: 'ca' | 'server') => (usage === 'ca' ? tlv(0x03, Buffer.from([1, 0x06])) : tlv(0x03, Buffer.from([7, 0x80])));

function altNames(names: readonly string[]): Buffer {
  const entries = names.map((n) => {
    const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(n);
    return v4 ? tlv(0x87, Buffer.from(v4.slice(1).map(Number))) : tlv(0x82, Buffer.from(n, 'ascii'));
  });
  return seq(...entries);
}

/** The SHA-1 of the subject public key's bits (RFC 5280 §4.2.1.2, method 1). */
function keyId(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // SubjectPublicKeyInfo = SEQUENCE { algorithm SEQUENCE, subjectPublicKey BIT STRING }: the BIT STRING is last.
  const point = spki.subarray(spki.length - 65);
  return createHash('sha1').update(point).digest();
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const newKeyPair = (): KeyPair => generateKeyPairSync('ec', { namedCurve: 'P-256' });

export interface CertificateRequest {
  subject: string;
  keys: KeyPair;
  /** Signer: itself (a CA) when absent. */
  issuer?: { subject: string; keys: KeyPair };
  usage: 'ca' | 'server';
  /** Host names and IPv4 addresses (server certificates). */
  names?: readonly string[];
  notBefore: Date;
  notAfter: Date;
}

/** A certificate as PEM. */
export function makeCertificate(r: CertificateRequest): string {
  const issuer = r.issuer ?? { subject: r.subject, keys: r.keys };
  const extensions = [
    extension(OID.basicConstraints, true, r.usage === 'ca' ? seq(bool(true)) : seq()),
    extension(OID.keyUsage, true, keyUsage(r.usage)),
    extension(OID.subjectKeyId, false, octets(keyId(r.keys.publicKey))),
    extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(issuer.keys.publicKey)))),
  ];
  if (r.usage === 'server') {
    extensions.push(extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))));
    extensions.push(extension(OID.subjectAltName, false, altNames(r.names ?? [])));
  }
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = seq(
    explicit(0, tlv(0x02, Buffer.from([2]))),
    uint(serial),
    ALGORITHM,
    name(issuer.subject),
    seq(time(r.notBefore), time(r.notAfter)),
    name(r.subject),
    r.keys.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, issuer.keys.privateKey);
  const der = seq(tbs, ALGORITHM, bits(signature));
  const b64 = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export const keyPem = (keys: KeyPair): string => keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
