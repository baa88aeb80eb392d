import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { sql } from 'kysely';
import { sampleBucket } from '../../src/query/matcher.js';
import { postsByPartition, likeId } from '../../src/streams/partition.js';
import { StreamClient } from './stream-client.js';

const XDEV = '2244994945';
const LIMITS = { '*': { app: 100000, user: 100000, app24h: 1000000, user24h: 1000000 } };

let s: TestServer;
let seq = 0;
const clients: StreamClient[] = [];
/** Public, live posts of public authors in the seeded world (not members-only Community posts). */
let world: { id: string; authorId: string; lang: string }[] = [];

const open = async (path: string, query: Record<string, string | number> = {}) => {
  const c = await StreamClient.open(s, path, query);
  expect(c.status).toBe(200);
  clients.push(c);
  return c;
};
const openAll = async (paths: [string, Record<string, string | number>?][]) => {
  const before = s.handle.ctx.streams.openCount;
  const out = [];
  for (const [p, q] of paths) out.push(await open(p, q));
  await until(() => s.handle.ctx.streams.openCount === before + paths.length);
  return out;
};
const closeAll = async (cs: StreamClient[]) => {
  const before = s.handle.ctx.streams.openCount;
  for (const c of cs) c.close();
  await until(() => s.handle.ctx.streams.openCount === before - cs.length);
};
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};
const publishPost = (p: { id: string; authorId: string }) =>
  s.handle.ctx.bus.publish({ type: 'post.created', postId: p.id, authorId: p.authorId, at: s.clock.now() });
const tweet = async (text: string, token = s.userToken) => {
  const r = await s.request('POST', '/2/tweets', { token, body: { text: `${text} n${++seq}` } });
  expect(r.status).toBe(201);
  return r.body.data.id as string;
};

beforeAll(async () => {
  s = await startTestServer({ limits: LIMITS });
  const rows = await sql
    .raw<{ id: unknown; author_id: unknown; lang: string }>(
      `select cast(p.id as text) as id, cast(p.author_id as text) as author_id, p.lang from posts p join users u on u.id = p.author_id
       where p.deleted = 0 and coalesce(p.superseded, 0) = 0 and u.protected = 0 and u.suspended = 0
         and (p.community_id is null or p.community_id not in (select c.id from communities c where c.access = 'Closed')) order by p.id`,
    )
    .execute(s.handle.ctx.store.db);
  world = rows.rows.map((r) => ({ id: String(r.id), authorId: String(r.author_id), lang: r.lang }));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await s?.close();
});

describe('sample streams', () => {
  it('/2/tweets/sample/stream: the deterministic 1 % (sampleBucket < 1); sample10 by bucket < 10 and partition', async () => {
    const in1 = world.find((p) => sampleBucket(p.id) < 1)!;
    const in10 = world.filter((p) => sampleBucket(p.id) >= 1 && sampleBucket(p.id) < 10);
    const p1 = in10.find((p) => postsByPartition(p.id, 2) === 1)!;
    const p2 = in10.find((p) => postsByPartition(p.id, 2) === 2)!;
    const out = world.find((p) => sampleBucket(p.id) >= 10)!;
    const [sample, s10a, s10b] = await openAll([
      ['/2/tweets/sample/stream', { 'tweet.fields': 'author_id' }],
      ['/2/tweets/sample10/stream', { partition: 1 }],
      ['/2/tweets/sample10/stream', { partition: 2 }],
    ]);
    for (const p of [out, p1, p2, in1]) publishPost(p);
    await sample!.messageCount(1);
    expect(sample!.messages).toEqual([{ data: expect.objectContaining({ id: in1.id, author_id: in1.authorId }) }]);
    const in1Part = postsByPartition(in1.id, 2);
    await s10a!.messageCount(in1Part === 1 ? 2 : 1);
    await s10b!.messageCount(in1Part === 2 ? 2 : 1);
    expect(s10a!.messages.map((m) => m.data.id)).toEqual(in1Part === 1 ? [p1.id, in1.id] : [p1.id]);
    expect(s10b!.messages.map((m) => m.data.id)).toEqual(in1Part === 2 ? [p2.id, in1.id] : [p2.id]);
    await closeAll([sample!, s10a!, s10b!]);
  });

  it('partition is required on partitioned streams (400)', async () => {
    const r = await s.get('/2/tweets/sample10/stream');
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toBe('The `partition` query parameter can not be empty');
    const big = await s.get('/2/tweets/firehose/stream', { query: { partition: 21 } });
    expect(big.status).toBe(400);
  });
});

