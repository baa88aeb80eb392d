import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_NOW, type TestServer } from '@roost/dev-env';
import { compileMatcher, type MatchDoc } from '../../src/query/matcher.js';
import { parseQuery } from '../../src/query/index.js';
import { loadMatchDocs } from '../../src/search/match-docs.js';
import type { PostRow } from '../../src/data/rows.js';
import { snowflakeTime } from '../../src/util/snowflake.js';
import { walkPages } from './find.js';

const DAY = 86_400_000;
const idTime = snowflakeTime;
const byIdDesc = (a: string, b: string) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const PREFIX = 'There were errors processing your request: ';

let s: TestServer;
/** Every stored post as the matcher sees it, with whether search may show it (live, current, public author, not members-only). */
let docs: { doc: MatchDoc; visible: boolean }[];

beforeAll(async () => {
  s = await startTestServer();
  const db = s.handle.ctx.store.db;
  const rows = await db.selectFrom('posts').select(['id', 'superseded']).execute();
  const superseded = new Set(rows.filter((r) => Number(r.superseded) === 1).map((r) => String(r.id)));
  const repos = s.handle.ctx.repos;
  const posts: PostRow[] = [];
  const ids = rows.map((r) => String(r.id));
  for (let i = 0; i < ids.length; i += 500) posts.push(...(await repos.posts.byIds(ids.slice(i, i + 500))).values());
  const loaded = await loadMatchDocs(repos, posts);
  // A Closed Community's posts are for its members: search, public content only, never shows them.
  const closed = new Set((await db.selectFrom('communities').select('id').where('access', '=', 'Closed').execute()).map((c) => String(c.id)));
  const inClosed = (p: PostRow) => !!p.extras?.community_id && closed.has(p.extras.community_id);
  docs = loaded.map((doc) => ({
    doc,
    visible: !doc.post.deleted && !superseded.has(doc.post.id) && !doc.author.protected && !doc.author.suspended && !inClosed(doc.post),
  }));
}, 120_000);
afterAll(async () => {
  await s?.close();
});

/** What the API must answer: visible matches in [start, end), newest first. */
function expected(query: string, start: number, end: number): string[] {
  const parsed = parseQuery(query, { product: 'all' });
  if (!parsed.ok) throw new Error(parsed.messages.join('; '));
  const m = compileMatcher(parsed.ast, { mode: 'search' });
  return docs
    .filter((d) => d.visible && idTime(d.doc.post.id) >= start && idTime(d.doc.post.id) < end && m(d.doc))
    .map((d) => d.doc.post.id)
    .sort(byIdDesc);
}

const walk = (path: string, query: Record<string, string | number>, opts: { token?: string; param?: string } = {}) =>
  walkPages(s, path, query, { token: opts.token, param: opts.param ?? 'next_token' });

