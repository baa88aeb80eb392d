/**
 * Crash safety (issues 15, 17): a real Roost process under a mixed write load (posts, likes and unlikes, follows and
 * unfollows) from 64 concurrent clients — so writes are group-committed, many to a transaction — is killed with
 * SIGKILL, five rounds, on SQLite and on PostgreSQL. After each restart every acknowledged write is present,
 * nothing that was undone is back, and counters moved exactly as their rows did: through the API for the keys the
 * load works on, and in the database for every counter of every user and post (each counter minus the rows it
 * counts — posts, likes, follows, replies, reposts — is what it was before the load; new posts' counters equal
 * their rows).
 *
 * Each key (a post to like, a user to follow) belongs to one client, which works on it in sequence, so the last
 * acknowledged operation of a key says its state; a key whose operation was in flight at the kill may be in
 * either state, but its counter must still agree with its rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { postgresAvailable, startPostgres, type PostgresServer } from '@roost/dev-env';
import { crashEnv, run, serve } from './roost-process.js';
import { openStore } from '../../src/db/connect.js';

const XDEV = '2244994945';
const BEARER = 'AAAAAAAAAAAAAAAAAAAAAcrashtestbearer0000000000000000000000000000000';
const USER_TOKEN = 'crash-test-user-token-0000000000000000000000000';
const ROUNDS = Number(process.env.ROOST_CRASH_ROUNDS ?? 5);
const MIN_ACKED_PER_ROUND = 15;
const CLIENTS = 64;

const pg = postgresAvailable();
if (!pg && process.env.CI) throw new Error('PostgreSQL server binaries are required in CI (apt-get install postgresql)');

const env = (db: string, dir: string): NodeJS.ProcessEnv => crashEnv({ dir, db, bearer: BEARER, userToken: USER_TOKEN });

interface Acked {
  posts: Set<string>;
  /** Per key, the state its last acknowledged operation left, or 'unknown' when one was in flight at the kill. */
  likes: Map<string, boolean | 'unknown'>;
  follows: Map<string, boolean | 'unknown'>;
  /** Acknowledgements received so far (every kind). */
  count: number;
}

