/**
 * The visibility property (issue 15): in random worlds — accounts protected and suspended at random, posts
 * deleted, follows, blocks and mutes drawn at random — and for random viewers (app-only and users), no post an
 * oracle says the viewer may not see ever reaches them, through any endpoint, expansion, search or stream, and no
 * suspended account appears anywhere.
 *
 * The oracle is written here from the rules as X states them, independently of pipeline/rules.ts: a post is
 * visible when it is not deleted, its author is not suspended, and the viewer is its author, or neither blocks
 * the other and the author is public or followed by the viewer.
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { Rng } from './fuzz-cases.js';

interface World {
  users: Map<string, { protected: boolean; suspended: boolean }>;
  posts: Map<string, { author: string; deleted: boolean }>;
  follows: Set<string>;
  blocks: Set<string>;
}

const EXPANSIONS = 'author_id,referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id,entities.mentions.username,attachments.media_keys';

async function randomize(s: TestServer, rng: Rng): Promise<World> {
  const db = s.handle.ctx.store.db;
  const ids = (await db.selectFrom('users').select('id').execute()).map((r) => String(r.id));
  const postIds = (await db.selectFrom('posts').select('id').execute()).map((r) => String(r.id));
  const d = s.handle.ctx.store.dialect;
  for (const u of ids) {
    const r = rng.next();
    await db.updateTable('users').set({ protected: r < 0.2 ? 1 : 0, suspended: r > 0.94 ? 1 : 0 }).where('id', '=', d.idParam(u)).execute();
  }
  for (const p of rng.sample(postIds, Math.floor(postIds.length / 20))) await db.updateTable('posts').set({ deleted: 1 }).where('id', '=', d.idParam(p)).execute();
  const pairs = (n: number) => rng.sample(ids, n).map((a) => [a, rng.pick(ids)] as const).filter(([a, b]) => a !== b);
  for (const [a, b] of pairs(ids.length * 2)) {
    await sql`insert into follows (follower_id, followee_id, created_at) values (${d.idParam(a)}, ${d.idParam(b)}, 0) on conflict do nothing`.execute(db);
  }
  for (const [a, b] of pairs(ids.length)) {
    await sql`insert into blocks (blocker_id, blocked_id, created_at) values (${d.idParam(a)}, ${d.idParam(b)}, 0) on conflict do nothing`.execute(db);
  }
  for (const [a, b] of pairs(ids.length / 2)) {
    await sql`insert into mutes (muter_id, muted_id, created_at) values (${d.idParam(a)}, ${d.idParam(b)}, 0) on conflict do nothing`.execute(db);
  }
  const users = new Map((await db.selectFrom('users').select(['id', 'protected', 'suspended']).execute()).map((r) => [String(r.id), { protected: Number(r.protected) === 1, suspended: Number(r.suspended) === 1 }]));
  const posts = new Map((await db.selectFrom('posts').select(['id', 'author_id', 'deleted']).execute()).map((r) => [String(r.id), { author: String(r.author_id), deleted: Number(r.deleted) === 1 }]));
  const follows = new Set((await db.selectFrom('follows').select(['follower_id', 'followee_id']).execute()).map((r) => `${r.follower_id}:${r.followee_id}`));
  const blocks = new Set((await db.selectFrom('blocks').select(['blocker_id', 'blocked_id']).execute()).map((r) => `${r.blocker_id}:${r.blocked_id}`));
  return { users, posts, follows, blocks };
}

/** The oracle. */
function maySee(w: World, viewer: string | null, postId: string): boolean {
  const p = w.posts.get(postId);
  const a = p && w.users.get(p.author);
  if (!p || p.deleted || !a || a.suspended) return false;
  if (viewer === p.author) return true;
  if (viewer && (w.blocks.has(`${viewer}:${p.author}`) || w.blocks.has(`${p.author}:${viewer}`))) return false;
  return !a.protected || (!!viewer && w.follows.has(`${viewer}:${p.author}`));
}

interface Seen {
  posts: string[];
  users: string[];
}

