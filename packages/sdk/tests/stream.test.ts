/**
 * Streams against a real node:http server emitting X's framing (`\r\n`-delimited JSON, bare `\r\n` keep-alives):
 * framing, UTF-8 split across chunks, every event delivered (for await and on('data')), reconnection with X's
 * backoff (network, HTTP, 429), backfill on reconnect, the stall detector, close(), and fatal errors.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiError, Client, type EventDrivenStream, type StreamReconnectEvent } from '../src/index.js';
import { firstTexts, instant, waitFor } from './stream-helpers.js';
import { serversClosedAfterEach } from './servers.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Fake {
  url: string;
  requests: string[];
  /** Sockets of requests that have closed. */
  closed: number;
  server: Server;
}

const servers = serversClosedAfterEach();

/** A server answering the n-th request with handlers[n] (the last one repeats). */
async function fake(handlers: Handler[]): Promise<Fake> {
  const f: Fake = { url: '', requests: [], closed: 0, server: undefined as unknown as Server };
  f.server = createServer((req, res) => {
    const i = f.requests.length;
    f.requests.push(req.url!);
    req.on('close', () => f.closed++);
    (handlers[i] ?? handlers[handlers.length - 1])(req, res);
  });
  servers.push(f.server);
  await new Promise<void>((r) => f.server.listen(0, '127.0.0.1', r));
  f.url = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;
  return f;
}

const texts = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `post ${from + i}: héllo ✓ 日本語 🐦 ${'ü'.repeat(i % 7)}`);
const line = (text: string, i: number) => JSON.stringify({ data: { id: String(i), text }, matching_rules: [{ id: '1', tag: 't' }] }) + '\r\n';

/** Writes the lines as bytes cut at awkward places (inside multi-byte characters and inside `\r\n`). */
function writeSplit(res: ServerResponse, payload: string, step = 7): Promise<void> {
  const bytes = Buffer.from(payload, 'utf8');
  return new Promise((resolve) => {
    let at = 0;
    let k = 0;
    const tick = () => {
      let n = 0;
      while (at < bytes.length && n < 64) {
        const size = 1 + ((k++ * step) % 13);
        res.write(bytes.subarray(at, at + size));
        at += size;
        n++;
      }
      if (at < bytes.length) setImmediate(tick);
      else resolve();
    };
    tick();
  });
}

const streamHead = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });

function client(f: Fake, transport: 'node' | 'fetch' = 'node') {
  return new Client({ baseUrl: f.url, bearerToken: 'app-token', transport });
}


describe.each(['node', 'fetch'] as const)('framing over the %s transport', (transport) => {
  it('every event arrives intact (UTF-8 split across chunks, \\r\\n split, keep-alives), with for await and on("data")', async () => {
    const all = texts(300);
    const f = await fake([
      async (_req, res) => {
        streamHead(res);
        await writeSplit(res, '\r\n' + all.map(line).join('\r\n') + '\r\n');
        res.end();
      },
    ]);
    const s = await client(f, transport).stream.posts({ tweetFields: ['created_at'], reconnect: { enabled: false } });
    const viaOn: string[] = [];
    let keepAlives = 0;
    s.on('keepAlive', () => keepAlives++);
    s.on('data', (ev) => viaOn.push(ev.data.text));
    const viaIter: string[] = [];
    for await (const ev of s) viaIter.push(ev.data.text);
    expect(viaIter).toEqual(all);
    expect(viaOn).toEqual(all);
    expect(keepAlives).toBe(all.length + 1);
    expect(f.requests[0]).toBe('/2/tweets/search/stream?tweet.fields=created_at');
  });
});

describe('odd lines', () => {
  it('an unparsable line is a warning, a JSON line without data a keepAlive; in-stream errors are data events', async () => {
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.end('not json\r\n{"hello":1}\r\n' + line('ok', 1) + JSON.stringify({ errors: [{ title: 'operational-disconnect', disconnect_type: 'UpstreamOperationalDisconnect' }] }) + '\r\n');
      },
    ]);
    const s = await client(f).stream.posts({ reconnect: { enabled: false } });
    const warnings: string[] = [];
    const keepAlives: unknown[] = [];
    s.on('warning', (w) => warnings.push(w.line));
    s.on('keepAlive', (k) => keepAlives.push(k.line));
    const events: any[] = [];
    for await (const ev of s) events.push(ev);
    expect(warnings).toEqual(['not json']);
    expect(keepAlives).toEqual([{ hello: 1 }]);
    expect(events.map((e) => e.data?.text ?? e.errors?.[0]?.title)).toEqual(['ok', 'operational-disconnect']);
  });
});

