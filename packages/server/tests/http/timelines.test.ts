import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestServer, TEST_NOW, type TestServer } from '@roost/dev-env';
import { one, walkPages } from './find.js';
import { SNOWFLAKE_EPOCH_MS, snowflakeTime } from '../../src/util/snowflake.js';

const ME = '2244994945';
const WEEK_AGO_ID = BigInt(TEST_NOW - 7 * 86_400_000 - SNOWFLAKE_EPOCH_MS) << 22n;
/** Posts `p` anyone may read for their Community: none, or a Public one (a Closed Community's are for members). */
const OPEN_TO_ALL = `(p.community_id is null or p.community_id in (select id from communities where access = 'Public'))`;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

const db = () => s.handle.ctx.store.db;
const rows = async <T = any>(q: string): Promise<T[]> => (await sql.raw<T>(q).execute(db())).rows;
const ids = (r: { body: any }): string[] => (r.body.data ?? []).map((d: any) => d.id);
const byIdDesc = (a: string, b: string) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0);
const iso = (id: string) => new Date(snowflakeTime(id)).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Temporarily adds rows to a relation table; `undo` removes exactly those rows. */
async function relate(table: 'blocks' | 'mutes' | 'follows', a: string, b: string): Promise<() => Promise<void>> {
  const [ca, cb] = table === 'blocks' ? ['blocker_id', 'blocked_id'] : table === 'mutes' ? ['muter_id', 'muted_id'] : ['follower_id', 'followee_id'];
  await rows(`insert into ${table} (${ca}, ${cb}, created_at) values (${a}, ${b}, ${TEST_NOW - 1000})`);
  return async () => void (await rows(`delete from ${table} where ${ca} = ${a} and ${cb} = ${b}`));
}

/** Walks every page (max_results per page) and returns all ids plus the responses. */
const walk = (path: string, token: string | undefined, query: Record<string, string | number>) => walkPages(s, path, query, { token, maxPages: 200 });

// ---------------------------------------------------------------------------------------------------------------

