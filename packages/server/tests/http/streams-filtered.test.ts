import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { StreamClient } from './stream-client.js';

const XDEV = '2244994945';
const RULES = '/2/tweets/search/stream/rules';
const STREAM = '/2/tweets/search/stream';
const P = 'https://api.twitter.com/2/problems/';

let s: TestServer;
let seq = 0;
const clients: StreamClient[] = [];

const open = async (query: Record<string, string | number> = {}, path = STREAM) => {
  const c = await StreamClient.open(s, path, query);
  clients.push(c);
  return c;
};
const tweet = async (text: string) => {
  const r = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: `${text} n${++seq}` } });
  expect(r.status).toBe(201);
  return r.body.data.id as string;
};
const addRules = async (add: { value: string; tag?: string }[]) => {
  const r = await s.request('POST', RULES, { body: { add } });
  expect(r.body.meta.summary.created).toBe(add.length);
  return r.body.data as { id: string; value: string; tag?: string }[];
};
const clearRules = () => s.request('POST', RULES, { query: { delete_all: 'true' } });

beforeAll(async () => {
  s = await startTestServer({
    limits: { '*': { app: 100000, user: 100000, app24h: 1000000, user24h: 1000000 } },
    config: { streamKeepaliveMs: 100 },
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await s?.close();
});

describe('GET /2/tweets/search/stream', () => {
  it('409 when the app has no rules', async () => {
    await clearRules();
    const c = await open();
    expect(c.status).toBe(409);
    expect(await c.body()).toMatchObject({ title: 'ConnectionException', connection_issue: 'RuleConfigurationIssue', type: `${P}streaming-connection` });
  });

  it('chunked NDJSON framed by \\r\\n: each post once with all its matching rules, fields and expansions; keep-alives', async () => {
    await clearRules();
    const [cats, tagged, zebra] = await addRules([
      { value: 'roostcat', tag: 'cats' },
      { value: 'roostcat has:hashtags', tag: 'tagged cats' },
      { value: 'zebra' },
    ]);
    const c = await open({ 'tweet.fields': 'author_id,created_at', expansions: 'author_id', 'user.fields': 'username' });
    expect(c.status).toBe(200);
    expect(c.res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(c.res.headers['transfer-encoding']).toBe('chunked');
    expect(c.res.headers['x-rate-limit-limit']).toBeDefined();

    const both = await tweet('hello roostcat #fun');
    await tweet('nothing to see');
    const z = await tweet('a zebra here');
    const msgs = await c.messageCount(2);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toEqual({
      data: { id: both, text: expect.stringContaining('roostcat'), edit_history_tweet_ids: [both], author_id: XDEV, created_at: expect.any(String) },
      includes: { users: [{ id: XDEV, name: expect.any(String), username: 'XDevelopers' }] },
      matching_rules: [
        { id: cats!.id, tag: 'cats' },
        { id: tagged!.id, tag: 'tagged cats' },
      ],
    });
    expect(msgs[1].data.id).toBe(z);
    // An untagged rule: `"tag":""`, as in observed payloads.
    expect(msgs[1].matching_rules).toEqual([{ id: zebra!.id, tag: '' }]);
    // Every frame is one JSON object or a bare keep-alive, each terminated by \r\n.
    await c.until(() => c.frames.includes(''), 'a keep-alive');
    for (const f of c.frames) if (f !== '') expect(() => JSON.parse(f)).not.toThrow();
    expect(c.raw.endsWith('\r\n')).toBe(true);
    expect(c.raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    c.close();
  });

  it('rule changes apply to the live connection without reconnecting', async () => {
    await clearRules();
    await addRules([{ value: 'okapi' }]);
    const c = await open();
    const [giraffe] = await addRules([{ value: 'giraffe', tag: 'g' }]);
    const g1 = await tweet('a giraffe appears');
    await c.messageCount(1);
    expect(c.messages[0].data.id).toBe(g1);
    expect(c.messages[0].matching_rules).toEqual([{ id: giraffe!.id, tag: 'g' }]);
    const del = await s.request('POST', RULES, { body: { delete: { ids: [giraffe!.id] } } });
    expect(del.body.meta.summary.deleted).toBe(1);
    await tweet('another giraffe');
    const o = await tweet('an okapi');
    await c.messageCount(2);
    expect(c.messages.map((m) => m.data.id)).toEqual([g1, o]);
    c.close();
  });

  it('backfill_minutes replays the recent matches (by the clock) before live posts', async () => {
    await clearRules();
    await addRules([{ value: 'backfilly' }]);
    const old = await tweet('backfilly old');
    s.clock.advance(3 * 60_000);
    const recent = await tweet('backfilly recent');
    await tweet('unrelated recent');
    const two = await open({ backfill_minutes: 2 });
    await two.messageCount(1);
    const five = await open({ backfill_minutes: 5 }, STREAM).catch(() => null);
    // One connection per app: the second is refused while the first is open.
    expect(five?.status).toBe(429);
    two.close();
    const c5 = await openWhenFree({ backfill_minutes: 5 });
    const live = await tweet('backfilly live');
    await c5.messageCount(3);
    expect(c5.messages.map((m) => m.data.id)).toEqual([old, recent, live]);
    expect(two.messages.map((m) => m.data.id)).toEqual([recent]);
    const none = await openWhenFree({}, c5);
    const live2 = await tweet('backfilly after');
    await none.messageCount(1);
    expect(none.messages.map((m) => m.data.id)).toEqual([live2]);
    none.close();
  });

  it('a second connection gets 429 TooManyConnections; DELETE /2/connections/all frees the slot', async () => {
    await clearRules();
    await addRules([{ value: 'slotted' }]);
    const first = await open();
    expect(first.status).toBe(200);
    const second = await open();
    expect(second.status).toBe(429);
    expect(await second.body()).toEqual({
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: `${P}streaming-connection`,
    });
    const list = await s.get('/2/connections');
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ endpoint_name: 'filtered_stream', client_ip: expect.any(String), connected_at: expect.any(String) }),
    ]);
    const kill = await s.request('DELETE', '/2/connections/all');
    expect(kill.status).toBe(200);
    expect(kill.body.data).toEqual({ successful_kills: 1, failed_kills: 0, results: [{ uuid: list.body.data[0].id, success: true }] });
    await first.until(() => first.ended || first.closed, 'end of the killed stream');
    expect(first.messages.at(-1)).toEqual({
      errors: [expect.objectContaining({ title: 'operational-disconnect', disconnect_type: 'ForceDisconnect', type: `${P}operational-disconnect` })],
    });
    const third = await open();
    expect(third.status).toBe(200);
    const inactive = await s.get('/2/connections', { query: { status: 'inactive', 'connection.fields': 'disconnect_reason,endpoint_name' } });
    expect(inactive.body.data[0]).toEqual({ id: list.body.data[0].id, endpoint_name: 'filtered_stream', disconnect_reason: 'ForceDisconnect' });
    third.close();
  });

  it('two connects that both pass the slot check: the second loses at handover with the same 429 body', async () => {
    await clearRules();
    await addRules([{ value: 'racing' }]);
    // Both requests wait inside the rule count (after the first slot check) until both are there.
    const rules = s.handle.ctx.repos.streamRules;
    const countByApp = rules.countByApp.bind(rules);
    let waiting = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    rules.countByApp = async (appId) => {
      if (++waiting === 2) release();
      await gate;
      return countByApp(appId);
    };
    try {
      const both = await Promise.all([open(), open()]);
      const lost = both.find((c) => c.status !== 200)!;
      const won = both.find((c) => c.status === 200)!;
      expect(won && lost).toBeTruthy();
      expect(lost.status).toBe(429);
      expect(lost.res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(await lost.body()).toEqual({
        title: 'ConnectionException',
        detail: 'This stream is currently at the maximum allowed connection limit.',
        connection_issue: 'TooManyConnections',
        type: `${P}streaming-connection`,
      });
      won.close();
    } finally {
      release();
      rules.countByApp = countByApp;
    }
  });
});

/** Opens once the previous connection's slot is released (the server sees the close asynchronously). */
async function openWhenFree(query: Record<string, string | number>, prev?: StreamClient): Promise<StreamClient> {
  prev?.close();
  for (let i = 0; i < 100; i++) {
    const c = await open(query);
    if (c.status === 200) return c;
    await c.body();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('slot never freed');
}
