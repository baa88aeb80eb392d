/**
 * Streams over TLS with the raw-socket reader: the certificate is verified as Node does by default (a self-signed
 * server is refused), SNI carries the host name, and with the CA trusted (NODE_EXTRA_CA_CERTS, in a child process)
 * every event arrives. The certificate is made by openssl in a temporary directory for this run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError, Client } from '../src/index.js';

let dir: string;
let server: Server;
let url: string;
const servernames: (string | false | null)[] = [];
const post = (text: string, id: string) => `${JSON.stringify({ data: { id, text } })}\r\n`;
const BODY = post('secure 🔒', '1') + '\r\n' + post('über', '2');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roost-sdk-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (sock: TLSSocket) => {
    servernames.push(sock.servername);
    sock.on('error', () => undefined);
    let head = '';
    sock.on('data', (b) => {
      head += b.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const body = Buffer.from(BODY);
      sock.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n'), Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]));
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://localhost:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('a certificate the runtime does not trust is refused: the open fails with a NETWORK_ERROR naming the cause', async () => {
  const err = await new Client({ baseUrl: url, bearerToken: 'T' }).stream.posts().catch((e) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect(err.statusText).toBe('NETWORK_ERROR');
  expect(err.cause.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
});

it('with the CA trusted (NODE_EXTRA_CA_CERTS) the stream is read over TLS, with SNI', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'stream-tls-child.ts'), url], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  const timer = setTimeout(() => child.kill(), 30_000);
  const code = await new Promise((r) => child.on('close', r));
  clearTimeout(timer);
  expect({ code, err }).toEqual({ code: 0, err: '' });
  expect(JSON.parse(out)).toEqual({ texts: ['secure 🔒', 'über'] });
  expect(servernames.at(-1)).toBe('localhost');
});