async function api(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${USER_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

/** The write load: every client loops over its own keys until the process dies. */
async function load(url: string, round: number, postKeys: string[], userKeys: string[], acked: Acked): Promise<void> {
  let alive = true;
  const client = async (k: number) => {
    const myPosts = postKeys.filter((_, i) => i % CLIENTS === k);
    const myUsers = userKeys.filter((_, i) => i % CLIENTS === k);
    for (let i = 0; alive; i++) {
      // Every turn sends a request (a client without keys of a kind posts instead), so no turn spins.
      let which = i % 3;
      if ((which === 1 && !myPosts.length) || (which === 2 && !myUsers.length)) which = 0;
      try {
        if (which === 0) {
          const r = await api(url, 'POST', '/2/tweets', { text: `crash round ${round} client ${k} post ${i}` });
          if (r.status === 201) {
            acked.posts.add(r.json.data.id);
            acked.count++;
          }
        } else if (which === 1) {
          const post = myPosts[i % myPosts.length]!;
          const liked = acked.likes.get(post) === true;
          acked.likes.set(post, 'unknown');
          const r = liked ? await api(url, 'DELETE', `/2/users/${XDEV}/likes/${post}`) : await api(url, 'POST', `/2/users/${XDEV}/likes`, { tweet_id: post });
          if (r.status === 200 && r.json?.data) {
            acked.likes.set(post, r.json.data.liked === true);
            acked.count++;
          } else if (r.status === 200) acked.likes.set(post, liked);
        } else {
          const user = myUsers[i % myUsers.length]!;
          const following = acked.follows.get(user) === true;
          acked.follows.set(user, 'unknown');
          const r = following ? await api(url, 'DELETE', `/2/users/${XDEV}/following/${user}`) : await api(url, 'POST', `/2/users/${XDEV}/following`, { target_user_id: user });
          if (r.status === 200 && r.json?.data) {
            acked.follows.set(user, r.json.data.following === true);
            acked.count++;
          } else if (r.status === 200) acked.follows.set(user, following);
        }
      } catch {
        alive = false; // the process is gone
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
}

/** What the load touches, read through the API of a fresh process (black box: rows and counters as served). */
async function snapshot(url: string, postKeys: string[], userKeys: string[]) {
  const get = async (path: string) => (await fetch(url + path, { headers: { authorization: `Bearer ${USER_TOKEN}` } })).json() as Promise<any>;
  const all = async (path: string) => {
    const ids = new Set<string>();
    let token: string | undefined;
    do {
      const page = await get(`${path}${path.includes('?') ? '&' : '?'}max_results=100${token ? `&pagination_token=${token}` : ''}`);
      for (const d of page.data ?? []) ids.add(d.id);
      token = page.meta?.next_token;
    } while (token);
    return ids;
  };
  const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / 100) }, (_, i) => xs.slice(i * 100, i * 100 + 100));
  {
    const likeCount = new Map<string, number>();
    for (const c of chunks(postKeys)) for (const p of (await get(`/2/tweets?ids=${c.join(',')}&tweet.fields=public_metrics`)).data ?? []) likeCount.set(p.id, p.public_metrics.like_count);
    const followers = new Map<string, number>();
    for (const c of chunks(userKeys)) for (const u of (await get(`/2/users?ids=${c.join(',')}&user.fields=public_metrics`)).data ?? []) followers.set(u.id, u.public_metrics.followers_count);
    const liked = await all(`/2/users/${XDEV}/liked_tweets`);
    const following = await all(`/2/users/${XDEV}/following`);
    const xdev = (await get(`/2/users/${XDEV}?user.fields=public_metrics`)).data.public_metrics;
    return {
      likeCount,
      liked: new Map(postKeys.map((p) => [p, liked.has(p)])),
      followers,
      following: new Map(userKeys.map((u) => [u, following.has(u)])),
      followingCount: xdev.following_count as number,
      async missing(ids: Iterable<string>) {
        const list = [...ids];
        const found = new Set<string>();
        for (const c of chunks(list)) for (const p of (await get(`/2/tweets?ids=${c.join(',')}`)).data ?? []) found.add(p.id);
        return list.filter((id) => !found.has(id));
      },
    };
  }
}

/**
 * Every counter minus the rows it counts, for every user and post, read straight from the database (a second
 * connection beside the running server): users' tweet_count (live first versions, reposts included),
 * followers_count, following_count and like_count; posts' like_count, retweet_count (live reposts) and reply_count
 * (live first-version replies). Only non-zero differences are kept, so a post made by the load must have none.
 */
async function counterDrift(db: string): Promise<Map<string, number>> {
  const store = await openStore(db, { migrate: false });
  try {
    const rows = async (text: string) => (await sql.raw<{ k: string; d: unknown }>(text).execute(store.db)).rows;
    const live = (alias: string) => `${alias}.deleted = 0 and ${alias}.id = ${alias}.edit_root_id`;
    const drift = new Map<string, number>();
    const users = `select cast(u.id as text) as id,
        u.tweet_count - (select count(*) from posts p where p.author_id = u.id and ${live('p')}) as t,
        u.followers_count - (select count(*) from follows f where f.followee_id = u.id) as fr,
        u.following_count - (select count(*) from follows f where f.follower_id = u.id) as fg,
        u.like_count - (select count(*) from likes l where l.user_id = u.id) as l
      from users u`;
    const posts = `select cast(p.id as text) as id,
        p.like_count - (select count(*) from likes l where l.post_id = p.id) as l,
        p.retweet_count - (select count(*) from posts r where r.reposted_post_id = p.id and r.deleted = 0) as rt,
        p.reply_count - (select count(*) from posts c where c.in_reply_to_post_id = p.id and ${live('c')}) as rp
      from posts p where ${live('p')} and p.reposted_post_id is null`;
    for (const [prefix, text] of [
      ['user', users],
      ['post', posts],
    ] as const) {
      for (const r of (await rows(text)) as Record<string, unknown>[]) {
        for (const [col, v] of Object.entries(r)) {
          if (col === 'id' || Number(v) === 0) continue;
          drift.set(`${prefix} ${String(r.id)} ${col}`, Number(v));
        }
      }
    }
    return drift;
  } finally {
    await store.close();
  }
}

async function crashRounds(db: string, dir: string): Promise<{ acked: number; lost: number }> {
  const e = env(db, dir);
  await run(['seed', '--users', '150', '--posts', '900', '--db', db], e);
  let srv = await serve(e);
  const get = async (path: string): Promise<any> => (await fetch(srv.url + path, { headers: { authorization: `Bearer ${BEARER}` } })).json();
  // Keys: public users @XDevelopers does not follow yet, and their posts it has not liked (counters only move up
  // from here, so a counter's change must equal its rows' change).
  const followers: any[] = (await get(`/2/users/${XDEV}/followers?max_results=100&user.fields=protected`)).data;
  const someUsers = followers.filter((u) => !u.protected).map((u) => String(u.id));
  const somePosts: string[] = [];
  for (const u of someUsers.slice(0, 30)) for (const p of (await get(`/2/users/${u}/tweets?max_results=5`)).data ?? []) somePosts.push(p.id);
  const before = await snapshot(srv.url, somePosts, someUsers);
  const driftBefore = await counterDrift(db);
  const postKeys = somePosts.filter((p) => !before.liked.get(p));
  const userKeys = someUsers.filter((u) => u !== XDEV && !before.following.get(u));
  expect(postKeys.length).toBeGreaterThan(40);
  expect(userKeys.length).toBeGreaterThan(20);

  const acked: Acked = { posts: new Set(), likes: new Map(), follows: new Map(), count: 0 };
  let ackedTotal = 0;
  let lost = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const running = load(srv.url, round, postKeys, userKeys, acked);
      // Enough acknowledged writes to check whatever the machine's load (bounded in time), then a different moment of
      // the load each round.
      const from = acked.count;
      const until = Date.now() + 60_000;
      while (acked.count - from < MIN_ACKED_PER_ROUND && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 200 + round * 300));
      srv.child.kill('SIGKILL');
      await running;
      await srv.exited;

      srv = await serve(e);
      const after = await snapshot(srv.url, postKeys, userKeys);
      const missing = await after.missing(acked.posts);
      lost += missing.length;
      expect(missing, `round ${round}: acknowledged posts lost`).toEqual([]);
      for (const [p, state] of acked.likes) {
        if (state !== 'unknown') expect(after.liked.get(p), `round ${round}: like of ${p}`).toBe(state);
        expect(after.likeCount.get(p)! - before.likeCount.get(p)!, `round ${round}: like_count of ${p}`).toBe(after.liked.get(p) ? 1 : 0);
      }
      for (const [u, state] of acked.follows) {
        if (state !== 'unknown') expect(after.following.get(u), `round ${round}: follow of ${u}`).toBe(state);
        expect(after.followers.get(u)! - before.followers.get(u)!, `round ${round}: followers_count of ${u}`).toBe(after.following.get(u) ? 1 : 0);
      }
      const followingRows = userKeys.filter((u) => after.following.get(u)).length;
      expect(after.followingCount - before.followingCount, `round ${round}: following_count`).toBe(followingRows);
      expect(Object.fromEntries(await counterDrift(db)), `round ${round}: every counter against its rows`).toEqual(Object.fromEntries(driftBefore));
      ackedTotal += acked.posts.size + [...acked.likes.values()].filter((v) => v !== 'unknown').length + [...acked.follows.values()].filter((v) => v !== 'unknown').length;
      // The next round starts from what the database holds.
      acked.posts.clear();
      for (const [p] of acked.likes) acked.likes.set(p, after.liked.get(p)!);
      for (const [u] of acked.follows) acked.follows.set(u, after.following.get(u)!);
    }
  } finally {
    srv.child.kill('SIGTERM');
    await srv.exited;
  }
  return { acked: ackedTotal, lost };
}

const dirs: string[] = [];
let pgServer: PostgresServer | undefined;
afterAll(async () => {
  await pgServer?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('kill -9 under a mixed write load', () => {
  it(`loses no acknowledged write on SQLite (${ROUNDS} rounds)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roost-crash-'));
    dirs.push(dir);
    const r = await crashRounds(join(dir, 'roost.db'), dir);
    console.log(`crash safety, SQLite: ${ROUNDS} kill -9 rounds, ${r.acked} acknowledged writes checked, ${r.lost} lost`);
    expect(r.acked).toBeGreaterThan(50);
  }, 240_000);

  it.skipIf(!pg)(`loses no acknowledged write on PostgreSQL (${ROUNDS} rounds)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roost-crash-pg-'));
    dirs.push(dir);
    pgServer = await startPostgres();
    const r = await crashRounds(pgServer.url, dir);
    console.log(`crash safety, PostgreSQL: ${ROUNDS} kill -9 rounds, ${r.acked} acknowledged writes checked, ${r.lost} lost`);
    expect(r.acked).toBeGreaterThan(50);
  }, 240_000);
});
