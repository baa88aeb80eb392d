/**
 * Transport behaviour against a real node:http server: retries with backoff for network errors and 5xx (never
 * for 4xx other than a waited-for 429), timeouts, abort signals, problem bodies, raw and binary answers,
 * request encoding (path, query, body keys) — over both built-in transports.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiError, Client, type ClientConfig } from '../src/index.js';
import { target } from '../src/node-transport.js';
import { serversClosedAfterEach } from './servers.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const servers = serversClosedAfterEach();

async function fake(handlers: Handler[]) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const i = seen.length;
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      (handlers[i] ?? handlers[handlers.length - 1])(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const USER = { data: { id: '1', username: 'a', public_metrics: { followers_count: 3 } } };

describe.each(['node', 'fetch'] as const)('over the %s transport', (transport) => {
  const make = (url: string, extra: ClientConfig = {}) => {
    const sleeps: number[] = [];
    const c = new Client({ baseUrl: url, bearerToken: 'B', transport, sleep: async (ms) => void sleeps.push(ms), ...extra });
    return { c, sleeps };
  };

  it('5xx and network errors are retried with jittered exponential backoff, then succeed', async () => {
    const f = await fake([json(503, { title: 'Service Unavailable' }), (req) => req.socket.destroy(), json(500, {}), json(200, USER)]);
    const { c, sleeps } = make(f.url);
    const r = await c.users.getById('1');
    expect(r.data?.publicMetrics?.followersCount).toBe(3);
    expect(f.seen).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(500 * 2 ** i * 0.5);
      expect(ms).toBeLessThanOrEqual(500 * 2 ** i);
    });
  });

  it('a POST is not resent after the connection broke mid-request (it may have been processed), a GET is', async () => {
    const f = await fake([(req) => req.socket.destroy(), json(200, USER)]);
    const { c } = make(f.url, { accessToken: 'U' });
    const e = await c.posts.create({ text: 'once' }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.statusText).toBe('NETWORK_ERROR');
    expect(f.seen).toHaveLength(1);
    // Nothing listens on a closed port: never sent, so retried (here until maxRetries).
    const closed = await fake([json(200, {})]);
    const port = closed.url;
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    const { c: c2, sleeps } = make(port, { accessToken: 'U', maxRetries: 2 });
    expect((await c2.posts.create({ text: 'x' }).catch((x) => x)).statusText).toBe('NETWORK_ERROR');
    expect(sleeps).toHaveLength(2);
  });

  it('gives up after maxRetries with the last error; retry: false sends once', async () => {
    const f = await fake([json(502, { title: 'Bad Gateway', detail: 'upstream' })]);
    const { c } = make(f.url, { maxRetries: 2 });
    const e = await c.users.getById('1').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(502);
    expect(e.detail).toBe('upstream');
    expect(e.message).toBe('HTTP 502: upstream');
    expect(f.seen).toHaveLength(3);
    await make(f.url, { retry: false }).c.users.getById('1').catch(() => undefined);
    expect(f.seen).toHaveLength(4);
  });

  it('4xx are not retried; a 429 without waitOnRateLimit is thrown with its rate-limit info', async () => {
    const f = await fake([
      json(404, { title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found', detail: 'gone' }),
      json(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, {
        'x-rate-limit-limit': '300', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1800000000',
        'x-user-limit-24hour-limit': '100', 'x-user-limit-24hour-remaining': '7', 'x-user-limit-24hour-reset': '1800003600',
      }),
    ]);
    const { c, sleeps } = make(f.url);
    const nf = await c.users.getById('1').catch((x) => x);
    expect(nf.status).toBe(404);
    expect(nf.type).toBe('https://api.x.com/2/problems/resource-not-found');
    const tm = await c.users.getById('1').catch((x) => x);
    expect(tm.status).toBe(429);
    expect(tm.rateLimit).toEqual({ limit: 300, remaining: 0, reset: 1800000000, user24h: { limit: 100, remaining: 7, reset: 1800003600 } });
    expect(tm.headers.get('x-rate-limit-limit')).toBe('300');
    expect(f.seen).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('a 429 whose reset is too far away is not waited for — including a spent 24-hour cap inside an open 15-minute window', async () => {
    const f = await fake([
      json(429, { title: 'Too Many Requests' }, { 'x-rate-limit-limit': '1', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '2000' }),
      json(429, { title: 'Too Many Requests' }, {
        'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '50', 'x-rate-limit-reset': '600',
        'x-user-limit-24hour-limit': '17', 'x-user-limit-24hour-remaining': '0', 'x-user-limit-24hour-reset': '86400',
      }),
      json(429, { title: 'Too Many Requests' }, { 'x-rate-limit-limit': '1', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '60' }),
      json(200, USER),
    ]);
    const { c, sleeps } = make(f.url, { waitOnRateLimit: true, now: () => 0 });
    expect((await c.users.getById('1').catch((x) => x)).status).toBe(429);
    expect((await c.users.getById('1').catch((x) => x)).status).toBe(429);
    expect(sleeps).toEqual([]);
    expect(f.seen).toHaveLength(2);
    // A reset one minute away is waited for (plus a second), then the call succeeds.
    expect((await c.users.getById('1')).data?.id).toBe('1');
    expect(sleeps).toEqual([61_000]);
  });

  it('timeouts abort the request (status 0, TIMEOUT) and are retried like network errors', async () => {
    const f = await fake([() => undefined, json(200, USER)]);
    const { c } = make(f.url, { timeout: 500 });
    expect((await c.users.getById('1')).data?.id).toBe('1');
    expect(f.seen).toHaveLength(2);
    const f2 = await fake([() => undefined]);
    const e = await new Client({ baseUrl: f2.url, bearerToken: 'B', transport, timeout: 100, retry: false }).users.getById('1').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
    expect(e.statusText).toBe('TIMEOUT');
  });

  it("a caller's abort signal ends the call without retries", async () => {
    const ctl = new AbortController();
    const reason = new Error('stop');
    // The server never answers; the caller aborts once the request has arrived.
    const f = await fake([() => ctl.abort(reason)]);
    const { c } = make(f.url);
    const e = await c.users.getById('1', { requestOptions: { signal: ctl.signal } }).catch((x) => x);
    expect(e).toBe(reason);
    expect(f.seen).toHaveLength(1);
  });

  it('a 2xx whose body is not JSON fails with its real status and headers (INVALID_BODY), not as a network error', async () => {
    const f = await fake([
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-rate-limit-limit': '5', 'x-rate-limit-remaining': '4', 'x-rate-limit-reset': '99' });
        res.end('{"data": {"id": "1"');
      },
    ]);
    const { c } = make(f.url);
    const e = await c.users.getById('1').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(200);
    expect(e.statusText).toBe('INVALID_BODY');
    expect(e.headers.get('x-rate-limit-limit')).toBe('5');
    expect(e.rateLimit).toEqual({ limit: 5, remaining: 4, reset: 99 });
    expect(e.cause).toBeInstanceOf(SyntaxError);
    expect(f.seen).toHaveLength(1);
  });

  it('a 2xx whose body stalls past the timeout is labelled TIMEOUT, keeping its status', async () => {
    const f = await fake([
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":');
      },
    ]);
    const e = await new Client({ baseUrl: f.url, bearerToken: 'B', transport, timeout: 150, retry: false }).users.getById('1').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(200);
    expect(e.statusText).toBe('TIMEOUT');
  });

  it('encodes path, positional and optional parameters, field values and bodies like the official client', async () => {
    const f = await fake([json(200, USER), json(201, { data: { id: '9', text: 'x' } }), json(200, { data: [] })]);
    const { c } = make(f.url, { accessToken: 'U', headers: { 'X-Extra': '1' } });
    await c.users.getFollowers('12 /3', {
      maxResults: 10, userFields: ['createdAt', 'public_metrics'], 'tweet.fields': ['note_tweet'], expansions: ['pinned_tweet_id'],
      paginationToken: undefined,
    });
    expect(f.seen[0].url).toBe('/2/users/12%20%2F3/followers?max_results=10&user.fields=created_at%2Cpublic_metrics&tweet.fields=note_tweet&expansions=pinned_tweet_id');
    expect(f.seen[0].headers.authorization).toBe('Bearer B');
    expect(f.seen[0].headers['x-extra']).toBe('1');
    expect(f.seen[0].headers['user-agent']).toMatch(/^roost-sdk-typescript\//);
    await c.posts.create({ text: 'x', reply: { inReplyToTweetId: '5' } } as any);
    expect(f.seen[1].method).toBe('POST');
    expect(JSON.parse(f.seen[1].body)).toEqual({ text: 'x', reply: { in_reply_to_tweet_id: '5' } });
    expect(f.seen[1].headers['content-type']).toBe('application/json');
    expect(f.seen[1].headers.authorization).toBe('Bearer U');
    await c.posts.getAnalytics(['1', '2'], new Date(Date.UTC(2026, 0, 1)), '2026-01-02T00:00:00Z', { granularity: 'daily' });
    expect(f.seen[2].url).toBe('/2/tweets/analytics?ids=1%2C2&start_time=2026-01-01T00%3A00%3A00.000Z&end_time=2026-01-02T00%3A00%3A00Z&granularity=daily');
  });

  it('Client.request sends a hand-written path with spaces and non-ASCII as fetch does', async () => {
    const { url, seen } = await fake([json(200, USER)]);
    const { c } = make(url);
    await c.request('GET', '/2/tweets/search/recent?query=from:x has:media 日本 café', { security: [{ BearerToken: [] }] });
    expect(seen[0].url).toBe('/2/tweets/search/recent?query=from:x%20has:media%20%E6%97%A5%E6%9C%AC%20caf%C3%A9');
  });

  it('raw returns the response; binary endpoints return an ArrayBuffer; Client.request works like the official one', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const f = await fake([
      json(200, USER, { 'x-rate-limit-limit': '5', 'x-rate-limit-remaining': '4', 'x-rate-limit-reset': '99' }),
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(bytes);
      },
      json(200, USER),
    ]);
    const { c } = make(f.url, { accessToken: 'U' });
    const raw: any = await c.users.getById('1', { requestOptions: { raw: true } });
    expect(raw.status).toBe(200);
    expect(JSON.parse(await raw.text())).toEqual(USER);
    const buf = await c.directMessages.dmConversationsMediaDownload('1', '2', '3');
    expect(new Uint8Array(buf)).toEqual(new Uint8Array(bytes));
    const viaRequest = await c.request('GET', '/2/users/1', { security: [{ BearerToken: [] }] });
    expect(viaRequest.data.publicMetrics.followersCount).toBe(3);
    expect(f.seen[2].headers.authorization).toBe('Bearer B');
  });
});

describe('node transport request targets (parsed once per origin, as node:http would parse each URL)', () => {
  it('splits origin and path: IPv6 literals, credentials, a base path, ports', () => {
    expect(target('http://127.0.0.1:8080/2/users/me?user.fields=id')).toEqual({ protocol: 'http:', hostname: '127.0.0.1', port: '8080', secure: false, path: '/2/users/me?user.fields=id' });
    expect(target('https://[::1]:9443/2/tweets')).toEqual({ protocol: 'https:', hostname: '::1', port: '9443', secure: true, path: '/2/tweets' });
    expect(target('https://api.x.com/2/tweets')).toMatchObject({ hostname: 'api.x.com', port: '', secure: true, path: '/2/tweets' });
    expect(target('http://u%40x:p%3Aw@proxy.test/x-api/2/users')).toMatchObject({ hostname: 'proxy.test', auth: 'u@x:p:w', path: '/x-api/2/users' });
    expect(target('http://host.test')).toMatchObject({ hostname: 'host.test', path: '/' });
    expect(target('http://host.test?x=1')).toMatchObject({ hostname: 'host.test', path: '/?x=1' });
  });

  it('a path node:http would refuse or send raw is sent in the URL parser\'s form, as fetch sends it', () => {
    expect(target('http://h.test/2/tweets/search/recent?query=from:x has:media').path).toBe('/2/tweets/search/recent?query=from:x%20has:media');
    expect(target('http://h.test/2/x?query=日本&q=café').path).toBe('/2/x?query=%E6%97%A5%E6%9C%AC&q=caf%C3%A9');
    expect(target('http://h.test/2/a/../users#frag').path).toBe('/2/users');
  });
});
