/**
 * Zero-change mode on the server: the local CA and its certificate (strict verifiers accept them; an existing CA
 * is kept), HTTPS as X's hosts on ROOST_TLS_PORT through the same handler as the plain port, CONNECT to X's hosts
 * tunnelled into it and to any other host refused, the plain port unchanged, and the Node preload redirecting
 * `fetch` and `https.request` in a child process started with `roost trust`'s settings.
 * (packages/conformance runs xdk, twitter-api-v2 and tweepy this way.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { ensureTrust, X_HOSTS } from '../../src/tls/trust.js';
import { trustText, PRELOAD_PATH } from '../../src/cli/trust.js';
import { buildConfig, ConfigError } from '../../src/config.js';
import { tunnelHost } from '../../src/http/x-tunnel.js';

const dir = mkdtempSync(join(tmpdir(), 'roost-tls-'));
let s: TestServer;
let tlsPort: number;
let port: number;
let ca: Buffer;

beforeAll(async () => {
  s = await startTestServer({ seed: null, config: { tls: { port: 0, dir } } });
  tlsPort = Number(new URL(s.handle.tlsUrl!).port);
  port = Number(new URL(s.url).port);
  ca = readFileSync(join(dir, 'ca.pem'));
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** GET over HTTPS to Roost's TLS port, as `host` (SNI, certificate check and Host header). */
function getAs(host: string, path: string, opts: { socketPort?: number } = {}): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port: opts.socketPort ?? tlsPort, servername: host, headers: { host, authorization: `Bearer ${s.bearer}` }, path, ca, agent: false },
      (r) => {
        let body = '';
        r.on('data', (d) => (body += d));
        r.on('end', () => res({ status: r.statusCode!, body }));
      },
    );
    req.on('error', rej);
    req.end();
  });
}

/** Sends a CONNECT to the plain port; resolves with the status line and the socket. */
function connectVia(target: string): Promise<{ status: string; socket: import('node:net').Socket }> {
  return new Promise((res, rej) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      res({ status: got.split('\r\n')[0]!, socket });
    };
    socket.on('data', onData);
    socket.on('error', rej);
  });
}

describe('the local CA', () => {
  it('signs a certificate for every X host (and subdomains) that OpenSSL verifies strictly', () => {
    const cert = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
    const caCert = new X509Certificate(ca);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert) && cert.verify(caCert.publicKey)).toBe(true);
    for (const h of X_HOSTS) expect(cert.checkHost(h)).toBe(h);
    expect(cert.checkHost('ads-api.x.com')).toBe('*.x.com');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(statSync(join(dir, 'ca-key.pem')).mode & 0o077).toBe(0);
    const openssl = spawnSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'cert.pem')], { encoding: 'utf8' });
    if (!openssl.error) expect(openssl.stdout).toContain(': OK');
  });

  it('is kept when it exists; the bundle holds public roots and the CA', () => {
    const again = ensureTrust(dir);
    expect(again.created).toEqual({ ca: false, cert: false });
    expect(readFileSync(join(dir, 'ca.pem'))).toEqual(ca);
    const bundle = readFileSync(join(dir, 'ca-bundle.pem'), 'utf8');
    expect(bundle.endsWith(ca.toString())).toBe(true);
    expect(bundle.split('BEGIN CERTIFICATE').length).toBeGreaterThan(100);
  });
});

describe('HTTPS as X', () => {
  it('answers X paths as api.x.com, upload.x.com, api.twitter.com and the authorize page as x.com and twitter.com', async () => {
    for (const host of ['api.x.com', 'api.twitter.com']) {
      const r = await getAs(host, '/2/tweets/1');
      expect(r.status, host).toBe(200);
      expect(JSON.parse(r.body).errors[0].title).toBe('Not Found Error');
    }
    const upload = await getAs('upload.x.com', '/2/media/upload?command=STATUS&media_id=1');
    expect(upload.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(upload.body)).toHaveProperty('title');
    for (const host of ['x.com', 'twitter.com']) {
      const page = await getAs(host, '/i/oauth2/authorize?response_type=code&client_id=nobody&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback&scope=tweet.read&state=s&code_challenge=c&code_challenge_method=plain');
      expect(page.status, host).toBeLessThan(500);
      expect(page.body).toMatch(/<html|<!doctype/i);
    }
  });

  it('the plain port answers as before', async () => {
    const r = await fetch(`${s.url}/healthz`);
    expect(r.status).toBe(200);
    const missing = await fetch(`${s.url}/2/tweets/1`, { headers: { authorization: `Bearer ${s.bearer}` } });
    expect(((await missing.json()) as { errors: { title: string }[] }).errors[0]!.title).toBe('Not Found Error');
  });
});

