/**
 * Issue 15, finding 2: full headers announcing a large body, then one byte every few seconds, held a socket for
 * ever, and 20,000 of them used up every file descriptor. Requests must now arrive whole in time, and one address
 * holds a bounded number of connections; streams stay long-lived.
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serverPerFile } from '../server-per-file.js';

const s = serverPerFile({ seed: null, config: { requestTimeoutMs: 1500, headersTimeoutMs: 1000, maxConnectionsPerIp: 20 } });
const port = () => Number(new URL(s.url).port);

const open = () =>
  new Promise<Socket>((resolve, reject) => {
    const c = connect(port(), '127.0.0.1', () => resolve(c));
    c.on('error', reject);
  });

/** Resolves with what the server wrote once it closes the socket; rejects if it is still open after `ms`. */
const closedWithin = (c: Socket, ms: number) =>
  new Promise<string>((resolve, reject) => {
    let got = '';
    c.on('data', (d) => (got += d.toString('latin1')));
    const t = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
    c.on('close', () => {
      clearTimeout(t);
      resolve(got);
    });
  });

describe('slow clients and many connections', () => {
  it('cuts off a body that trickles in', async () => {
    const c = await open();
    c.write(`POST /2/tweets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.userToken}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{`);
    const trickle = setInterval(() => c.writable && c.write(' '), 300);
    try {
      const answer = await closedWithin(c, 10_000);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
      c.destroy();
    }
  });

  it('cuts off headers that never end', async () => {
    const c = await open();
    c.write('GET /2/users/me HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => c.writable && c.write('X-A: b\r\n'), 300);
    try {
      await closedWithin(c, 10_000);
    } finally {
      clearInterval(trickle);
      c.destroy();
    }
  });

  it('closes connections past the per-address limit and keeps serving', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, open));
    const extra = await open();
    await closedWithin(extra, 5_000);
    for (const c of held) c.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const res = await s.get('/2/users/me', { token: s.userToken });
    expect(res.status).toBe(200);
  });

  it('keeps a stream open past the request timeout', async () => {
    await s.request('POST', '/2/tweets/search/stream/rules', { token: s.bearer, body: { add: [{ value: 'roost' }] } });
    const ac = new AbortController();
    const res = await fetch(`${s.url}/2/tweets/search/stream`, { headers: { authorization: `Bearer ${s.bearer}` }, signal: ac.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await new Promise((r) => setTimeout(r, 2500));
    const posted = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'roost still streaming' } });
    expect(posted.status).toBe(201);
    let text = '';
    while (!text.includes('roost still streaming')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('roost still streaming');
    ac.abort();
  });
});