describe('GET /2/users/:id/mentions', () => {
  let subject: string;
  /** Live mentions of the subject, newest first, as the query pages them. */
  let raw: string[];
  /** Those by authors an app-only viewer may see: pages keep raw positions and drop the others (short pages). */
  let visible: Set<string>;
  const shown = (list: string[]) => list.filter((id) => visible.has(id));
  let expected: string[];

  beforeAll(async () => {
    const top = await one(
      s,
      `select m.user_id as id, count(*) as n from mentions m join users u on u.id = m.user_id
       where u.protected = 0 and u.suspended = 0 group by m.user_id order by n desc, m.user_id limit 1`,
    );
    subject = String(top.id);
    const all = await rows(
      `select cast(p.id as text) as id, a.protected + a.suspended as hidden from mentions m join posts p on p.id = m.post_id
       join users a on a.id = p.author_id where m.user_id = ${subject} and p.deleted = 0`,
    );
    raw = all.map((r) => String(r.id)).sort(byIdDesc);
    visible = new Set(all.filter((r) => Number(r.hidden) === 0).map((r) => String(r.id)));
    expected = shown(raw);
    expect(expected.length).toBeGreaterThan(12);
  });

  it('lists posts mentioning the user, newest first, with meta', async () => {
    const r = await s.get(`/2/users/${subject}/mentions`, { query: { max_results: 5, 'tweet.fields': 'author_id,entities', expansions: 'author_id' } });
    expect(r.status).toBe(200);
    const page = shown(raw.slice(0, 5));
    expect(ids(r)).toEqual(page);
    for (const p of r.body.data) expect(p.entities.mentions.some((m: any) => m.id === subject)).toBe(true);
    expect(r.body.meta).toMatchObject({ result_count: page.length, newest_id: page[0], oldest_id: page[page.length - 1] });
    expect(r.body.meta.next_token).toEqual(expect.any(String));
    expect(r.body.meta.previous_token).toBeUndefined();
    expect(r.body.includes.users.length).toBeGreaterThan(0);
  });

  it('walks every page with next_token, and previous_token returns to the page before', async () => {
    const { all, pages } = await walk(`/2/users/${subject}/mentions`, undefined, { max_results: 5 });
    expect(all).toEqual(shown(raw.slice(0, 800)));
    const second = pages[1];
    const back = await s.get(`/2/users/${subject}/mentions`, { query: { max_results: 5, pagination_token: second.meta.previous_token } });
    expect(ids(back)).toEqual(shown(raw.slice(0, 5)));
    expect(back.body.meta.next_token).toEqual(expect.any(String));
    expect(pages[pages.length - 1].meta.next_token).toBeUndefined();
  });

  it('since_id and until_id are exclusive id bounds', async () => {
    const [hi, lo] = [raw[1]!, raw[8]!];
    const r = await s.get(`/2/users/${subject}/mentions`, { query: { max_results: 100, since_id: lo, until_id: hi } });
    expect(ids(r)).toEqual(shown(raw.slice(2, 8)));
  });

  it('start_time is inclusive and end_time exclusive (second granularity)', async () => {
    const [hi, lo] = [expected[1]!, expected[8]!];
    const r = await s.get(`/2/users/${subject}/mentions`, { query: { max_results: 100, start_time: iso(lo), end_time: iso(hi) } });
    const loS = Date.parse(iso(lo));
    const hiS = Date.parse(iso(hi));
    const t = snowflakeTime;
    expect(ids(r)).toEqual(expected.filter((id) => t(id) >= loS && t(id) < hiS));
    expect(ids(r)).toContain(lo);
  });

  it('since_id/until_id take precedence over start_time/end_time', async () => {
    const r = await s.get(`/2/users/${subject}/mentions`, {
      query: { max_results: 100, since_id: raw[4]!, until_id: raw[0]!, start_time: '2010-11-06T00:00:00Z', end_time: '2010-11-07T00:00:00Z' },
    });
    expect(ids(r)).toEqual(shown(raw.slice(1, 4)));
  });

  it('max_results is bounded 5..100', async () => {
    for (const n of [4, 101]) {
      const r = await s.get(`/2/users/${subject}/mentions`, { query: { max_results: n } });
      expect(r.status).toBe(400);
    }
  });

  it('a protected subject needs an approved follow, like the posts timeline', async () => {
    const p = await one(s, 'select id from users where protected = 1 and suspended = 0 order by id limit 1');
    const r = await s.get(`/2/users/${String(p.id)}/mentions`);
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors[0]).toMatchObject({ title: 'Authorization Error', resource_type: 'user', parameter: 'id' });
  });

  it('serves only the 800 most recent mentions', async () => {
    const u = String((await one(s, `select id from users where protected = 0 and suspended = 0 and id <> ${ME} and id not in (select user_id from mentions) order by id limit 1`)).id);
    const posts = (
      await rows(
        `select cast(p.id as text) as id from posts p join users a on a.id = p.author_id
         where p.deleted = 0 and a.protected = 0 and a.suspended = 0 and ${OPEN_TO_ALL} order by p.id desc limit 850`,
      )
    ).map((r) => String(r.id));
    await rows(`insert into mentions (user_id, post_id) values ${posts.map((p) => `(${u}, ${p})`).join(',')}`);
    try {
      const { all } = await walk(`/2/users/${u}/mentions`, undefined, { max_results: 100 });
      expect(all).toEqual(posts.slice(0, 800));
      const beyond = await s.get(`/2/users/${u}/mentions`, { query: { until_id: posts[805]! } });
      expect(beyond.status).toBe(200);
      expect(beyond.body).toEqual({ meta: { result_count: 0 } });
    } finally {
      await rows(`delete from mentions where user_id = ${u}`);
    }
  });

  it('drops mentions written by accounts the viewer blocks or is blocked by', async () => {
    const first = await s.get(`/2/users/${subject}/mentions`, { token: s.userToken, query: { max_results: 5, 'tweet.fields': 'author_id' } });
    const author = (first.body.data as any[]).map((p) => p.author_id as string).find((a) => a !== ME)!;
    const undo = await relate('blocks', author, ME);
    try {
      const r = await s.get(`/2/users/${subject}/mentions`, { token: s.userToken, query: { max_results: 100, 'tweet.fields': 'author_id' } });
      expect(r.body.data.some((p: any) => p.author_id === author)).toBe(false);
    } finally {
      await undo();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('GET /2/users/:id/timelines/reverse_chronological', () => {
  const home = `/2/users/${ME}/timelines/reverse_chronological`;

  /**
   * The home timeline as SQL sees it (no mutes/blocks for @XDevelopers in the seeded world); Closed Communities'
   * posts only where @XDevelopers is a member (or their author).
   */
  async function expectedHome(opts: { replies?: boolean; retweets?: boolean } = {}): Promise<string[]> {
    const filters = [opts.replies === false ? 'and p.in_reply_to_post_id is null' : '', opts.retweets === false ? 'and p.reposted_post_id is null' : ''].join(' ');
    return (
      await rows(
        `select cast(p.id as text) as id from posts p join users a on a.id = p.author_id
         where a.suspended = 0 and (p.author_id = ${ME} or p.author_id in (select followee_id from follows where follower_id = ${ME}))
           and p.author_id not in (select muted_id from mutes where muter_id = ${ME})
           and p.author_id not in (select blocked_id from blocks where blocker_id = ${ME})
           and p.author_id not in (select blocker_id from blocks where blocked_id = ${ME})
           and p.deleted = 0 and p.id >= ${WEEK_AGO_ID} ${filters}
           and (p.author_id = ${ME} or ${OPEN_TO_ALL} or p.community_id in (select community_id from community_members where user_id = ${ME}))`,
      )
    )
      .map((r) => String(r.id))
      .sort(byIdDesc)
      .slice(0, 3200);
  }

  it('shows own posts and followed accounts, newest first, within 7 days', async () => {
    const expected = await expectedHome();
    expect(expected.length).toBeGreaterThan(30);
    const r = await s.get(home, { token: s.userToken, query: { max_results: 20, 'tweet.fields': 'author_id,created_at' } });
    expect(r.status).toBe(200);
    expect(ids(r)).toEqual(expected.slice(0, 20));
    expect(r.body.meta).toMatchObject({ result_count: 20, newest_id: expected[0], oldest_id: expected[19] });
    const { all } = await walk(home, s.userToken, { max_results: 100 });
    expect(all).toEqual(expected);
    for (const id of all) expect(BigInt(id) >= WEEK_AGO_ID).toBe(true);
  });

  it('defaults to 100 results and accepts 1..100', async () => {
    const r = await s.get(home, { token: s.userToken });
    expect(r.body.meta.result_count).toBe(Math.min(100, (await expectedHome()).length));
    const one1 = await s.get(home, { token: s.userToken, query: { max_results: 1 } });
    expect(one1.body.data).toHaveLength(1);
    for (const n of [0, 101]) expect((await s.get(home, { token: s.userToken, query: { max_results: n } })).status).toBe(400);
  });

  it('previous_token walks back to newer pages', async () => {
    const expected = await expectedHome();
    const p1 = await s.get(home, { token: s.userToken, query: { max_results: 7 } });
    const p2 = await s.get(home, { token: s.userToken, query: { max_results: 7, pagination_token: p1.body.meta.next_token } });
    expect(ids(p2)).toEqual(expected.slice(7, 14));
    expect(p1.body.meta.previous_token).toBeUndefined();
    const back = await s.get(home, { token: s.userToken, query: { max_results: 7, pagination_token: p2.body.meta.previous_token } });
    expect(ids(back)).toEqual(expected.slice(0, 7));
  });

  it('rejects a malformed or foreign pagination token', async () => {
    const r = await s.get(home, { token: s.userToken, query: { pagination_token: 'zzzz' } });
    expect(r.status).toBe(400);
    const m = await s.get(`/2/users/${ME}/mentions`, { query: { max_results: 5 } });
    if (m.body.meta?.next_token) {
      const cross = await s.get(home, { token: s.userToken, query: { pagination_token: m.body.meta.next_token } });
      expect(cross.status).toBe(400);
    }
  });

  it('exclude=replies,retweets', async () => {
    for (const [exclude, opts] of [
      ['replies', { replies: false }],
      ['retweets', { retweets: false }],
      ['replies,retweets', { replies: false, retweets: false }],
    ] as const) {
      const expected = await expectedHome(opts);
      const r = await s.get(home, { token: s.userToken, query: { max_results: 50, exclude, 'tweet.fields': 'referenced_tweets' } });
      expect(ids(r), exclude).toEqual(expected.slice(0, 50));
      for (const p of r.body.data) {
        const kinds = (p.referenced_tweets ?? []).map((x: any) => x.type);
        if (exclude.includes('replies')) expect(kinds).not.toContain('replied_to');
        if (exclude.includes('retweets')) expect(kinds).not.toContain('retweeted');
      }
    }
  });

  it('since_id/until_id and start_time/end_time windows', async () => {
    const expected = await expectedHome();
    const byId = await s.get(home, { token: s.userToken, query: { since_id: expected[20]!, until_id: expected[3]! } });
    expect(ids(byId)).toEqual(expected.slice(4, 20));
    const t = snowflakeTime;
    const start = iso(expected[25]!);
    const end = iso(expected[5]!);
    const byTime = await s.get(home, { token: s.userToken, query: { start_time: start, end_time: end } });
    expect(ids(byTime)).toEqual(expected.filter((id) => t(id) >= Date.parse(start) && t(id) < Date.parse(end)));
    const both = await s.get(home, { token: s.userToken, query: { since_id: expected[10]!, start_time: '2026-10-31T23:59:59Z' } });
    expect(ids(both)).toEqual(expected.slice(0, 10));
    const bad = await s.get(home, { token: s.userToken, query: { start_time: end, end_time: start } });
    expect(bad.status).toBe(400);
  });

  it('nothing older than 7 days, even when asked', async () => {
    const r = await s.get(home, { token: s.userToken, query: { end_time: new Date(TEST_NOW - 8 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z') } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ meta: { result_count: 0 } });
  });

  it('muted accounts drop out of home', async () => {
    const top = await s.get(home, { token: s.userToken, query: { max_results: 100, 'tweet.fields': 'author_id' } });
    const other = top.body.data.map((p: any) => p.author_id).find((a: string) => a !== ME)!;
    const undo = await relate('mutes', ME, other);
    try {
      const r = await s.get(home, { token: s.userToken, query: { max_results: 100, 'tweet.fields': 'author_id' } });
      expect(r.body.data.some((p: any) => p.author_id === other)).toBe(false);
      expect(ids(r)).toEqual((await expectedHome()).slice(0, 100));
      // Muting hides from home only: the account's posts still open by id.
      const post = top.body.data.find((p: any) => p.author_id === other).id;
      expect((await s.get(`/2/tweets/${post}`, { token: s.userToken })).body.data.id).toBe(post);
    } finally {
      await undo();
    }
  });

  it('blocks either way hide the account from home, lookups, timelines and expansions', async () => {
    const top = await s.get(home, { token: s.userToken, query: { max_results: 100, 'tweet.fields': 'author_id' } });
    const authors: string[] = [...new Set<string>(top.body.data.map((p: any) => p.author_id as string))].filter((a) => a !== ME);
    for (const [blocker, blocked] of [
      [ME, authors[0]!],
      [authors[0]!, ME],
    ]) {
      const other = blocker === ME ? blocked : blocker;
      const post = top.body.data.find((p: any) => p.author_id === other).id as string;
      const undo = await relate('blocks', blocker, blocked);
      try {
        const r = await s.get(home, { token: s.userToken, query: { max_results: 100, 'tweet.fields': 'author_id' } });
        expect(r.body.data.some((p: any) => p.author_id === other)).toBe(false);

        const lookup = await s.get(`/2/tweets/${post}`, { token: s.userToken });
        expect(lookup.body.data).toBeUndefined();
        expect(lookup.body.errors[0]).toMatchObject({ title: 'Authorization Error', resource_type: 'tweet', resource_id: post });

        const batch = await s.get('/2/tweets', { token: s.userToken, query: { ids: post } });
        expect(batch.body.errors[0]).toMatchObject({ title: 'Authorization Error', parameter: 'ids' });

        const tl = await s.get(`/2/users/${other}/tweets`, { token: s.userToken });
        expect(tl.body.errors[0]).toMatchObject({ title: 'Authorization Error', resource_type: 'user' });

        const likers = await s.get(`/2/tweets/${post}/liking_users`, { token: s.userToken });
        expect(likers.body.errors[0]).toMatchObject({ title: 'Authorization Error', resource_type: 'tweet' });

        // An app-only viewer has no blocks.
        expect((await s.get(`/2/tweets/${post}`)).body.data.id).toBe(post);
      } finally {
        await undo();
      }
      expect((await s.get(`/2/tweets/${post}`, { token: s.userToken })).body.data.id).toBe(post);
    }
  });

  it('a blocked author’s post referenced by a visible post is reported in errors, not includes', async () => {
    const ref = await one(
      s,
      `select cast(p.id as text) as id, cast(r.author_id as text) as ra from posts p join posts r on r.id = p.quoted_post_id
       join users a on a.id = p.author_id join users b on b.id = r.author_id
       where p.deleted = 0 and r.deleted = 0 and a.protected = 0 and b.protected = 0 and a.suspended = 0 and b.suspended = 0
         and p.author_id <> r.author_id and r.author_id <> ${ME} and p.author_id <> ${ME} order by p.id limit 1`,
    );
    const undo = await relate('blocks', ME, ref.ra);
    try {
      const r = await s.get(`/2/tweets/${ref.id}`, { token: s.userToken, query: { expansions: 'referenced_tweets.id' } });
      expect(r.body.data.id).toBe(ref.id);
      expect(r.body.includes?.tweets).toBeUndefined();
      expect(r.body.errors[0]).toMatchObject({ title: 'Authorization Error', section: 'includes', parameter: 'referenced_tweets.id' });
    } finally {
      await undo();
    }
  });

  it('protected accounts the user follows are visible; others are not', async () => {
    const prot = String(
      (
        await one(
          s,
          `select u.id from users u where u.protected = 1 and u.suspended = 0 and u.id not in (select followee_id from follows where follower_id = ${ME})
           order by (select count(*) from posts p where p.author_id = u.id and p.id >= ${WEEK_AGO_ID}) desc, u.id limit 1`,
        )
      ).id,
    );
    const theirs = (await rows(`select cast(id as text) as id from posts where author_id = ${prot} and deleted = 0 and id >= ${WEEK_AGO_ID} order by id desc`)).map((r) => String(r.id));
    const latest = (await rows(`select cast(id as text) as id from posts where author_id = ${prot} and deleted = 0 order by id desc limit 1`)).map((r) => String(r.id))[0]!;
    expect(theirs.length).toBeGreaterThan(0);
    const before = await walk(home, s.userToken, { max_results: 100, 'tweet.fields': 'author_id' });
    expect(before.all.some((id) => theirs.includes(id))).toBe(false);
    expect((await s.get(`/2/tweets/${latest}`, { token: s.userToken })).body.errors[0].title).toBe('Authorization Error');
    const undo = await relate('follows', ME, prot);
    try {
      const after = await walk(home, s.userToken, { max_results: 100 });
      for (const id of theirs) expect(after.all).toContain(id);
      expect((await s.get(`/2/tweets/${latest}`, { token: s.userToken })).body.data.id).toBe(latest);
    } finally {
      await undo();
    }
  });

  it('caps the walk at 3,200 entries', async () => {
    // The test world has a few hundred posts a week: write 3,300 more for @XDevelopers for the length of the test.
    const repos = s.handle.ctx.repos;
    const template = [...(await repos.posts.byIds([(await rows(`select cast(id as text) as id from posts where author_id = ${ME} and reposted_post_id is null and in_reply_to_post_id is null and quoted_post_id is null and poll_id is null and media_keys is null order by id desc limit 1`))[0].id])).values()][0]!;
    const base = BigInt(TEST_NOW - 3 * 86_400_000 - SNOWFLAKE_EPOCH_MS) << 22n;
    const extra = Array.from({ length: 3300 }, (_, i) => {
      const id = String(base + BigInt(i) * 4_194_304n * 10n + 777n);
      return { ...template, id, conversationId: id, editRootId: id, createdAt: snowflakeTime(id), text: `synthetic ${i}` };
    });
    await repos.posts.insertMany(extra);
    try {
      const { all } = await walk(home, s.userToken, { max_results: 100 });
      expect(all).toHaveLength(3200);
      expect(all).toEqual((await expectedHome()).slice(0, 3200));
      // Walking back from the end reaches the top again.
      const { pages } = await walk(home, s.userToken, { max_results: 100 });
      const back = await s.get(home, { token: s.userToken, query: { max_results: 100, pagination_token: pages[pages.length - 1].meta.previous_token } });
      expect(ids(back)).toEqual(all.slice(3000, 3100));
    } finally {
      await rows(`delete from posts where id in (${extra.map((p) => p.id).join(',')})`);
    }
  });

  it('403 for someone else’s home timeline', async () => {
    const other = String((await one(s, `select id from users where id <> ${ME} and suspended = 0 order by id limit 1`)).id);
    const r = await s.get(`/2/users/${other}/timelines/reverse_chronological`, { token: s.userToken });
    expect(r.status).toBe(403);
    const mine = await s.get(`/2/users/${other}/timelines/reverse_chronological`, { token: await s.userTokenFor(other) });
    expect(mine.status).toBe(200);
  });

  it('app-only bearer gets 403 Unsupported Authentication', async () => {
    const r = await s.get(home);
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ title: 'Unsupported Authentication', type: 'https://api.twitter.com/2/problems/unsupported-authentication', status: 403 });
  });
});