describe('lines parsed a chunk at a time', () => {
  it('runs of lines between keep-alives keep their order; a malformed line in a run only warns; bare \\n framing works', async () => {
    const body = line('a', 1) + line('b', 2) + 'oops{\r\n' + line('c', 3) + '\r\n' + '{"data":{"id":"4","text":"d"}}\n\n' + line('e', 5) + '\r\n\r\n';
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.end(body);
      },
    ]);
    const s = await client(f).stream.posts({ reconnect: { enabled: false } });
    const seen: string[] = [];
    s.on('warning', (w) => seen.push(`W:${w.line}`));
    s.on('keepAlive', () => seen.push('K'));
    s.on('data', (ev) => seen.push(ev.data.text));
    await new Promise<void>((r) => s.on('close', () => r()));
    expect(seen).toEqual(['a', 'b', 'W:oops{', 'c', 'K', 'd', 'K', 'e', 'K', 'K']);
  });
});

describe('for await', () => {
  it('a burst followed by the server closing: none of the queued events is dropped', async () => {
    const all = texts(5000);
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.end(all.map(line).join(''));
      },
    ]);
    const s = await client(f).stream.posts({ reconnect: { enabled: false } });
    let n = 0;
    let closes = 0;
    s.on('close', () => closes++);
    for await (const ev of s) {
      expect(ev.data.text).toBe(all[n]);
      n++;
      // A slow consumer: events keep queueing while it awaits.
      if (n % 500 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect(n).toBe(all.length);
    expect(closes).toBe(1);
  });

  it('close() from inside the loop still yields what was already queued, then ends; the connection is released', async () => {
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.write(texts(50).map(line).join(''));
        const t = setInterval(() => res.write('\r\n'), 5);
        res.on('close', () => clearInterval(t));
      },
    ]);
    const s = await client(f).stream.posts();
    const got: string[] = [];
    let closes = 0;
    s.on('close', () => closes++);
    for await (const ev of s) {
      got.push(ev.data.text);
      if (got.length === 1) s.close();
    }
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(got).toEqual(texts(got.length));
    expect(closes).toBe(1);
    expect(s.isClosed).toBe(true);
    await waitFor(() => f.closed === 1);
  });
});


describe('reconnection', () => {
  it('a dropped connection is resumed at once, with backfill_minutes, and every event arrives', async () => {
    const first = texts(40);
    const second = texts(40, 40);
    const f = await fake([
      async (_req, res) => {
        streamHead(res);
        await writeSplit(res, first.map((t, i) => line(t, i)).join('') + '{"data":{"id":"cut","te');
        res.socket!.destroy(); // mid-line, mid-stream
      },
      (_req, res) => {
        streamHead(res);
        res.end(second.map((t, i) => line(t, 40 + i)).join(''));
      },
    ]);
    const s = await client(f).stream.posts({ reconnect: { backfillMinutes: 2, sleep: instant } });
    const { got, reconnects } = await firstTexts(s, 80);
    expect(got).toEqual([...first, ...second]);
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0].delayMs).toBe(0);
    expect(['network', 'ended']).toContain(reconnects[0].reason);
    expect(f.requests).toEqual(['/2/tweets/search/stream', '/2/tweets/search/stream?backfill_minutes=2']);
    expect(s.reconnects).toBe(1);
  });

  it("backoff follows X's policy: network errors linear from 0 by 250 ms (capped), HTTP errors exponential from 5 s, 429 from 60 s", async () => {
    const problem = (status: number) => (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Service Unavailable', detail: 'x', type: 'about:blank', status }));
    };
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.end(line('a', 1)); // served, then the server closes the stream
      },
      (req) => req.socket.destroy(),
      (req) => req.socket.destroy(),
      (req) => req.socket.destroy(),
      (req) => req.socket.destroy(),
      problem(503),
      problem(503),
      problem(503),
      problem(429),
      problem(429),
      (_req, res) => {
        streamHead(res);
        res.end(line('b', 2));
      },
    ]);
    const delays: number[] = [];
    const s = await client(f).stream.posts({
      reconnect: { networkMaxMs: 600, sleep: async (ms) => void delays.push(ms) },
    });
    const { got, reconnects } = await firstTexts(s, 2);
    const reasons = reconnects.map((e) => e.reason);
    expect(got).toEqual(['a', 'b']);
    // attempt 1 (the server ended the stream): immediately; 2–5 network errors: 250, 500, 600 (cap), 600;
    // then 503s: 5 s, 10 s, 20 s; then 429s: 60 s, 120 s.
    expect([0, ...delays]).toEqual([0, 250, 500, 600, 600, 5_000, 10_000, 20_000, 60_000, 120_000]);
    expect(reasons).toEqual(['ended', 'network', 'network', 'network', 'network', 'http', 'http', 'http', 'rate-limit', 'rate-limit']);
  });

  it('a 4xx other than 429 on reconnect is final: error event with the ApiError, stream closed, for await throws', async () => {
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.end(line('only', 1));
      },
      (_req, res) => {
        res.writeHead(401, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }));
      },
    ]);
    const s = await client(f).stream.posts({ reconnect: { sleep: instant } });
    const errors: unknown[] = [];
    s.on('error', (e) => errors.push(e.error));
    const got: string[] = [];
    const err = await (async () => {
      for await (const ev of s) got.push(ev.data.text);
    })().catch((e) => e);
    expect(got).toEqual(['only']);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(errors).toEqual([err]);
    expect(s.isClosed).toBe(true);
    expect(f.requests).toHaveLength(2);
  });

  it('maxAttempts bounds consecutive failures', async () => {
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.end();
      },
      (req) => req.socket.destroy(),
    ]);
    const s = await client(f).stream.posts({ reconnect: { maxAttempts: 3, sleep: instant } });
    const errors: unknown[] = [];
    s.on('error', (e) => errors.push(e.error));
    s.on('data', () => undefined);
    await new Promise<void>((r) => s.on('close', () => r()));
    expect(errors).toHaveLength(1);
    expect(f.requests).toHaveLength(4);
  });

  it('the stall detector: no bytes for stallMs → reconnect, and the rest arrives', async () => {
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.write(line('before', 1)); // then silence, connection open
      },
      (_req, res) => {
        streamHead(res);
        res.end(line('after', 2));
      },
    ]);
    const s = await client(f).stream.posts({ reconnect: { stallMs: 100, sleep: instant } });
    const { got, reconnects } = await firstTexts(s, 2);
    const reasons = reconnects.map((e) => e.reason);
    expect(got).toEqual(['before', 'after']);
    expect(reasons).toEqual(['stall']);
    await waitFor(() => f.closed === 2);
  });

  it('keep-alives keep a quiet stream from being declared stalled', async () => {
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        let n = 0;
        const t = setInterval(() => {
          res.write('\r\n');
          if (++n === 12) {
            clearInterval(t);
            res.end(line('done', 1));
          }
        }, 20);
      },
    ]);
    const s = await client(f).stream.posts({ reconnect: { stallMs: 1_000, enabled: false } });
    const reasons: string[] = [];
    s.on('reconnect', (e) => reasons.push(e.reason));
    const got: string[] = [];
    for await (const ev of s) got.push(ev.data.text);
    expect(got).toEqual(['done']);
    expect(reasons).toEqual([]);
  });
});