describe('the HTTPS proxy on the plain port', () => {
  it('tunnels CONNECT to an X host into the HTTPS server', async () => {
    const { status, socket } = await connectVia('upload.twitter.com:443');
    expect(status).toBe('HTTP/1.1 200 Connection Established');
    const body = await new Promise<string>((res, rej) => {
      const t = tlsConnect({ socket, servername: 'upload.twitter.com', ca }, () => {
        t.write(`GET /healthz HTTP/1.1\r\nHost: upload.twitter.com\r\nConnection: close\r\n\r\n`);
      });
      let got = '';
      t.on('data', (d) => (got += d));
      t.on('end', () => res(got));
      t.on('error', rej);
    });
    expect(body.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  });

  it('refuses any other host or port with the 404 it always gave', async () => {
    for (const target of ['example.com:443', 'api.x.com:80', 'x.com.example:443']) {
      const { status, socket } = await connectVia(target);
      expect(status, target).toBe('HTTP/1.1 404 Not Found');
      socket.destroy();
    }
    expect(tunnelHost('API.X.COM:443')).toBe('api.x.com');
    expect(tunnelHost('notx.com:443')).toBeNull();
  });
});

describe('configuration and roost trust', () => {
  it('ROOST_TLS_PORT turns it on; bad values are one-line errors', () => {
    expect(buildConfig({}).tls).toBeNull();
    expect(buildConfig({ ROOST_TLS_PORT: '8443' }).tls).toEqual({ port: 8443, dir: join('.', 'data', 'tls') });
    expect(buildConfig({ ROOST_TLS_PORT: '0', ROOST_TLS_DIR: '/x' }).tls).toEqual({ port: 0, dir: '/x' });
    expect(() => buildConfig({ ROOST_TLS_PORT: 'https' })).toThrow(ConfigError);
    expect(() => buildConfig({ ROOST_PORT: '8443', ROOST_TLS_PORT: '8443' })).toThrow('ROOST_TLS_PORT must differ from ROOST_PORT');
  });

  it('prints a shell script with every setting, and the shell takes it as it is', () => {
    const text = trustText({ trust: ensureTrust(dir), host: '127.0.0.1', port, tlsPort, dirSetting: dir });
    const shown = execFileSync('sh', ['-c', `unset NODE_OPTIONS; ${text}\nenv`], { encoding: 'utf8' });
    const env = Object.fromEntries(shown.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env.NODE_EXTRA_CA_CERTS).toBe(resolve(dir, 'ca.pem'));
    expect(env.NODE_OPTIONS).toBe(`--import=file://${PRELOAD_PATH}`);
    expect(env.ROOST_X_ADDRESS).toBe(`127.0.0.1:${tlsPort}`);
    expect(env.REQUESTS_CA_BUNDLE).toBe(resolve(dir, 'ca-bundle.pem'));
    expect(env.SSL_CERT_FILE).toBe(resolve(dir, 'ca-bundle.pem'));
    expect(env.HTTPS_PROXY).toBe(`http://127.0.0.1:${port}`);
    expect(text).toContain(`#   127.0.0.1 ${X_HOSTS.join(' ')}`);
    expect(text).toContain(`ROOST_TLS_PORT=${tlsPort} roost serve`);
  });

  it('the preload sends fetch and https.request for X hosts to Roost, and dials other hosts as before', async () => {
    const text = trustText({ trust: ensureTrust(dir), host: '127.0.0.1', port, tlsPort, dirSetting: null });
    const program = [
      "const https = await import('node:https');",
      "const viaFetch = await fetch('https://api.x.com/2/tweets/1', { headers: { authorization: 'Bearer ' + process.env.T } }).then((r) => r.json());",
      'const viaHttps = await new Promise((res, rej) => https.get("https://upload.twitter.com/healthz", (r) => { let b = ""; r.on("data", (d) => (b += d)); r.on("end", () => res(JSON.parse(b))); }).on("error", rej));',
      // Not an X host: dialled where it points (here Roost's HTTPS port as localhost, trusted by NODE_EXTRA_CA_CERTS).
      "const other = await fetch('https://localhost:' + process.env.TLS_PORT + '/healthz').then((r) => r.json());",
      'console.log(JSON.stringify({ viaFetch, viaHttps, other }));',
    ].join('\n');
    // Asynchronously: the server answering the child runs in this process.
    const { stdout: out } = await promisify(execFile)('sh', ['-c', `unset NODE_OPTIONS; ${text}\nexec "${process.execPath}" --input-type=module -e "$PROGRAM"`], {
      encoding: 'utf8',
      env: { ...process.env, PROGRAM: program, T: s.bearer, TLS_PORT: String(tlsPort) },
      timeout: 30_000,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.viaFetch.errors[0].title).toBe('Not Found Error');
    expect(r.viaHttps.status).toBe('ok');
    expect(r.other.status).toBe('ok');
  });
});