describe('firehose streams', () => {
  it('/2/tweets/firehose/stream: every new post on exactly one partition (through the write path)', async () => {
    const id = await tweet('firehose check');
    const part = postsByPartition(id, 20);
    const other = part === 20 ? 1 : part + 1;
    // Connected after the post: backfill_minutes brings it, live posts follow.
    const [mine, notMine] = await openAll([
      ['/2/tweets/firehose/stream', { partition: part, backfill_minutes: 1 }],
      ['/2/tweets/firehose/stream', { partition: other, backfill_minutes: 1 }],
    ]);
    // The replay holds every buffered event of the last minute (earlier tests' posts too), each on its partition.
    await mine!.until(() => mine!.messages.some((m) => m.data.id === id));
    let next = '';
    for (let i = 0; i < 200 && postsByPartition(next || '0', 20) !== other; i++) next = await tweet('firehose other');
    expect(postsByPartition(next, 20)).toBe(other);
    await notMine!.until(() => notMine!.messages.some((m) => m.data.id === next));
    for (const m of mine!.messages) expect(postsByPartition(m.data.id, 20)).toBe(part);
    for (const m of notMine!.messages) expect(postsByPartition(m.data.id, 20)).toBe(other);
    expect(mine!.messages.some((m) => m.data.id === next)).toBe(false);
    await closeAll([mine!, notMine!]);
  });

  it('backfill does not send again an event that arrives between connect and replay (it goes out live, once)', async () => {
    // Earlier tests' events fall out of the one-minute window.
    s.clock.advance(2 * 60_000);
    const part = 3;
    const [a, b, c] = world.filter((p) => postsByPartition(p.id, 20) === part);
    expect(a && b && c).toBeTruthy();
    const [blocker] = await openAll([['/2/tweets/firehose/stream', { partition: 1 }]]);
    // Hold the hub's queue inside the delivery of `a`, so the backfill task waits behind it.
    const posts = s.handle.ctx.repos.posts;
    const byIds = posts.byIds.bind(posts);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    posts.byIds = async (ids) => {
      if (!held && ids.length === 1 && ids[0] === a!.id) {
        held = true;
        await gate;
      }
      return byIds(ids);
    };
    try {
      publishPost(a!);
      await until(() => held);
      const [target] = await openAll([['/2/tweets/firehose/stream', { partition: part, backfill_minutes: 1 }]]);
      publishPost(b!); // after the connection opened, before its replay ran
      release();
      await target!.until(() => target!.messages.some((m) => m.data.id === b!.id));
      publishPost(c!);
      await target!.until(() => target!.messages.some((m) => m.data.id === c!.id));
      expect(target!.messages.map((m) => m.data.id)).toEqual([a!.id, b!.id, c!.id]);
      await closeAll([blocker!, target!]);
    } finally {
      release();
      posts.byIds = byIds;
    }
  });

  it('/2/tweets/firehose/stream/lang/en and /ja carry only their language', async () => {
    const en = world.find((p) => p.lang === 'en' && postsByPartition(p.id, 8) === 1)!;
    const ja = world.find((p) => p.lang === 'ja' && postsByPartition(p.id, 2) === 1)!;
    expect(en && ja).toBeTruthy();
    const [cEn, cJa, cKo, cPt] = await openAll([
      ['/2/tweets/firehose/stream/lang/en', { partition: 1 }],
      ['/2/tweets/firehose/stream/lang/ja', { partition: 1 }],
      ['/2/tweets/firehose/stream/lang/ko', { partition: 1 }],
      ['/2/tweets/firehose/stream/lang/pt', { partition: 1 }],
    ]);
    const ko = world.find((p) => p.lang === 'ko' && postsByPartition(p.id, 2) === 1);
    const pt = world.find((p) => p.lang === 'pt' && postsByPartition(p.id, 2) === 1);
    for (const p of [ja, en, ...(ko ? [ko] : []), ...(pt ? [pt] : [])]) publishPost(p);
    await cEn!.messageCount(1);
    await cJa!.messageCount(1);
    expect(cEn!.messages.map((m) => m.data.id)).toEqual([en.id]);
    expect(cJa!.messages.map((m) => m.data.id)).toEqual([ja.id]);
    if (ko) expect((await cKo!.messageCount(1)).map((m) => m.data.id)).toEqual([ko.id]);
    if (pt) expect((await cPt!.messageCount(1)).map((m) => m.data.id)).toEqual([pt.id]);
    await closeAll([cEn!, cJa!, cKo!, cPt!]);
  });
});

