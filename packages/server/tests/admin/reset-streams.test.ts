/**
 * Stream faults (operational-disconnect, a silent stall, TooManyConnections) and the reset back to the start
 * snapshot, on a server with the admin API and ROOST_RESETTABLE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_NOW, type TestServer } from '@roost/dev-env';
import { StreamClient } from '../http/stream-client.js';

const ADMIN = 'test-admin-token-0123456789';
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ seed: null, config: { adminToken: ADMIN, resettable: true, streamKeepaliveMs: 100 } });
});
afterAll(async () => {
  await s?.close();
});

const admin = <T = any>(method: string, path: string, body?: unknown) => s.request<T>(method, path, { token: ADMIN, body, raw: true });
const SAMPLE = '/2/tweets/sample/stream';

describe('stream faults', () => {
  it("stream-disconnect: X's operational-disconnect line after `ms`, then the stream ends", async () => {
    await admin('POST', '/_roost/faults', { fault: 'stream-disconnect', operation: 'streamPostsSample', ms: 250, count: 1 });
    const c = await StreamClient.open(s, SAMPLE);
    expect(c.status).toBe(200);
    await c.until(() => c.ended || c.closed, 'the end of the stream');
    const last = c.messages.at(-1);
    expect(last).toEqual({
      errors: [
        {
          title: 'operational-disconnect',
          disconnect_type: 'UpstreamOperationalDisconnect',
          detail: 'This stream has been disconnected upstream for operational reasons.',
          type: 'https://api.twitter.com/2/problems/operational-disconnect',
        },
      ],
    });
    // Keep-alives came before it: the stream ran for `ms` first.
    expect(c.frames.filter((f) => f === '').length).toBeGreaterThan(0);
    // Logged when it ended, with the rule that cut it.
    await c.until(() => c.closed, 'the connection to close');
    const logged = await admin('GET', '/_roost/requests?operation=streamPostsSample');
    expect(logged.body.data).toEqual([expect.objectContaining({ status: 200, fault: '1', auth: 'oauth2-app' })]);
    // The rule is spent: the reconnect stays up.
    const again = await StreamClient.open(s, SAMPLE);
    await again.until(() => again.frames.length >= 2, 'keep-alives after reconnecting');
    expect(again.ended).toBe(false);
    again.close();
  });

  it('stream-stall: no bytes at all (not even keep-alives) while the connection stays open', async () => {
    await admin('POST', '/_roost/faults', { fault: 'stream-stall', operation: 'streamPostsSample', ms: 150, count: 1 });
    const c = await StreamClient.open(s, SAMPLE);
    await c.until(() => c.frames.length >= 1, 'a keep-alive before the stall');
    await new Promise((r) => setTimeout(r, 250));
    const seen = c.raw.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(c.raw.length).toBe(seen);
    expect(c.ended || c.closed).toBe(false);
    c.close();
  });

  it('too-many-connections: the 429 ConnectionException a second connection would get', async () => {
    await admin('POST', '/_roost/faults', { fault: 'too-many-connections', operation: 'streamPostsSample', count: 1 });
    const c = await StreamClient.open(s, SAMPLE);
    expect(c.status).toBe(429);
    expect(await c.body()).toEqual({
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: 'https://api.twitter.com/2/problems/streaming-connection',
    });
    await admin('DELETE', '/_roost/faults');
  });
});

describe('reset', () => {
  it('brings back the start: posts, users, clock, faults and the request log; same URL, no restart', async () => {
    const post = await s.request('POST', '/2/tweets', { token: s.handle.boot.userToken!, body: { text: 'before the reset' } });
    expect(post.status).toBe(201);
    const user = await admin('POST', '/_roost/users', { username: 'temporary' });
    expect(user.status).toBe(201);
    await admin('POST', '/_roost/clock/advance', { ms: 3_600_000 });
    await admin('POST', '/_roost/faults', { fault: 'latency', ms: 1 });

    const r = await admin('POST', '/_roost/reset');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ reset: true, clock: { now_ms: TEST_NOW, frozen: true } });
    expect(r.body.took_ms).toBeLessThan(5000);

    const gone = await s.get(`/2/tweets/${post.body.data.id}`);
    expect(gone.body.errors?.[0]?.title).toBe('Not Found Error');
    expect((await s.get('/2/users/by/username/temporary')).body.errors?.[0]?.title).toBe('Not Found Error');
    expect((await admin('GET', '/_roost/faults')).body.data).toEqual([]);
    expect((await admin('GET', '/_roost/requests')).body.data).toHaveLength(2);
    // Credentials of the start still work; the same name can be made again.
    expect((await s.get('/2/users/me', { token: s.handle.boot.userToken! })).status).toBe(200);
    expect((await admin('POST', '/_roost/users', { username: 'temporary' })).status).toBe(201);
  });
});
