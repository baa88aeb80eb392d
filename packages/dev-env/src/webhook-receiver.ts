/**
 * A real webhook receiver on a loopback port (no server code: the conformance suite uses it too), written the way an app developer would write one (X's quickstart):
 * it answers CRC GETs with its own HMAC of `crc_token` and verifies the `x-twitter-webhooks-signature` of every
 * POST against the raw body. Tests choose how it behaves: a wrong CRC answer, a status, a redirect, hanging, and a
 * script of answers for the next deliveries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  at: number;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  /** Whether the signature header matched HMAC-SHA256(consumer secret, raw body). */
  signatureValid: boolean;
  /** What the receiver answered. */
  answered: number | 'hung';
}

/** How the receiver answers: a status, a redirect, a 200 after a delay, or no answer at all. */
export type Answer = number | 'hang' | { redirect: string } | { delayMs: number };

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  crcRequests: URL[];
  /** CRC behaviour: answer correctly, with a wrong token, with a status, redirect, or hang. */
  crc: 'ok' | 'wrong' | Answer;
  /** Answers for the next POSTs, in order; once used up, `then`. */
  script: Answer[];
  then: Answer;
  /** Resolves when at least `n` deliveries have arrived (those the receiver accepted and those it refused). */
  waitFor(n: number, timeoutMs?: number): Promise<Delivery[]>;
  /** Only accepted deliveries' bodies. */
  accepted(): any[];
  close(): Promise<void>;
}

export const sign = (secret: string, message: string | Buffer) => 'sha256=' + createHmac('sha256', secret).update(message).digest('base64');

export async function startReceiver(secret: string, path = '/webhooks/x'): Promise<Receiver> {
  const hung: ServerResponse[] = [];
  const waiters: { n: number; resolve: (d: Delivery[]) => void }[] = [];
  const r: Omit<Receiver, 'url'> & { url: string } = {
    url: '',
    deliveries: [],
    crcRequests: [],
    crc: 'ok',
    script: [],
    then: 200,
    waitFor(n, timeoutMs = 15_000) {
      if (r.deliveries.length >= n) return Promise.resolve(r.deliveries);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver got ${r.deliveries.length} deliveries, waited for ${n}`)), timeoutMs);
        waiters.push({ n, resolve: (d) => (clearTimeout(t), resolve(d)) });
      });
    },
    accepted: () => r.deliveries.filter((d) => typeof d.answered === 'number' && d.answered >= 200 && d.answered < 300).map((d) => d.body),
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  const answer = (res: ServerResponse, a: Answer, body = '') => {
    if (a === 'hang') {
      hung.push(res);
      return 'hung' as const;
    }
    if (typeof a === 'object' && 'delayMs' in a) {
      setTimeout(() => res.writeHead(200).end(), a.delayMs);
      return 200;
    }
    if (typeof a === 'object') {
      res.writeHead(302, { location: a.redirect }).end();
      return 302;
    }
    res.writeHead(a, { 'content-type': 'application/json' }).end(body);
    return a;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (url.pathname !== path) return void res.writeHead(404).end();
      if (req.method === 'GET') {
        r.crcRequests.push(url);
        const token = url.searchParams.get('crc_token') ?? '';
        if (r.crc === 'ok') return void answer(res, 200, JSON.stringify({ response_token: sign(secret, token) }));
        if (r.crc === 'wrong') return void answer(res, 200, JSON.stringify({ response_token: sign(secret + 'x', token) }));
        return void answer(res, r.crc);
      }
      const raw = Buffer.concat(chunks);
      const got = Buffer.from(String(req.headers['x-twitter-webhooks-signature'] ?? ''));
      const want = Buffer.from(sign(secret, raw));
      const a = r.script.length ? r.script.shift()! : r.then;
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
      const d: Delivery = { at: Date.now(), headers: req.headers, raw: raw.toString('utf8'), body, signatureValid: got.length === want.length && timingSafeEqual(got, want), answered: 0 };
      d.answered = answer(res, a);
      r.deliveries.push(d);
      for (const w of [...waiters]) {
        if (r.deliveries.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r.deliveries);
        }
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return r;
}