describe('likes streams', () => {
  it('likes firehose (with expansions), likes sample10, likes compliance on unlike', async () => {
    const postId = await tweet('like me please');
    const part = postsByPartition(postId, 20);
    const [fire, compliance] = await openAll([
      ['/2/likes/firehose/stream', { partition: part, expansions: 'liked_tweet_id,liked_tweet_author_id', 'like_with_tweet_author.fields': 'timestamp_ms' }],
      ['/2/likes/compliance/stream'],
    ]);
    expect((await s.request('POST', `/2/users/${XDEV}/likes`, { token: s.userToken, body: { tweet_id: postId } })).status).toBe(200);
    await fire!.messageCount(1);
    expect(fire!.messages[0]).toEqual({
      data: {
        id: likeId(XDEV, postId),
        created_at: new Date(s.clock.now()).toISOString(),
        liked_tweet_id: postId,
        tweet_author_id: XDEV,
        timestamp_ms: s.clock.now(),
      },
      includes: { tweets: [expect.objectContaining({ id: postId })], users: [expect.objectContaining({ id: XDEV })] },
    });
    expect((await s.request('DELETE', `/2/users/${XDEV}/likes/${postId}`, { token: s.userToken })).status).toBe(200);
    await compliance!.messageCount(1);
    expect(compliance!.messages[0]).toEqual({
      data: { delete: { favorite: { id: postId, user_id: XDEV }, event_at: new Date(s.clock.now()).toISOString() } },
    });
    await closeAll([fire!, compliance!]);

    // likes sample10: only likes of posts in the 10 % bucket, by partition.
    const inBucket = world.find((p) => sampleBucket(p.id) < 10)!;
    const outBucket = world.find((p) => sampleBucket(p.id) >= 10)!;
    const [sample] = await openAll([['/2/likes/sample10/stream', { partition: postsByPartition(inBucket.id, 2) }]]);
    for (const p of [outBucket, inBucket]) s.handle.ctx.bus.publish({ type: 'like.created', userId: XDEV, postId: p.id, at: s.clock.now() });
    await sample!.messageCount(1);
    expect(sample!.messages.map((m) => m.data.liked_tweet_id)).toEqual([inBucket.id]);
    await closeAll([sample!]);
  });
});