/** Every post and user object a response carries, in data (when the endpoint answers posts or users) and includes. */
function collect(body: any, dataKind: 'posts' | 'users' | 'none'): Seen {
  const out: Seen = { posts: [], users: [] };
  const data = body?.data === undefined ? [] : Array.isArray(body.data) ? body.data : [body.data];
  if (dataKind === 'posts') out.posts.push(...data.map((d: any) => d.id));
  if (dataKind === 'users') out.users.push(...data.map((d: any) => d.id));
  for (const t of [...(body?.includes?.tweets ?? []), ...(body?.includes?.posts ?? [])]) out.posts.push(t.id);
  for (const u of body?.includes?.users ?? []) out.users.push(u.id);
  return out;
}

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('visibility property', () => {
  for (const seed of [11, 12, 13]) {
    it(`no endpoint, expansion, search or stream shows a viewer what it may not see (world ${seed})`, async () => {
      const s = await startTestServer({ seed, users: 70, posts: 700, config: { cacheMs: 0 }, limits: { '*': { app: 1e7, user: 1e7 } } });
      servers.push(s);
      const rng = new Rng(seed * 7919);
      const w = await randomize(s, rng);
      const userIds = [...w.users.keys()];
      const postIds = [...w.posts.keys()];
      const active = userIds.filter((u) => !w.users.get(u)!.suspended);
      const viewers: (string | null)[] = [null, ...rng.sample(active, 4)];
      const failures: string[] = [];
      let checked = 0;

      const check = (viewer: string | null, what: string, body: any, kind: 'posts' | 'users' | 'none') => {
        const seen = collect(body, kind);
        for (const p of seen.posts) {
          checked++;
          if (!maySee(w, viewer, p)) failures.push(`viewer ${viewer ?? 'app'} got post ${p} via ${what}`);
        }
        for (const u of seen.users) {
          checked++;
          if (w.users.get(u)?.suspended) failures.push(`viewer ${viewer ?? 'app'} got suspended user ${u} via ${what}`);
        }
      };

      for (const viewer of viewers) {
        const token = viewer ? await s.userTokenFor(viewer) : s.bearer;
        const get = async (path: string, query: Record<string, string> = {}) => (await s.get(path, { token, query: { ...query }, raw: true })).body;
        const q = { expansions: EXPANSIONS, 'tweet.fields': 'author_id,referenced_tweets' };
        for (let i = 0; i < postIds.length; i += 100) check(viewer, 'GET /2/tweets', await get('/2/tweets', { ids: postIds.slice(i, i + 100).join(','), ...q }), 'posts');
        for (const p of rng.sample(postIds, 15)) {
          check(viewer, `GET /2/tweets/${p}`, await get(`/2/tweets/${p}`, q), 'posts');
          check(viewer, `quote_tweets of ${p}`, await get(`/2/tweets/${p}/quote_tweets`, q), 'posts');
          check(viewer, `retweets of ${p}`, await get(`/2/tweets/${p}/retweets`, q), 'posts');
          check(viewer, `liking_users of ${p}`, await get(`/2/tweets/${p}/liking_users`, { expansions: 'pinned_tweet_id' }), 'users');
        }
        for (const u of rng.sample(userIds, 12)) {
          check(viewer, `tweets of ${u}`, await get(`/2/users/${u}/tweets`, { ...q, max_results: '100' }), 'posts');
          check(viewer, `mentions of ${u}`, await get(`/2/users/${u}/mentions`, { ...q, max_results: '100' }), 'posts');
          check(viewer, `liked_tweets of ${u}`, await get(`/2/users/${u}/liked_tweets`, { ...q, max_results: '100' }), 'posts');
          check(viewer, `followers of ${u}`, await get(`/2/users/${u}/followers`, { expansions: 'pinned_tweet_id', max_results: '100' }), 'users');
        }
        for (let i = 0; i < userIds.length; i += 100) check(viewer, 'GET /2/users', await get('/2/users', { ids: userIds.slice(i, i + 100).join(','), expansions: 'pinned_tweet_id,most_recent_tweet_id' }), 'users');
        if (viewer) {
          check(viewer, 'home timeline', await get(`/2/users/${viewer}/timelines/reverse_chronological`, { ...q, max_results: '100' }), 'posts');
          check(viewer, 'bookmarks', await get(`/2/users/${viewer}/bookmarks`, q), 'posts');
        }
        for (const word of ['the', 'api', 'developers', 'roost']) {
          check(viewer, `search recent ${word}`, await get('/2/tweets/search/recent', { query: word, max_results: '100', ...q }), 'posts');
          if (!viewer) check(viewer, `search all ${word}`, await get('/2/tweets/search/all', { query: word, max_results: '100', ...q }), 'posts');
        }
      }

      // Streams: the filtered stream (app-only) carries only public posts of live accounts, whoever writes them.
      await s.request('POST', '/2/tweets/search/stream/rules', { token: s.bearer, body: { add: [{ value: 'vizprop' }] } });
      const ac = new AbortController();
      const res = await fetch(`${s.url}/2/tweets/search/stream?expansions=${EXPANSIONS}`, { headers: { authorization: `Bearer ${s.bearer}` }, signal: ac.signal });
      const reader = res.body!.getReader();
      let text = '';
      const reading = (async () => {
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) return;
          text += new TextDecoder().decode(value);
        }
      })();
      const authors = rng.sample(active, 12);
      const expected: string[] = [];
      for (const [i, a] of authors.entries()) {
        const r = await s.request('POST', '/2/tweets', { token: await s.userTokenFor(a), body: { text: `vizprop ${seed} ${i}` }, raw: true });
        if (r.status === 201 && !w.users.get(a)!.protected) expected.push(r.body.data.id);
        if (r.status === 201) w.posts.set(r.body.data.id, { author: a, deleted: false });
      }
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !expected.every((id) => text.includes(`"id":"${id}"`))) await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      await reading;
      for (const line of text.split('\r\n')) {
        if (!line.startsWith('{')) continue;
        check(null, 'filtered stream', JSON.parse(line), 'posts');
      }
      for (const id of expected) expect(text, `public post ${id} delivered`).toContain(`"id":"${id}"`);

      expect(checked).toBeGreaterThan(2000);
      expect(failures.slice(0, 20), failures.slice(0, 20).join('\n')).toEqual([]);
    }, 240_000);
  }
});
