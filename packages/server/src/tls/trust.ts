/**
 * The local certificate authority of zero-change mode and the certificate Roost serves as X's hosts.
 *
 * One directory (ROOST_TLS_DIR, default `./data/tls`) holds:
 *
 * | file | what |
 * |---|---|
 * | `ca.pem` | the CA certificate clients trust (NODE_EXTRA_CA_CERTS adds it to Node's store) |
 * | `ca-key.pem` | its key (0600); never leaves the machine |
 * | `cert.pem`, `key.pem` | the server certificate for every host in `X_HOSTS`, signed by the CA |
 * | `ca-bundle.pem` | Node's public roots plus the CA: for REQUESTS_CA_BUNDLE / SSL_CERT_FILE, which replace a store |
 *
 * `ensureTrust` keeps an existing CA (clients that trust it keep working) and makes again only what is missing,
 * expiring within 30 days, or no longer covering `X_HOSTS`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { keyPem, makeCertificate, newKeyPair, type KeyPair } from './x509.js';

/**
 * The hosts clients hard-code (REAL-CLIENTS.md): xdk and twitter-api-v2 speak x.com, tweepy twitter.com; the
 * authorize pages are on the bare domains. These are the hosts-file lines; the certificate, the proxy and the
 * Node preload take every subdomain too (`isXHost`), so a client reaching for another X host meets Roost (and its
 * 404) rather than X.
 */
export const X_HOSTS = [
  'api.x.com',
  'upload.x.com',
  'stream.x.com',
  'x.com',
  'api.twitter.com',
  'upload.twitter.com',
  'stream.twitter.com',
  'twitter.com',
] as const;

/** x.com, twitter.com and their subdomains: what zero-change mode answers for. */
export const isXHost = (host: string): boolean => /(^|\.)(x|twitter)\.com$/i.test(host);

/** Loopback names too, so the certificate also fits a direct connection. */
const CERT_NAMES = [...X_HOSTS, '*.x.com', '*.twitter.com', 'localhost', '127.0.0.1'];

const DAY = 86_400_000;
const CA_DAYS = 3650;
/** Apple's limit for server certificates is 825 days. */
const SERVER_DAYS = 800;
const RENEW_DAYS = 30;

export interface TrustFiles {
  dir: string;
  ca: string;
  caKey: string;
  cert: string;
  key: string;
  bundle: string;
}

export interface Trust {
  files: TrustFiles;
  /** What this call wrote: the CA (new trust needed) and/or the server certificate. */
  created: { ca: boolean; cert: boolean };
  caFingerprint: string;
}

export function trustFiles(dir: string): TrustFiles {
  const d = resolve(dir);
  return {
    dir: d,
    ca: join(d, 'ca.pem'),
    caKey: join(d, 'ca-key.pem'),
    cert: join(d, 'cert.pem'),
    key: join(d, 'key.pem'),
    bundle: join(d, 'ca-bundle.pem'),
  };
}

function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

function loadCa(f: TrustFiles): { cert: X509Certificate; keys: KeyPair } | null {
  if (!existsSync(f.ca) || !existsSync(f.caKey)) return null;
  const cert = new X509Certificate(readFileSync(f.ca));
  const privateKey = createPrivateKey(readFileSync(f.caKey));
  const keys = { privateKey, publicKey: createPublicKey(privateKey) };
  if (!cert.ca || !cert.verify(keys.publicKey) || Date.parse(cert.validTo) - Date.now() < RENEW_DAYS * DAY) return null;
  return { cert, keys };
}

function serverCertFits(f: TrustFiles, ca: X509Certificate): boolean {
  if (!existsSync(f.cert) || !existsSync(f.key)) return false;
  const cert = new X509Certificate(readFileSync(f.cert));
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  if (Date.parse(cert.validTo) - Date.now() < RENEW_DAYS * DAY) return false;
  return X_HOSTS.every((h) => cert.checkHost(h) === h);
}

/** The CA and server certificate in `dir`, made or renewed as needed. */
export function ensureTrust(dir: string, now = new Date()): Trust {
  const f = trustFiles(dir);
  mkdirSync(f.dir, { recursive: true });
  const created = { ca: false, cert: false };
  let ca = loadCa(f);
  if (!ca) {
    const keys = newKeyPair();
    const subject = `Roost local CA ${hostname().replace(/[^A-Za-z0-9.-]/g, '-')} ${now.toISOString().slice(0, 10)}`;
    const pem = makeCertificate({ subject, keys, usage: 'ca', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + CA_DAYS * DAY) });
    writePrivate(f.caKey, keyPem(keys));
    writeFileSync(f.ca, pem);
    ca = { cert: new X509Certificate(pem), keys };
    created.ca = true;
  }
  if (created.ca || !serverCertFits(f, ca.cert)) {
    const keys = newKeyPair();
    const pem = makeCertificate({
      subject: 'api.x.com',
      keys,
      issuer: { subject: ca.cert.subject.split('\n').find((l) => l.startsWith('CN='))!.slice(3), keys: ca.keys },
      usage: 'server',
      names: CERT_NAMES,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + SERVER_DAYS * DAY),
    });
    writePrivate(f.key, keyPem(keys));
    writeFileSync(f.cert, pem);
    created.cert = true;
  }
  const caPem = readFileSync(f.ca, 'utf8');
  const bundle = `${rootCertificates.join('\n')}\n${caPem}`;
  if (!existsSync(f.bundle) || readFileSync(f.bundle, 'utf8') !== bundle) writeFileSync(f.bundle, bundle);
  return { files: f, created, caFingerprint: ca.cert.fingerprint256 };
}

/** The server certificate and key for an HTTPS server, made first when missing. */
export function serverCredentials(dir: string): { cert: string; key: string; files: TrustFiles } {
  const t = ensureTrust(dir);
  return { cert: readFileSync(t.files.cert, 'utf8'), key: readFileSync(t.files.key, 'utf8'), files: t.files };
}