describe('compliance and label streams', () => {
  it('tweets compliance: delete and tweet_edit events (through the write path)', async () => {
    const victim = await tweet('to be deleted');
    const editable = await tweet('to be edited');
    const conns = await openAll([1, 2, 3, 4].map((p): [string, Record<string, number>] => ['/2/tweets/compliance/stream', { partition: p }]));
    const byPart = new Map(conns.map((c, i) => [i + 1, c]));
    expect((await s.request('DELETE', `/2/tweets/${victim}`, { token: s.userToken })).status).toBe(200);
    const edit = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'edited text', edit_options: { previous_post_id: editable } } });
    expect(edit.status).toBe(201);
    const newId = edit.body.data.id as string;
    const at = new Date(s.clock.now()).toISOString();
    const del = byPart.get(postsByPartition(victim, 4))!;
    await del.until(() => del.messages.some((m) => m.data.delete));
    expect(del.messages.find((m) => m.data.delete)).toEqual({ data: { delete: { tweet: { id: victim, author_id: XDEV }, event_at: at } } });
    const ed = byPart.get(postsByPartition(newId, 4))!;
    await ed.until(() => ed.messages.some((m) => m.data.tweet_edit));
    expect(ed.messages.find((m) => m.data.tweet_edit)).toEqual({
      data: { tweet_edit: { tweet: { id: newId }, event_at: at, initial_tweet_id: editable, edit_tweet_ids: [editable, newId] } },
    });
    // Each event on one partition only.
    const total = conns.reduce((n, c) => n + c.messages.length, 0);
    expect(total).toBe(2);
    await closeAll(conns);
  });

  it('tweets compliance: un-reposting sends a delete for the repost', async () => {
    const source = world.find((p) => p.authorId !== XDEV)!;
    const conns = await openAll([1, 2, 3, 4].map((p): [string, Record<string, number>] => ['/2/tweets/compliance/stream', { partition: p }]));
    const rt = await s.request('POST', `/2/users/${XDEV}/retweets`, { token: s.userToken, body: { tweet_id: source.id } });
    expect(rt.status).toBe(200);
    const repostId = rt.body.data.id as string;
    expect(repostId).not.toBe(source.id);
    const un = await s.request('DELETE', `/2/users/${XDEV}/retweets/${source.id}`, { token: s.userToken });
    expect(un.status).toBe(200);
    const at = new Date(s.clock.now()).toISOString();
    const mine = conns[postsByPartition(repostId, 4) - 1]!;
    await mine.messageCount(1);
    expect(mine.messages).toEqual([{ data: { delete: { tweet: { id: repostId, author_id: XDEV }, event_at: at } } }]);
    for (const other of conns) if (other !== mine) expect(other.messages).toEqual([]);
    await closeAll(conns);
  });

  it('users compliance: protect, suspend, withheld, profile modification; label stream: notice and unviewable', async () => {
    const users = await openAll([1, 2, 3, 4].map((p): [string, Record<string, number>] => ['/2/users/compliance/stream', { partition: p }]));
    const [labels] = await openAll([['/2/tweets/label/stream']]);
    const bus = s.handle.ctx.bus;
    const at = s.clock.now();
    const iso = new Date(at).toISOString();
    bus.publish({ type: 'user.protected', userId: XDEV, at });
    bus.publish({ type: 'user.suspended', userId: XDEV, at });
    bus.publish({ type: 'user.withheld', userId: XDEV, countries: ['DE'], at });
    bus.publish({ type: 'user.profile.updated', userId: XDEV, field: 'description', value: 'new bio', at });
    bus.publish({ type: 'post.labeled', postId: world[0]!.id, authorId: world[0]!.authorId, label: 'notice', application: 'apply', eventType: 'misleading', labelTitle: 'Misleading', at });
    bus.publish({ type: 'post.labeled', postId: world[0]!.id, authorId: world[0]!.authorId, label: 'unviewable', application: 'remove', at });
    const mine = users[postsByPartition(XDEV, 4) - 1]!;
    await mine.messageCount(4);
    expect(mine.messages).toEqual([
      { data: { user_protect: { user: { id: XDEV }, event_at: iso } } },
      { data: { user_suspend: { user: { id: XDEV }, event_at: iso } } },
      { data: { user_withheld: { user: { id: XDEV }, withheld_in_countries: ['DE'], event_at: iso } } },
      { data: { user_profile_modification: { user: { id: XDEV }, profile_field: 'description', new_value: 'new bio', event_at: iso } } },
    ]);
    for (const other of users) if (other !== mine) expect(other.messages).toEqual([]);
    await labels!.messageCount(2);
    const tweet0 = { id: world[0]!.id, author_id: world[0]!.authorId };
    expect(labels!.messages).toEqual([
      { data: { public_tweet_notice: { tweet: tweet0, event_type: 'misleading', event_at: iso, application: 'apply', label_title: 'Misleading' } } },
      { data: { public_tweet_unviewable: { tweet: tweet0, event_at: iso, application: 'remove' } } },
    ]);
    await closeAll([...users, labels!]);
  });
});

