/**
 * The raw-socket stream reader of the Node transport (node-stream.ts) against hand-written HTTP/1.1 responses from a
 * `net` server on 127.0.0.1 (no HTTP library on the server side, so every framing detail is chosen here): chunked
 * framing cut at every byte, chunk extensions, trailers, interim 1xx heads, Content-Length and close-delimited bodies,
 * malformed framing, non-2xx answers, timeouts, stalls, aborts, and UTF-8 cut inside characters.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, Client, type TransportResponse } from '../src/index.js';
import { nodeTransport } from '../src/node-transport.js';
import { MalformedResponseError } from '../src/node-stream.js';
import { drain, firstTexts, instant, waitFor } from './stream-helpers.js';

interface Raw {
  url: string;
  /** Request heads received, in order. */
  heads: string[];
  /** Connections closed (by either side). */
  closed: number;
}

let servers: { server: Server; sockets: Set<Socket> }[] = [];
afterEach(async () => {
  for (const { server, sockets } of servers) {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  }
  servers = [];
});

/** A server that reads each request head, then hands the socket to respond(socket, n) (n = request index). */
async function raw(respond: (sock: Socket, n: number) => void | Promise<void>): Promise<Raw> {
  const r: Raw = { url: '', heads: [], closed: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.setNoDelay(true);
    sock.on('error', () => undefined);
    sock.on('close', () => {
      r.closed++;
      sockets.delete(sock);
    });
    let head = '';
    const onData = (b: Buffer) => {
      head += b.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      sock.off('data', onData);
      r.heads.push(head.slice(0, end));
      void respond(sock, r.heads.length - 1);
    };
    sock.on('data', onData);
  });
  servers.push({ server, sockets });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return r;
}

const pause = () => new Promise((r) => setTimeout(r, 1));

/** Writes the pieces as separate socket writes with a pause between them (so the client reads them apart). */
async function writePieces(sock: Socket, pieces: (string | Buffer)[], end = true): Promise<void> {
  for (const p of pieces) {
    if (sock.destroyed) return;
    sock.write(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
    await pause();
  }
  if (end && !sock.destroyed) sock.end();
}

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const a of at) {
    out.push(bytes.subarray(from, a));
    from = a;
  }
  out.push(bytes.subarray(from));
  return out.filter((b) => b.length);
}

const openStream = (url: string, signal?: AbortSignal, headersTimeout?: number) =>
  nodeTransport()({ method: 'GET', url: `${url}/2/tweets/search/stream?x=1`, headers: { authorization: 'Bearer T' }, stream: true, signal, headersTimeout });

async function bodyOf(res: TransportResponse): Promise<Buffer> {
  const parts: Buffer[] = [];
  await res.read((c) => parts.push(Buffer.from(c as Uint8Array)));
  return Buffer.concat(parts);
}

const BODY = 'héllo 🐦 wörld\r\n{"data":{"id":"1","text":"日本語"}}\r\n\r\n';
const BODY_BYTES = Buffer.from(BODY, 'utf8');
/** Interim heads, repeated headers, chunk extensions, upper-case hex sizes, an empty-named extension value, trailers. */
function chunkedResponse(): Buffer {
  const b = BODY_BYTES;
  const chunks = [b.subarray(0, 3), b.subarray(3, 30), b.subarray(30, 31), b.subarray(31)];
  const sizes = [`${chunks[0].length.toString(16)}`, `${chunks[1].length.toString(16).toUpperCase()};ext=1`, `${chunks[2].length.toString(16)} ;a;b="c d"`, `${chunks[3].length.toString(16)}`];
  return Buffer.concat([
    Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </s.css>; rel=preload\r\n\r\n'),
    Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-a: 1\r\nX-A:  2 \r\nx-rate-limit-limit: 50\r\ntransfer-encoding: chunked\r\n\r\n'),
    ...chunks.flatMap((c, i) => [Buffer.from(`${sizes[i]}\r\n`), c, Buffer.from('\r\n')]),
    Buffer.from('0\r\nx-trailer: t\r\nx-other: u\r\n\r\n'),
  ]);
}


