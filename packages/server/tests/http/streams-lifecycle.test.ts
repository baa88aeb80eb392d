import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { ETwitterStreamEvent, TwitterApi, type TweetV2SingleStreamResult } from 'twitter-api-v2';
import { StreamClient } from './stream-client.js';

const P = 'https://api.twitter.com/2/problems/';
const LIMITS = { '*': { app: 100000, user: 100000, app24h: 1000000, user24h: 1000000 } };

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const waitFor = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('stream lifecycle', () => {
  it('a slow reader is disconnected once its bounded buffer fills (SlowReader in the connection history)', async () => {
    s = await startTestServer({ limits: LIMITS, config: { streamBufferBytes: 32 * 1024, streamKeepaliveMs: 60_000 } });
    const made = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'slowpoke reporting' } });
    const postId = made.body.data.id as string;
    await s.request('POST', '/2/tweets/search/stream/rules', { body: { add: [{ value: 'slowpoke' }] } });
    const hub = s.handle.ctx.streams;

    // A client that sends its request and then never reads.
    const u = new URL(s.url);
    const sock = net.connect(Number(u.port), u.hostname);
    sock.on('error', () => undefined);
    let closed = false;
    sock.on('close', () => (closed = true));
    sock.write(
      `GET /2/tweets/search/stream?tweet.fields=author_id,created_at,entities,public_metrics&expansions=author_id&user.fields=description,public_metrics HTTP/1.1\r\n` +
        `Host: ${u.host}\r\nAuthorization: Bearer ${s.bearer}\r\n\r\n`,
    );
    sock.pause();
    await waitFor(() => hub.openCount === 1, 'the connection to open');

    // The same post published again and again (each one is delivered: X does not deduplicate either).
    let published = 0;
    while (hub.openCount > 0 && published < 20_000) {
      for (let i = 0; i < 50; i++) s.handle.ctx.bus.publish({ type: 'post.created', postId, authorId: '2244994945', at: s.clock.now() });
      published += 50;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(hub.openCount).toBe(0);
    const inactive = await s.get('/2/connections', { query: { status: 'inactive' } });
    expect(inactive.body.data[0]).toMatchObject({ endpoint_name: 'filtered_stream', disconnect_reason: 'SlowReader' });
    // Reading again, the client finds the connection closed by the server.
    sock.resume();
    await waitFor(() => closed, 'the socket to close');
    expect(published).toBeLessThan(20_000);
    sock.destroy();
  });

  it('server shutdown sends the operational-disconnect line, then ends every stream', async () => {
    s = await startTestServer({ limits: LIMITS });
    const c = await StreamClient.open(s, '/2/tweets/sample/stream');
    const compliance = await StreamClient.open(s, '/2/tweets/compliance/stream', { partition: 1 });
    expect(c.status).toBe(200);
    await waitFor(() => s!.handle.ctx.streams.openCount === 2, 'both connections');
    const server = s;
    s = undefined;
    await server.close();
    for (const x of [c, compliance]) {
      await x.until(() => x.ended || x.closed, 'end of stream');
      expect(x.messages).toEqual([
        {
          errors: [
            {
              title: 'operational-disconnect',
              disconnect_type: 'UpstreamOperationalDisconnect',
              detail: 'This stream has been disconnected upstream for operational reasons.',
              type: `${P}operational-disconnect`,
            },
          ],
        },
      ]);
      expect(x.raw.endsWith('\r\n')).toBe(true);
    }
  });

  it("twitter-api-v2's stream client (splits on \\r\\n) receives posts from Roost", async () => {
    s = await startTestServer({ limits: LIMITS, config: { streamKeepaliveMs: 50 } });
    const base = s.url;
    const fix = ({ params }: { params: { url: string } }) => {
      const u = new URL(params.url);
      params.url = base + u.pathname + u.search;
    };
    const client = new TwitterApi(s.bearer, {
      plugins: [{ onBeforeRequestConfig: fix, onBeforeStreamRequestConfig: fix }],
      httpAgent: new http.Agent(),
    });
    const added = await client.v2.updateStreamRules({ add: [{ value: 'pelican', tag: 'birds' }] });
    expect(added.meta.summary.created).toBe(1);
    const rules = await client.v2.streamRules();
    expect(rules.data.map((r) => r.value)).toEqual(['pelican']);

    const stream = await client.v2.searchStream({ expansions: ['author_id'], 'tweet.fields': ['created_at'] });
    stream.autoReconnect = false;
    const got: TweetV2SingleStreamResult[] = [];
    let keepAlives = 0;
    stream.on(ETwitterStreamEvent.Data, (d: TweetV2SingleStreamResult) => got.push(d));
    stream.on(ETwitterStreamEvent.DataKeepAlive, () => keepAlives++);
    try {
      await waitFor(() => s!.handle.ctx.streams.openCount === 1, 'the library to connect');
      const a = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'a pelican lands' } });
      const b = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'two pelican friends' } });
      await waitFor(() => got.length >= 2 && keepAlives > 0, 'two posts and a keep-alive');
      expect(got.map((g) => g.data.id)).toEqual([a.body.data.id, b.body.data.id]);
      expect(got[0]!.matching_rules).toEqual([{ id: added.data[0]!.id, tag: 'birds' }]);
      expect(got[0]!.includes?.users?.[0]?.username).toBe('XDevelopers');
      expect(got[0]!.data.created_at).toBe(new Date(s.clock.now()).toISOString());
    } finally {
      stream.close();
    }
  });
});