describe('visibility', () => {
  it('posts and likes of protected or suspended authors, and of deleted posts, are not streamed', async () => {
    const pick = async (where: string) => {
      const r = await sql
        .raw<{ id: unknown; author_id: unknown }>(
          `select cast(p.id as text) as id, cast(p.author_id as text) as author_id from posts p join users u on u.id = p.author_id
           where p.deleted = 0 and coalesce(p.superseded, 0) = 0 and ${where} order by p.id limit 1`,
        )
        .execute(s.handle.ctx.store.db);
      expect(r.rows.length).toBe(1);
      return { id: String(r.rows[0]!.id), authorId: String(r.rows[0]!.author_id) };
    };
    const gone = await tweet('soon deleted');
    expect((await s.request('DELETE', `/2/tweets/${gone}`, { token: s.userToken })).status).toBe(200);
    const hidden = [await pick('u.protected = 1 and u.suspended = 0'), await pick('u.suspended = 1'), { id: gone, authorId: XDEV }];
    // One public post per partition involved, published last: once it arrives, the hidden ones before it were handled.
    const parts = [...new Set(hidden.map((p) => postsByPartition(p.id, 20)))];
    const markers = parts.map((part) => world.find((p) => postsByPartition(p.id, 20) === part)!);
    const conns = await openAll([
      ...parts.map((partition): [string, Record<string, number>] => ['/2/tweets/firehose/stream', { partition }]),
      ...parts.map((partition): [string, Record<string, number>] => ['/2/likes/firehose/stream', { partition }]),
    ]);
    const like = (p: { id: string }) => s.handle.ctx.bus.publish({ type: 'like.created', userId: XDEV, postId: p.id, at: s.clock.now() });
    for (const p of [...hidden, ...markers]) {
      publishPost(p);
      like(p);
    }
    for (const [i, c] of conns.entries()) {
      const marker = markers[i % parts.length]!;
      await c.messageCount(1);
      expect(c.messages.map((m) => m.data.liked_tweet_id ?? m.data.id)).toEqual([marker.id]);
    }
    await closeAll(conns);
  });
});

describe('Connections API', () => {
  it('lists by endpoint with pagination; kills by endpoint and by uuid', async () => {
    const [a, b, c] = await openAll([
      ['/2/tweets/sample/stream'],
      ['/2/tweets/compliance/stream', { partition: 1 }],
      ['/2/tweets/compliance/stream', { partition: 2 }],
    ]);
    const all = await s.get('/2/connections', { query: { max_results: 2 } });
    expect(all.status).toBe(200);
    expect(all.body.meta.result_count).toBe(2);
    const rest = await s.get('/2/connections', { query: { max_results: 2, pagination_token: all.body.meta.next_token } });
    expect(rest.body.meta.result_count).toBe(1);
    const ids = [...all.body.data, ...rest.body.data].map((d: any) => d.id);
    expect(new Set(ids).size).toBe(3);
    const compliance = await s.get('/2/connections', { query: { endpoints: 'tweets_compliance_stream' } });
    expect(compliance.body.data.map((d: any) => d.endpoint_name)).toEqual(['tweets_compliance_stream', 'tweets_compliance_stream']);

    const byEndpoint = await s.request('DELETE', '/2/connections/tweets_compliance_stream');
    expect(byEndpoint.status).toBe(200);
    expect(byEndpoint.body.data.successful_kills).toBe(2);
    await b!.until(() => b!.ended || b!.closed);
    await c!.until(() => c!.ended || c!.closed);
    const sampleId = (await s.get('/2/connections')).body.data[0].id;
    const byUuid = await s.request('DELETE', '/2/connections', { body: { uuids: [sampleId, 'not-a-connection'] } });
    expect(byUuid.body.data).toEqual({
      successful_kills: 1,
      failed_kills: 1,
      results: [
        { uuid: sampleId, success: true },
        { uuid: 'not-a-connection', success: false, error_message: 'No active connection with this id' },
      ],
    });
    await a!.until(() => a!.ended || a!.closed);
    expect(a!.messages.at(-1).errors[0].disconnect_type).toBe('ForceDisconnect');
    const none = await s.get('/2/connections');
    expect(none.body).toEqual({ meta: { result_count: 0 } });
    const bad = await s.request('DELETE', '/2/connections/not_a_stream');
    expect(bad.status).toBe(400);
  });
});