describe('connecting', () => {
  it('a failing first connection rejects with the ApiError; streams need a bearer token', async () => {
    const f = await fake([
      (_req, res) => {
        res.writeHead(429, { 'content-type': 'application/json', 'x-rate-limit-limit': '50', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1800000000' });
        res.end(JSON.stringify({ title: 'ConnectionException', detail: 'This stream is currently at the maximum allowed connection limit.', connection_issue: 'TooManyConnections', type: 'https://api.x.com/2/problems/streaming-connection' }));
      },
    ]);
    const e = await client(f).stream.posts().catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(429);
    expect(e.data.connection_issue).toBe('TooManyConnections');
    expect(e.rateLimit).toEqual({ limit: 50, remaining: 0, reset: 1800000000 });
    await expect(new Client({ baseUrl: f.url, accessToken: 'user' }).stream.posts()).rejects.toThrow(/Authentication required/);
  });

  it('partition is positional and the abort signal closes the stream', async () => {
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.write('\r\n');
      },
    ]);
    const ctl = new AbortController();
    const s: EventDrivenStream = await client(f).stream.postsFirehose(3, { backfillMinutes: 1, signal: ctl.signal });
    const closed = new Promise<void>((r) => s.on('close', () => r()));
    s.on('data', () => undefined);
    ctl.abort();
    await closed;
    expect(f.requests).toEqual(['/2/tweets/firehose/stream?partition=3&backfill_minutes=1']);
    await waitFor(() => f.closed === 1);
  });
});

describe.each(['node', 'fetch'] as const)('a server that accepts but never sends the response head (%s transport)', (transport) => {
  it('the first open gives up after stallMs with a TIMEOUT ApiError instead of hanging', async () => {
    const f = await fake([() => undefined]);
    const e = await client(f, transport).stream.posts({ reconnect: { stallMs: 150 } }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
    expect(e.statusText).toBe('TIMEOUT');
    expect(f.requests).toHaveLength(1);
    await waitFor(() => f.closed === 1);
  });

  it('a reconnection that gets no head is a network error: reconnect policy applies, then maxAttempts gives up', async () => {
    const f = await fake([
      (_req, res) => {
        streamHead(res);
        res.end(line('first', 1));
      },
      () => undefined,
    ]);
    const s = await client(f, transport).stream.posts({ reconnect: { stallMs: 150, maxAttempts: 3, sleep: instant } });
    const reconnects: StreamReconnectEvent[] = [];
    const errors: unknown[] = [];
    const got: string[] = [];
    s.on('reconnect', (e) => reconnects.push(e));
    s.on('error', (e) => errors.push(e.error));
    s.on('data', (ev) => got.push(ev.data.text));
    await new Promise<void>((r) => s.on('close', () => r()));
    expect(got).toEqual(['first']);
    expect(reconnects.map((e) => e.reason)).toEqual(['ended', 'network', 'network']);
    expect(errors).toHaveLength(1);
    expect((errors[0] as ApiError).statusText).toBe('TIMEOUT');
    expect(f.requests).toHaveLength(4);
    await waitFor(() => f.closed === 4);
  });
});