/** A word frequent enough in the last week to need several pages. */
function frequentWord(): string {
  const counts = new Map<string, number>();
  for (const d of docs) {
    if (!d.visible || idTime(d.doc.post.id) < TEST_NOW - 7 * DAY || d.doc.post.repostedPostId) continue;
    for (const w of new Set(d.doc.post.text.toLowerCase().split(/[^a-z]+/))) if (w.length >= 5 && w !== 'https') counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n >= 21 && n <= 300).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

const RECENT_START = TEST_NOW - 7 * DAY;
const RECENT_END = TEST_NOW - 30_000;

describe('GET /2/tweets/search/recent', () => {
  it('pages through every matching post of the last 7 days, newest first, with search meta', async () => {
    const word = frequentWord();
    const want = expected(word, RECENT_START, RECENT_END);
    expect(want.length).toBeGreaterThan(20);
    const { all, pages } = await walk('/2/tweets/search/recent', { query: word, max_results: 10 });
    expect(all).toEqual(want);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const first = pages[0];
    expect(first.meta.newest_id).toBe(want[0]);
    expect(first.meta.oldest_id).toBe(want[9]);
    expect(first.meta.result_count).toBe(10);
    expect(first.meta.previous_token).toBeUndefined();
    expect(pages[pages.length - 1].meta.next_token).toBeUndefined();
    // pagination_token is accepted as well
    const viaPagination = await walk('/2/tweets/search/recent', { query: word, max_results: 10 }, { param: 'pagination_token' });
    expect(viaPagination.all).toEqual(want);
  });

  it('is case- and accent-insensitive and never returns retweets for keywords, while from: does', async () => {
    const word = frequentWord();
    const upper = await walk('/2/tweets/search/recent', { query: word.toUpperCase().replace('E', 'É'), max_results: 100 });
    expect(upper.all).toEqual(expected(word, RECENT_START, RECENT_END));
    // an author with retweets in the window
    const rt = docs.find((d) => d.visible && d.doc.post.repostedPostId && idTime(d.doc.post.id) > RECENT_START && idTime(d.doc.post.id) < RECENT_END)!;
    const q = `from:${rt.doc.author.username}`;
    const fromAll = await walk('/2/tweets/search/recent', { query: q, max_results: 100 });
    expect(fromAll.all).toContain(rt.doc.post.id);
    expect(fromAll.all).toEqual(expected(q, RECENT_START, RECENT_END));
    const withRt = await walk('/2/tweets/search/recent', { query: `${q} is:retweet`, max_results: 100 });
    expect(withRt.all.length).toBeGreaterThan(0);
    const texts = await walk('/2/tweets/search/recent', { query: `${word} is:retweet`, max_results: 100 });
    expect(texts.all).toEqual([]);
  });

  it('answers operators, grouping and negation as the matcher does', async () => {
    const word = frequentWord();
    for (const q of [`${word} has:links`, `(${word} OR has:media ${word}) -is:reply lang:en`, `${word} -${word}`, `${word} has:hashtags -has:mentions -is:quote`, `from:XDevelopers OR (has:links ${word})`, `"${word}" OR place_country:US`]) {
      const got = await walk('/2/tweets/search/recent', { query: q, max_results: 100 });
      expect(got.all, q).toEqual(expected(q, RECENT_START, RECENT_END));
    }
    // A top-level OR of index-driven branches is answered as merged per-branch pages: walk it in small pages.
    const q = `(${word} is:reply) OR (${word} -has:links -is:quote) OR (from:XDevelopers ${word})`;
    expect(s.handle.ctx.repos.search.plan(parseQuery(q, { product: 'recent' }).ok ? (parseQuery(q, { product: 'recent' }) as any).ast : null).union).toBeDefined();
    const want = expected(q, RECENT_START, RECENT_END);
    expect(want.length).toBeGreaterThan(10);
    const paged = await walk('/2/tweets/search/recent', { query: q, max_results: 10 });
    expect(paged.all).toEqual(want);
  });

  it('honours start_time, end_time, since_id and until_id', async () => {
    const word = frequentWord();
    const start = TEST_NOW - 3 * DAY;
    const end = TEST_NOW - 1 * DAY;
    const got = await walk('/2/tweets/search/recent', { query: word, max_results: 100, start_time: iso(start), end_time: iso(end) });
    const want = expected(word, start, end);
    expect(got.all).toEqual(want);
    expect(want.length).toBeGreaterThan(0);
    const all = expected(word, RECENT_START, RECENT_END);
    const since = all[Math.floor(all.length / 2)]!;
    const until = all[2]!;
    const windowed = await walk('/2/tweets/search/recent', { query: word, max_results: 100, since_id: since, until_id: until });
    expect(windowed.all).toEqual(all.filter((id) => BigInt(id) > BigInt(since) && BigInt(id) < BigInt(until)));
  });

  it('refuses windows X refuses, with its messages', async () => {
    const old = iso(TEST_NOW - 8 * DAY);
    let r = await s.get('/2/tweets/search/recent', { query: { query: 'cat', start_time: old } });
    expect(r.status).toBe(400);
    const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
    expect(r.body.errors[0]).toEqual({
      parameters: { start_time: [minute(TEST_NOW - 8 * DAY)] },
      message: `Invalid 'start_time':'${minute(TEST_NOW - 8 * DAY)}'. 'start_time' must be on or after ${minute(TEST_NOW - 7 * DAY)}`,
    });
    r = await s.get('/2/tweets/search/recent', { query: { query: 'cat', end_time: iso(TEST_NOW - 5000) } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toBe(`Invalid 'end_time':'${minute(TEST_NOW - 5000)}'. 'end_time' must be a minimum of 10 seconds prior to the request time.`);
    r = await s.get('/2/tweets/search/recent', { query: { query: 'cat', since_id: '1460323737035677698', start_time: iso(TEST_NOW - DAY) } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toBe("Invalid use of 'since_id' or 'until_id' in conjunction with 'start_time' or 'end_time'.");
    r = await s.get('/2/tweets/search/recent', { query: { query: 'cat', start_time: iso(TEST_NOW - DAY), end_time: iso(TEST_NOW - 2 * DAY) } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toContain("'start_time' must be before 'end_time'");
    r = await s.get('/2/tweets/search/recent', { query: { query: 'cat', max_results: 5 } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].parameters).toEqual({ max_results: ['5'] });
    r = await s.get('/2/tweets/search/recent', { query: { query: 'cat', next_token: 'nonsense-token' } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toEqual({ parameters: { next_token: ['nonsense-token'] }, message: 'The `next_token` query parameter value [nonsense-token] is not valid' });
  });

  it('treats ids beyond the 64-bit range as X does: invalid parameters, and query ids that match nothing', async () => {
    const huge = '9999999999999999999';
    for (const [path, q] of [
      ['/2/tweets/search/recent', { query: 'cat', since_id: huge }],
      ['/2/tweets/counts/recent', { query: 'cat', until_id: huge }],
      ['/2/users/2244994945/tweets', { since_id: huge }],
      [`/2/tweets/${huge}`, {}],
    ] as const) {
      const r = await s.get(path, { query: q });
      expect(r.status, path).toBe(400);
      expect(r.body.title).toBe('Invalid Request');
    }
    // …and in JSON bodies (one shared check in body validation)
    const post = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'hi', media: { media_ids: [huge] } } });
    expect(post.status).toBe(400);
    expect(post.body.title).toBe('Invalid Request');
    const word = frequentWord();
    for (const q of [`from:${huge} ${word}`, `conversation_id:${huge}`, `${word} -retweets_of:${huge}`, `to:${huge} OR ${word}`]) {
      const r = await walk('/2/tweets/search/recent', { query: q, max_results: 100 });
      expect(r.all, q).toEqual(expected(q, RECENT_START, RECENT_END));
    }
  });

  it('refuses bad queries with the query parameter and X messages', async () => {
    const cases: [string, string][] = [
      ['the', 'Rules must contain at least one positive, non-stopword clause (at position 1)'],
      ['cat (dog', "mismatched input '<EOF>' expecting ')' (at position 9)"],
      ['has:media', "Reference to invalid operator 'has:media'. Operator is not available in current product or product packaging. Please refer to complete available operator list at https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/build-a-query#list. (at position 1)"],
      ['bio:cat dog', "Reference to invalid operator 'bio'. Operator is not available in current product or product packaging. Please refer to complete available operator list at https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/build-a-query#list."],
    ];
    for (const [q, m] of cases) {
      const r = await s.get('/2/tweets/search/recent', { query: { query: q } });
      expect(r.status, q).toBe(400);
      expect(r.body.title).toBe('Invalid Request');
      expect(r.body.errors[0].parameters).toEqual({ query: [q] });
      const parsed = parseQuery(q, { product: 'recent' });
      expect(parsed.ok).toBe(false);
      expect(r.body.errors[0].message).toBe(PREFIX + (parsed as { messages: string[] }).messages.join(', '));
      if (q === 'the') expect(r.body.errors[0].message).toBe(PREFIX + m);
    }
    const long = Array.from({ length: 150 }, (_, i) => `w${i}`).join(' ');
    expect([...long].length).toBeGreaterThan(512);
    let r = await s.get('/2/tweets/search/recent', { query: { query: long } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toBe(`${PREFIX}Query is too long: ${long.length} characters (limit 512)`);
    // full-archive allows 1,024
    r = await s.get('/2/tweets/search/all', { query: { query: long } });
    expect(r.status).toBe(200);
    // the enterprise tier allows 4,096
    s.handle.ctx.config.tier = 'enterprise';
    try {
      r = await s.get('/2/tweets/search/recent', { query: { query: long } });
      expect(r.status).toBe(200);
    } finally {
      s.handle.ctx.config.tier = 'self_serve';
    }
  });

  it('sorts by relevancy (engagement, then newest) across pages without overlap', async () => {
    const word = frequentWord();
    const { all, pages } = await walk('/2/tweets/search/recent', { query: word, max_results: 10, sort_order: 'relevancy', 'tweet.fields': 'public_metrics' });
    expect([...all].sort(byIdDesc)).toEqual(expected(word, RECENT_START, RECENT_END));
    const score = (p: any) => p.public_metrics.like_count + 2 * p.public_metrics.retweet_count + p.public_metrics.reply_count + p.public_metrics.quote_count;
    const flat = pages.flatMap((p) => p.data ?? []);
    for (let i = 1; i < flat.length; i++) expect(score(flat[i - 1])).toBeGreaterThanOrEqual(score(flat[i]));
    expect(new Set(all).size).toBe(all.length);
  });

  it('renders fields and expansions, and works with a user token', async () => {
    const word = frequentWord();
    const r = await s.get('/2/tweets/search/recent', {
      token: s.userToken,
      query: { query: word, expansions: 'author_id', 'tweet.fields': 'created_at,author_id', 'user.fields': 'username' },
    });
    expect(r.status).toBe(200);
    for (const p of r.body.data) expect(r.body.includes.users.some((u: any) => u.id === p.author_id)).toBe(true);
    expect(r.body.data[0].created_at).toMatch(/Z$/);
  });

  it('finds a post as soon as it is written, and drops it once deleted', async () => {
    const text = `zyzzyva searchable ${Date.now()}`;
    const created = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text } });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    s.clock.advance(60_000);
    try {
      let r = await s.get('/2/tweets/search/recent', { query: { query: 'ZYZZYVA' } });
      expect(r.body.data.map((d: any) => d.id)).toEqual([id]);
      const del = await s.request('DELETE', `/2/tweets/${id}`, { token: s.userToken });
      expect(del.status).toBe(200);
      r = await s.get('/2/tweets/search/recent', { query: { query: 'zyzzyva' } });
      expect(r.body.data).toBeUndefined();
      expect(r.body.meta).toEqual({ result_count: 0 });
    } finally {
      s.clock.advance(-60_000);
    }
  });
});

describe('GET /2/tweets/search/all', () => {
  it('reaches beyond 7 days, defaults to the last 30 days, and is app-only', async () => {
    const word = frequentWord();
    const start = TEST_NOW - 20 * DAY;
    const got = await walk('/2/tweets/search/all', { query: word, max_results: 500, start_time: iso(start) });
    expect(got.all).toEqual(expected(word, start, RECENT_END));
    expect(got.all.some((id) => idTime(id) < RECENT_START)).toBe(true);
    const def = await walk('/2/tweets/search/all', { query: word, max_results: 500 });
    expect(def.all).toEqual(expected(word, TEST_NOW - 30 * DAY, RECENT_END));
    const early = await s.get('/2/tweets/search/all', { query: { query: word, start_time: '2006-01-01T00:00:00Z' } });
    expect(early.status).toBe(400);
    expect(early.body.errors[0].message).toBe("Invalid 'start_time':'2006-01-01T00:00Z'. 'start_time' must be on or after 2006-03-21T00:00Z");
    const user = await s.get('/2/tweets/search/all', { token: s.userToken, query: { query: word } });
    expect(user.status).toBe(403);
  });
});

describe('GET /2/tweets/counts/recent and /counts/all', () => {
  it('counts matches per hour (default) over the last 7 days, contiguous buckets summing to the total', async () => {
    const word = frequentWord();
    const r = await s.get('/2/tweets/counts/recent', { query: { query: word } });
    expect(r.status).toBe(200);
    const data = r.body.data as { start: string; end: string; tweet_count: number }[];
    expect(data[0]!.start).toBe(new Date(RECENT_START).toISOString());
    expect(data[data.length - 1]!.end).toBe(new Date(RECENT_END).toISOString());
    for (let i = 1; i < data.length; i++) expect(data[i]!.start).toBe(data[i - 1]!.end);
    for (const b of data.slice(1, -1)) expect(Date.parse(b.end) - Date.parse(b.start)).toBe(3_600_000);
    const total = data.reduce((a, b) => a + b.tweet_count, 0);
    expect(r.body.meta).toEqual({ total_tweet_count: total });
    expect(total).toBe(expected(word, RECENT_START, RECENT_END).length);
    // each bucket holds exactly the matches created in it
    const want = expected(word, RECENT_START, RECENT_END);
    for (const b of data) {
      const n = want.filter((id) => idTime(id) >= Date.parse(b.start) && idTime(id) < Date.parse(b.end)).length;
      expect(b.tweet_count).toBe(n);
    }
  });

  it('supports minute and day granularity and the search windows', async () => {
    const word = frequentWord();
    const start = TEST_NOW - 2 * DAY + 1234_000;
    const end = TEST_NOW - DAY + 3_600_000;
    const day = await s.get('/2/tweets/counts/recent', { query: { query: word, granularity: 'day', start_time: iso(start), end_time: iso(end) } });
    expect(day.status).toBe(200);
    expect(day.body.data.length).toBe(2);
    expect(day.body.meta.total_tweet_count).toBe(expected(word, Date.parse(iso(start)), end).length);
    const minute = await s.get('/2/tweets/counts/recent', { query: { query: word, granularity: 'minute', start_time: iso(end - 3_600_000), end_time: iso(end) } });
    expect(minute.body.data.length).toBe(60);
    const bad = await s.get('/2/tweets/counts/recent', { query: { query: word, granularity: 'week' } });
    expect(bad.status).toBe(400);
  });

  it('full-archive counts page 30 days at a time, newest first', async () => {
    const word = frequentWord();
    const start = TEST_NOW - 75 * DAY;
    const pages: any[] = [];
    let next: string | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await s.get('/2/tweets/counts/all', { query: { query: word, granularity: 'day', start_time: iso(start), ...(next ? { next_token: next } : {}) } });
      expect(r.status).toBe(200);
      pages.push(r.body);
      next = r.body.meta.next_token;
      if (!next) break;
    }
    expect(pages.length).toBe(3);
    const total = pages.reduce((a, p) => a + p.meta.total_tweet_count, 0);
    expect(total).toBe(expected(word, start, RECENT_END).length);
    expect(pages[0].data[pages[0].data.length - 1].end).toBe(new Date(RECENT_END).toISOString());
    expect(pages[2].data[0].start).toBe(new Date(start).toISOString());
    const userToken = await s.get('/2/tweets/counts/all', { token: s.userToken, query: { query: word } });
    expect(userToken.status).toBe(403);
  });
});
