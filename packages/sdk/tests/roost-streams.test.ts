/**
 * The SDK against a real Roost server (dev-env, real sockets, no mocked HTTP) for the sub-clients whose endpoints
 * arrived with the streams, search and media work: a filtered stream that the server drops mid-way (Connections
 * API) and the SDK resumes with `backfill_minutes`, stream rules, connections, search with pagination, media uploads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { XDEVELOPERS_ID } from '@roost/server';
import { makePng } from '../../server/tests/http/media-fixtures.js';
import { Client, defaultTransport, PostPaginator, type StreamDataEvent, type Transport } from '../src/index.js';

const ME = XDEVELOPERS_ID;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({
    limits: { '*': { app: 100000, user: 100000, app24h: 1000000, user24h: 1000000 } },
    config: { streamKeepaliveMs: 50 },
  });
});
afterAll(async () => {
  await s?.close();
});

/** Polls (bounded in count) until `cond` holds. */
async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The real transport, recording what was sent; requests whose URL matches `hold` wait until `release()`. */
function recording(hold?: RegExp): { transport: Transport; sent: { method: string; url: string }[]; held: () => boolean; release: () => void } {
  const base = defaultTransport();
  const sent: { method: string; url: string }[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held = false;
  return {
    sent,
    held: () => held,
    release,
    transport: async (req) => {
      sent.push({ method: req.method, url: req.url });
      if (hold?.test(req.url)) {
        held = true;
        await gate;
      }
      return base(req);
    },
  };
}

describe('filtered stream', () => {
  it('rules via stream.updateRules, posts with matching_rules, keep-alives; a server-side kill is resumed with backfill_minutes and no post is lost', async () => {
    // Reconnections are held until the test lets them through, so what is posted meanwhile can only come by backfill.
    const { transport, sent, held, release } = recording(/[?&]backfill_minutes=/);
    const app = new Client({ baseUrl: s.url, bearerToken: s.bearer, transport });
    const user = new Client({ baseUrl: s.url, accessToken: s.userToken });

    const added = await app.stream.updateRules({ add: [{ value: 'sdkheron', tag: 'herons' }, { value: 'sdkheron has:hashtags' }] });
    expect(added.meta?.summary?.created).toBe(2);
    const [herons, tagged] = added.data!;
    const rules = await app.stream.getRules();
    expect(rules.data?.map((r) => r.value).sort()).toEqual(['sdkheron', 'sdkheron has:hashtags']);
    // A dry run validates without creating.
    const dry = await app.stream.updateRules({ add: [{ value: 'another rule' }] }, { dryRun: true });
    expect(dry.meta?.summary?.created).toBe(1);
    expect((await app.stream.getRules()).data).toHaveLength(2);

    const sleeps: number[] = [];
    const stream = await app.stream.posts({
      tweetFields: ['author_id', 'created_at'],
      expansions: ['author_id'],
      userFields: ['username'],
      reconnect: { backfillMinutes: 2, sleep: async (ms) => void sleeps.push(ms) },
    });
    const events: StreamDataEvent[] = [];
    const notices: StreamDataEvent[] = [];
    const reconnects: { attempt: number; reason: string; delayMs: number }[] = [];
    let keepAlives = 0;
    stream.on('data', (ev) => (ev.data ? events.push(ev) : notices.push(ev)));
    stream.on('keepAlive', () => keepAlives++);
    stream.on('reconnect', (r) => reconnects.push({ attempt: r.attempt, reason: r.reason, delayMs: r.delayMs }));
    try {
      const post = async (text: string) => (await user.posts.create({ text })).data!.id!;
      const before = [await post('a sdkheron at the pond'), await post('sdkheron again #birds'), await post('no match here')];
      await waitFor(() => events.length >= 2 && keepAlives > 0, 'two posts and a keep-alive');
      expect(events.map((e) => e.data.id)).toEqual(before.slice(0, 2));
      expect(events[0].matching_rules).toEqual([{ id: herons.id, tag: 'herons' }]);
      expect(events[1].matching_rules?.map((r) => r.id).sort()).toEqual([herons.id, tagged.id].sort());
      expect(events[0].data.author_id).toBe(ME);
      expect(events[0].includes?.users?.[0]?.username).toBe('XDevelopers');
      const streamCalls = () => sent.filter((x) => x.url.includes('/2/tweets/search/stream?'));
      expect(streamCalls()).toHaveLength(1);
      expect(streamCalls()[0].url).not.toContain('backfill_minutes');

      // The server drops every connection of the app (Connections API, bearer).
      const history = await app.connections.getConnectionHistory({ status: 'active' });
      expect(history.data?.map((c) => c.endpointName)).toEqual(['filtered_stream']);
      const killed = await app.connections.deleteAll();
      expect(killed.data?.successfulKills).toBe(1);
      // Posted while the SDK is disconnected: only backfill can bring it.
      await waitFor(held, 'the SDK to try to reconnect');
      const during = await post('sdkheron in the gap');
      release();
      await waitFor(() => stream.reconnects === 1, 'the SDK to reconnect');
      const after = await post('sdkheron after the reconnect');
      await waitFor(() => events.some((e) => e.data.id === after) && events.some((e) => e.data.id === during), 'every post');

      expect(notices.map((n) => n.errors?.[0]?.disconnect_type)).toEqual(['ForceDisconnect']);
      // The first reconnect after a drop is immediate (X's policy): no wait at all.
      expect(reconnects).toEqual([{ attempt: 1, reason: 'ended', delayMs: 0 }]);
      expect(sleeps).toEqual([]);
      expect(streamCalls()).toHaveLength(2);
      expect(new URL(streamCalls()[1].url).searchParams.get('backfill_minutes')).toBe('2');
      expect(new URL(streamCalls()[1].url).searchParams.get('tweet.fields')).toBe('author_id,created_at');
      // Every matching post arrived; backfill may repeat ones seen before the drop (as X's does), never lose one.
      const ids = new Set(events.map((e) => e.data.id));
      for (const id of [...before.slice(0, 2), during, after]) expect(ids.has(id)).toBe(true);
      expect(ids.has(before[2])).toBe(false);
      expect(events.every((e) => e.matching_rules && e.matching_rules.length > 0)).toBe(true);

      const inactive = await app.connections.getConnectionHistory({ status: 'inactive', connectionFields: ['disconnect_reason', 'endpoint_name'] });
      expect(inactive.data?.[0]).toMatchObject({ endpointName: 'filtered_stream', disconnectReason: 'ForceDisconnect' });
    } finally {
      stream.close();
    }
    await app.stream.updateRules({ delete: { ids: [herons.id!, tagged.id!] } });
    expect((await app.stream.getRules()).data ?? []).toEqual([]);
  });

  it('for await over a stream ends at close() with every event parsed before it', async () => {
    const app = new Client({ baseUrl: s.url, bearerToken: s.bearer });
    const user = new Client({ baseUrl: s.url, accessToken: s.userToken });
    const added = await app.stream.updateRules({ add: [{ value: 'sdkplover' }] });
    const stream = await app.stream.posts();
    const texts: string[] = [];
    const posted: string[] = [];
    for (let i = 0; i < 5; i++) posted.push(`sdkplover number ${i}`);
    for (const text of posted) await user.posts.create({ text });
    for await (const ev of stream) {
      texts.push(ev.data.text);
      if (texts.length === posted.length) stream.close();
    }
    expect(texts).toEqual(posted);
    await app.stream.updateRules({ delete: { ids: [added.data![0].id!] } });
  });
});

describe('connections', () => {
  it('deleteByEndpoint ends a sample stream; getConnectionHistory pages with paginate()', async () => {
    const app = new Client({ baseUrl: s.url, bearerToken: s.bearer });
    const stream = await app.stream.postsSample({ reconnect: { enabled: false } });
    const closed = new Promise<void>((r) => stream.on('close', () => r()));
    stream.on('data', () => undefined);
    const r = await app.connections.deleteByEndpoint('sample_stream');
    expect(r.data?.successfulKills).toBe(1);
    await closed;
    const all: string[] = [];
    for await (const c of app.connections.getConnectionHistory.paginate({ status: 'all', maxResults: 1 })) all.push((c as any).id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('search', () => {
  it('posts.searchRecent pages through ≥ 3 pages with paginate() and by hand; getCountsRecent agrees', async () => {
    const user = new Client({ baseUrl: s.url, accessToken: s.userToken });
    const app = new Client({ baseUrl: s.url, bearerToken: s.bearer });
    const made: string[] = [];
    for (let i = 0; i < 25; i++) made.push((await user.posts.create({ text: `sdkkingfisher sighting ${i}` })).data!.id!);
    // Recent search ends a few seconds before now, as X's does: let the server's clock move on.
    s.clock.advance(60_000);

    const walk = app.posts.searchRecent.paginate('sdkkingfisher', { maxResults: 10, expansions: ['author_id'] });
    expect(walk).toBeInstanceOf(PostPaginator);
    const seen: string[] = [];
    for await (const p of walk) seen.push(p.id!);
    expect(walk.pages).toBe(3);
    expect(seen).toEqual([...made].reverse()); // newest first

    const first = await app.posts.searchRecent('sdkkingfisher', { maxResults: 10 });
    expect(first.data).toHaveLength(10);
    expect(first.meta?.resultCount).toBe(10);
    const second = await app.posts.searchRecent('sdkkingfisher', { maxResults: 10, nextToken: first.meta!.nextToken });
    expect(second.data?.map((p) => p.id)).toEqual(seen.slice(10, 20));

    const counts = await app.posts.getCountsRecent('sdkkingfisher', { granularity: 'day' });
    // X sends `total_tweet_count` (FACTS.md; the spec's schema names it total_post_count).
    expect((counts.meta as { totalTweetCount?: number } | undefined)?.totalTweetCount).toBe(25);
  });
});

describe('media', () => {
  it('media.upload (one-shot, base64) and the chunked initializeUpload / appendUpload / finalizeUpload; getUploadStatus; a post with the media; getByKey', async () => {
    const user = new Client({ baseUrl: s.url, accessToken: s.userToken });
    const png = makePng(12, 8);
    const one = await user.media.upload({ media: png.toString('base64'), mediaCategory: 'tweet_image' });
    expect(one.data?.id).toMatch(/^\d+$/);
    expect(one.data?.image).toEqual({ imageType: 'image/png', w: 12, h: 8 });

    const big = makePng(40, 30);
    const init = await user.media.initializeUpload({ mediaType: 'image/png', mediaCategory: 'tweet_image', totalBytes: big.length });
    const id = init.data!.id!;
    const half = Math.ceil(big.length / 2);
    await user.media.appendUpload(id, { media: big.subarray(0, half).toString('base64'), segmentIndex: 0 });
    await user.media.appendUpload(id, { media: big.subarray(half).toString('base64'), segmentIndex: 1 });
    const fin = await user.media.finalizeUpload(id);
    expect(fin.data).toMatchObject({ id, size: big.length });
    const status = await user.media.getUploadStatus(id);
    expect(status.data?.id).toBe(id);

    const created = await user.posts.create({ text: 'two pictures', media: { mediaIds: [one.data!.id!, id] } });
    const withMedia = await user.posts.getById(created.data!.id!, { postFields: ['attachments'], expansions: ['attachments.media_keys'], mediaFields: ['width', 'height', 'type'] });
    const keys = withMedia.data?.attachments?.mediaKeys ?? [];
    expect(keys).toHaveLength(2);
    expect(withMedia.includes?.media?.map((m) => [m.type, m.width, m.height])).toEqual([['photo', 12, 8], ['photo', 40, 30]]);
    const byKey = await user.media.getByKey(keys[1], { mediaFields: ['width'] });
    expect(byKey.data).toMatchObject({ mediaKey: keys[1], width: 40 });
    const byKeys = await user.media.getByKeys(keys);
    expect(byKeys.data?.map((m) => m.mediaKey)).toEqual(keys);
  });
});