describe('raw socket reader: framing', () => {
  it('the request: method, path and query, host, the given headers, connection: close', async () => {
    const r = await raw((sock) => void writePieces(sock, ['HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok']));
    const res = await openStream(r.url);
    expect((await bodyOf(res)).toString()).toBe('ok');
    const port = new URL(r.url).port;
    expect(r.heads[0].split('\r\n')).toEqual(['GET /2/tweets/search/stream?x=1 HTTP/1.1', 'authorization: Bearer T', `host: 127.0.0.1:${port}`, 'connection: close']);
  });

  it('header values that could split the request (or are not Latin-1) are refused before connecting', async () => {
    const r = await raw(() => undefined);
    for (const bad of ['a\r\nx-injected: 1', 'a\nb', 'caf\u00e9 \u2713']) {
      await expect(nodeTransport()({ method: 'GET', url: r.url, headers: { 'x-a': bad }, stream: true })).rejects.toThrow(/invalid header/);
    }
    await expect(nodeTransport()({ method: 'GET', url: r.url, headers: { 'bad name': 'x' }, stream: true })).rejects.toThrow(/invalid header/);
    expect(r.heads).toEqual([]);
  });

  it('chunked framing with 1xx heads, extensions and trailers, cut at every byte offset: status, headers and body intact', async () => {
    const whole = chunkedResponse();
    const r = await raw((sock, n) => void writePieces(sock, n === 0 ? whole.toString('latin1').split('').map((c) => Buffer.from(c, 'latin1')) : cut(whole, [n])));
    // n = 0: every byte its own write; n ≥ 1: cut in two at byte n.
    for (let n = 0; n < whole.length; n++) {
      const res = await openStream(r.url);
      expect(res.status).toBe(200);
      expect(res.statusText).toBe('OK');
      expect(res.headers.get('x-a')).toBe('1, 2');
      expect(res.headers.get('X-Rate-Limit-Limit')).toBe('50');
      expect(res.headers.get('link')).toBeNull(); // the 103's headers are not the response's
      const body = await bodyOf(res);
      if (!body.equals(BODY_BYTES)) throw new Error(`body differs when cut at ${n}: ${JSON.stringify(body.toString())}`);
    }
    expect(r.heads).toHaveLength(whole.length);
    await waitFor(() => r.closed === whole.length);
  });

  it('a Content-Length body ends at its length even if the server keeps the connection open, and releases it', async () => {
    const r = await raw((sock) => void writePieces(sock, ['HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello', ' world!', 'GARBAGE'], false));
    const res = await openStream(r.url);
    expect((await bodyOf(res)).toString()).toBe('hello world!');
    await waitFor(() => r.closed === 1);
  });

  it('a body without length or chunking ends when the server closes; HTTP/1.0 is read too', async () => {
    const r = await raw((sock) => void writePieces(sock, ['HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n{"a"', ':1}\r\n']));
    const res = await openStream(r.url);
    expect((await bodyOf(res)).toString()).toBe('{"a":1}\r\n');
  });

  it('a body that arrived and ended before anyone read it is still all there (close-delimited, chunked)', async () => {
    const r = await raw((sock, n) =>
      void sock.end(n === 0 ? 'HTTP/1.1 200 OK\r\n\r\nall of it' : 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nall\r\n0\r\n\r\n'),
    );
    for (const expected of ['all of it', 'all']) {
      const res = await openStream(r.url);
      await new Promise((res) => setTimeout(res, 50)); // the server's bytes and FIN arrive meanwhile
      expect(await res.text()).toBe(expected);
    }
  });

  it('text() reads the whole body (a 204 has none)', async () => {
    const r = await raw((sock, n) => void writePieces(sock, n === 0 ? ['HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nab', 'c\r\n0\r\n\r\n'] : ['HTTP/1.1 204 No Content\r\n\r\n'], n === 0));
    expect(await (await openStream(r.url)).text()).toBe('abc');
    const empty = await openStream(r.url);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it.each([
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nab\r\nzz\r\nab\r\n0\r\n\r\n', /chunk size/],
    ['a size line ended by a bare line feed', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n', /chunk size/],
    ['chunk data longer than its size', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n', /chunk data end/],
    ['an absurd chunk size', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1000000000000000\r\nab\r\n', /too large/],
    ['conflicting Content-Length values', 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nab', /content-length/],
    ['a bad status line', 'HTTP/2 200 OK\r\n\r\n', /status line/],
    ['a header line without a name', 'HTTP/1.1 200 OK\r\n: x\r\n\r\n', /header line/],
    ['an obsolete folded header line', 'HTTP/1.1 200 OK\r\nx-a: 1\r\n  folded\r\n\r\n', /header line/],
  ])('%s is an error', async (_what, response, message) => {
    const r = await raw((sock) => void writePieces(sock, [response], false));
    const err = await openStream(r.url).then(bodyOf).catch((e) => e);
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err.message).toMatch(message);
    await waitFor(() => r.closed === 1);
  });

  it('a connection closed mid-body or before the head is an error, not an end', async () => {
    const r = await raw((sock, n) => void writePieces(sock, [n === 0 ? 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab' : n === 1 ? 'HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nab' : 'HTTP/1.1 200 OK\r\n']));
    await expect(openStream(r.url).then(bodyOf)).rejects.toThrow(/before the end of the body/);
    await expect(openStream(r.url).then(bodyOf)).rejects.toThrow(/before the end of the body/);
    await expect(openStream(r.url)).rejects.toThrow(/before the response head/);
  });

  it('abort: before the head the open rejects with the reason; after it the read rejects and the socket is released', async () => {
    const r = await raw((sock, n) => void writePieces(sock, n === 0 ? ['HTTP/1.1 20'] : ['HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nab\r\n'], false));
    const early = new AbortController();
    const opening = openStream(r.url, early.signal);
    await waitFor(() => r.heads.length === 1);
    early.abort(new Error('stop early'));
    await expect(opening).rejects.toThrow('stop early');
    const late = new AbortController();
    const res = await openStream(r.url, late.signal);
    const got: string[] = [];
    const reading = res.read((c) => {
      got.push(Buffer.from(c as Uint8Array).toString());
      late.abort(new Error('stop late'));
    });
    await expect(reading).rejects.toThrow('stop late');
    expect(got).toEqual(['ab']);
    await waitFor(() => r.closed === 2);
  });

  it('headersTimeout: a head that never completes is a TimeoutError', async () => {
    const r = await raw((sock) => void writePieces(sock, ['HTTP/1.1 200 OK\r\nx-a: 1\r\n'], false));
    const err = await openStream(r.url, undefined, 100).catch((e) => e);
    expect(err.name).toBe('TimeoutError');
    await waitFor(() => r.closed === 1);
  });
});


const chunk = (s: string | Buffer) => {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
};
const HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n';
const post = (text: string, id = '1') => `${JSON.stringify({ data: { id, text }, matching_rules: [{ id: '9', tag: 't' }] })}\r\n`;

describe('streams over the raw socket reader (Client.stream)', () => {
  it('non-2xx: the ApiError carries status, headers and the (chunked) problem body', async () => {
    const problem = JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    const r = await raw((sock) => void writePieces(sock, ['HTTP/1.1 401 Unauthorized\r\ncontent-type: application/problem+json\r\nx-rate-limit-limit: 50\r\nx-rate-limit-remaining: 0\r\nx-rate-limit-reset: 1800000000\r\ntransfer-encoding: chunked\r\n\r\n', chunk(problem.slice(0, 10)), chunk(problem.slice(10)), '0\r\n\r\n']));
    const err = await new Client({ baseUrl: r.url, bearerToken: 'T' }).stream.posts().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.statusText).toBe('Unauthorized');
    expect(err.data).toEqual(JSON.parse(problem));
    expect(err.rateLimit).toEqual({ limit: 50, remaining: 0, reset: 1800000000 });
  });

  it('malformed framing mid-stream is a network error: the stream reconnects and continues', async () => {
    const r = await raw((sock, n) => void writePieces(sock, n === 0 ? [HEAD, chunk(post('a')), 'xyz\r\n'] : [HEAD, chunk(post('b')), '0\r\n\r\n'], n !== 0));
    const s = await new Client({ baseUrl: r.url, bearerToken: 'T' }).stream.posts({ reconnect: { sleep: instant } });
    const { got, reconnects } = await firstTexts(s, 2);
    expect(got).toEqual(['a', 'b']);
    expect(reconnects.map((e) => e.reason)).toEqual(['network']);
    expect(reconnects[0].error).toBeInstanceOf(MalformedResponseError);
    await waitFor(() => r.closed === 2);
  });

  it('a stall after the head reconnects; a reconnection whose head never completes is a network error; the rest arrives', async () => {
    const r = await raw((sock, n) => {
      if (n === 0) void writePieces(sock, [HEAD, chunk(post('before'))], false);
      else if (n === 1) void writePieces(sock, ['HTTP/1.1 200 OK\r\n'], false);
      else void writePieces(sock, [HEAD, chunk(post('after')), '0\r\n\r\n']);
    });
    const s = await new Client({ baseUrl: r.url, bearerToken: 'T' }).stream.posts({ reconnect: { stallMs: 100, sleep: instant } });
    const { got, reconnects } = await firstTexts(s, 2);
    expect(got).toEqual(['before', 'after']);
    expect(reconnects.map((e) => e.reason)).toEqual(['stall', 'network']);
    expect((reconnects[1].error as ApiError).statusText).toBe('TIMEOUT');
    await waitFor(() => r.closed === 3);
  });

  it('the abort signal closes a stream that is reading and releases its socket', async () => {
    const r = await raw((sock) => {
      void writePieces(sock, [HEAD, chunk(post('x'))], false);
      const t = setInterval(() => !sock.destroyed && sock.write(chunk('\r\n')), 5);
      sock.on('close', () => clearInterval(t));
    });
    const ctl = new AbortController();
    const s = await new Client({ baseUrl: r.url, bearerToken: 'T' }).stream.posts({ signal: ctl.signal });
    const got: string[] = [];
    const closed = new Promise<void>((res) => s.on('close', () => res()));
    s.on('data', (ev) => {
      got.push(ev.data.text);
      ctl.abort();
    });
    await closed;
    expect(got).toEqual(['x']);
    await waitFor(() => r.closed === 1);
  });

  it('the start of a line kept from one read survives the next, longer read (the read buffer is reused)', async () => {
    const long = `${'ü'.repeat(700)} ✓ ${'x'.repeat(2000)}`;
    const two = Buffer.from(post('a') + post(long, '2') + post('b', '3'));
    const at = Buffer.byteLength(post('a')) + 30; // inside the long line
    // three reads: a line and the start of the long one; 1000 bytes of it (no line feed); the rest, longer
    const r = await raw((sock) => void writePieces(sock, [HEAD, ...cut(two, [at, at + 1000]).map(chunk), '0\r\n\r\n']));
    const { got, warnings } = await drain(await new Client({ baseUrl: r.url, bearerToken: 'T' }).stream.posts({ reconnect: { enabled: false } }));
    expect(warnings).toEqual([]);
    expect(got).toEqual(['a', long, 'b']);
  });

  it('Content-Length and close-delimited stream bodies deliver every line up to their end', async () => {
    const body = post('one', '1') + '\r\n' + post('two', '2');
    const r = await raw((sock, n) =>
      void writePieces(sock, n === 0 ? [`HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`, body] : ['HTTP/1.1 200 OK\r\n\r\n', body.slice(0, 7), body.slice(7)], n !== 0),
    );
    for (let i = 0; i < 2; i++) {
      const { got, keepAlives } = await drain(await new Client({ baseUrl: r.url, bearerToken: 'T' }).stream.posts({ reconnect: { enabled: false } }));
      expect(got).toEqual(['one', 'two']);
      expect(keepAlives).toBe(1);
    }
  });
});

describe.each(['node', 'fetch'] as const)('UTF-8 cut inside characters (%s transport)', (transport) => {
  it('a line cut at every byte (inside 2-, 3- and 4-byte characters, inside \\r\\n) arrives intact', async () => {
    const text = 'é✓🐦 日本語 ü';
    const line = Buffer.from(post(text) + post('next', '2'), 'utf8');
    const r = await raw((sock, n) => void writePieces(sock, [HEAD, ...cut(line, [n + 1]).map(chunk), '0\r\n\r\n']));
    for (let n = 0; n < line.length - 1; n++) {
      const { got, warnings } = await drain(await new Client({ baseUrl: r.url, bearerToken: 'T', transport }).stream.posts({ reconnect: { enabled: false } }));
      if (got.join('|') !== `${text}|next` || warnings.length) throw new Error(`cut at ${n + 1}: ${JSON.stringify({ got, warnings })}`);
    }
    expect(r.heads).toHaveLength(line.length - 1);
  });
});

describe.each(['node', 'fetch'] as const)('bytes that are not UTF-8 (%s transport)', (transport) => {
  it('become U+FFFD as TextDecoder makes them, next to valid ASCII and non-ASCII lines of the same read', async () => {
    const bad = Buffer.concat([Buffer.from('{"data":{"id":"1","text":"a'), Buffer.from([0xff, 0xe2, 0x9c]), Buffer.from('b"}}\r\n')]);
    const body = Buffer.concat([Buffer.from(post('plain', '0')), bad, Buffer.from(post('日本 ✓', '2'))]);
    const r = await raw((sock) => void writePieces(sock, [HEAD, chunk(body), '0\r\n\r\n']));
    const s = await new Client({ baseUrl: r.url, bearerToken: 'T', transport }).stream.posts({ reconnect: { enabled: false } });
    const got: string[] = [];
    for await (const ev of s) got.push(ev.data.text);
    expect(got).toEqual(['plain', `a${new TextDecoder().decode(new Uint8Array([0xff, 0xe2, 0x9c]))}b`, '日本 ✓']);
    expect(got[1]).toBe('a\ufffd\ufffdb');
  });
});
