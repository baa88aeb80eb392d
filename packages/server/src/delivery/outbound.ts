/**
 * The only module that makes outbound HTTP requests (CRC checks and webhook deliveries).
 *
 * - Which URLs: `https://` with the certificate checked (Node's default trust store) and, as at X, no port; a
 *   loopback address (127.0.0.0/8, ::1, `localhost`) may also be `http://` and carry a port, but only when the
 *   setting `ROOST_WEBHOOK_ALLOW_LOOPBACK` is on (local receivers in development and tests).
 * - Redirects are never followed: a 3xx is an answer like any other (X marks the webhook invalid on one).
 * - Every request has a deadline covering connect, TLS, headers and body; answers are read up to 64 KiB.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

export const MAX_URL_LENGTH = 200;
const MAX_ANSWER_BYTES = 64 * 1024;
const USER_AGENT = 'Roost-Webhooks/1.0';

/** Why a URL may not be registered (X's UrlValidationFailed), or null. */
export function urlProblem(raw: string, allowLoopback: boolean): string | null {
  if (raw.length > MAX_URL_LENGTH) return `The URL is longer than ${MAX_URL_LENGTH} characters.`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'The URL is not a valid absolute URL.';
  }
  if (u.username || u.password) return 'The URL may not carry credentials.';
  if (u.hash) return 'The URL may not carry a fragment.';
  const loopback = isLoopback(u.hostname);
  if (loopback && allowLoopback) return u.protocol === 'http:' || u.protocol === 'https:' ? null : 'The URL must use https.';
  if (u.protocol !== 'https:') return loopback ? 'Loopback webhook URLs are not allowed on this server (ROOST_WEBHOOK_ALLOW_LOOPBACK).' : 'The URL must use https.';
  if (u.port) return 'The URL may not specify a port.';
  return null;
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

export interface OutboundRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface OutboundAnswer {
  status: number;
  /** Up to 64 KiB of the answer's body. */
  body: string;
  contentType: string;
}

/** A request that got no answer: `timeout`, `tls` (certificate or handshake) or `network` (anything else). */
export class OutboundFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'tls' | 'network',
    message: string,
  ) {
    super(message);
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ERR_TLS/;

/** Sends one request; resolves with the answer (any status), rejects with an OutboundFailure. */
export function send(r: OutboundRequest): Promise<OutboundAnswer> {
  const u = new URL(r.url);
  const body = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
  const headers: Record<string, string | number> = { 'user-agent': USER_AGENT, accept: 'application/json', ...(r.headers ?? {}) };
  if (body) headers['content-length'] = body.length;
  const opts: RequestOptions = { method: r.method, headers, agent: false };
  const make = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundAnswer>((resolve, reject) => {
    let settled = false;
    const fail = (err: OutboundFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      reject(err);
    };
    const req = make(u, opts, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size >= MAX_ANSWER_BYTES) return;
        chunks.push(c);
        size += c.length;
        if (size >= MAX_ANSWER_BYTES) finish();
      });
      res.on('end', finish);
      res.on('error', () => fail(new OutboundFailure('network', 'the connection failed while reading the answer')));
      function finish() {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        const text = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text, contentType: String(res.headers['content-type'] ?? '') });
        res.destroy();
      }
    });
    const deadline = setTimeout(() => fail(new OutboundFailure('timeout', `no answer within ${r.timeoutMs} ms`)), r.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      fail(new OutboundFailure(TLS_CODES.test(code) ? 'tls' : 'network', code ? `${code}: ${err.message}` : err.message));
    });
    req.end(body);
  });
}
