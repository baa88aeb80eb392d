import { describe, expect, it } from 'vitest';
import { serverPerFile } from '../server-per-file.js';
import type { ManualClock } from '../../src/clock.js';
import { id, rows } from './find.js';

const ALL = 'category,cluster_posts_results,contexts,disclaimer,hook,id,keywords,name,summary,updated_at';
const DAY = 24 * 3_600_000;
const s = serverPerFile({ limits: { '*': { app: 10_000, user: 10_000 } } });
const clock = () => s.clock as ManualClock;
const search = (query: Record<string, string | number>) => s.get('/2/news/search', { query });

/** Posts by `authors.length` accounts (each text once), `gap` ms apart on the server clock; their ids in order. */
async function post(texts: string[], authors: string[], gap = 60_000): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, text] of texts.entries()) {
    const r = await s.request('POST', '/2/tweets', { token: await s.userTokenFor(authors[i % authors.length]!), body: { text } });
    expect(r.status).toBe(201);
    ids.push(r.body.data.id);
    clock().advance(gap);
  }
  return ids;
}

async function people(n: number): Promise<string[]> {
  return (await rows(s, `select id from users where suspended = 0 and protected = 0 order by id limit ${n} offset 3`)).map((r) => id(r.id));
}

describe('News stories clustered from posts', () => {
  it('a term carried by posts of several accounts is a story: search finds it, getNews answers it by its id, every field read off the posts', async () => {
    const authors = await people(3);
    const ids = await post(
      ['Harbour bridge closed for repairs. #RoostHarbour #Traffic', 'Detours all morning around the bridge #RoostHarbour', 'Ferries run extra boats today #roostharbour #Traffic', 'Bridge reopens at six #RoostHarbour'],
      authors,
    );
    const top = ids[2]!;
    const liker = await s.userTokenFor((await people(5))[4]!);
    expect((await s.request('POST', `/2/users/${(await people(5))[4]}/likes`, { token: liker, body: { tweet_id: top } })).status).toBe(200);

    const r = await search({ query: 'roostharbour', 'news.fields': ALL });
    expect(r.status).toBe(200);
    expect(r.body.meta).toEqual({ result_count: 1 });
    const story = r.body.data[0];
    expect(story).toMatchObject({
      name: '#RoostHarbour',
      category: 'Trending',
      hook: 'Ferries run extra boats today #roostharbour #Traffic',
      keywords: { '#Traffic': 2 },
      contexts: { topics: ['Trending'] },
      summary: expect.stringMatching(/^4 posts from 3 accounts about #RoostHarbour since \d{4}-\d\d-\d\d, often with #Traffic\.$/),
    });
    expect(story.id).toMatch(/^\d{1,19}$/);
    expect(story.cluster_posts_results[0]).toEqual({ post_id: top });
    expect(story.cluster_posts_results.map((p: any) => p.post_id).sort()).toEqual([...ids].sort());
    const newest = await s.get(`/2/tweets/${ids[3]}`, { query: { 'tweet.fields': 'created_at' } });
    expect(story.updated_at).toBe(newest.body.data.created_at);
    expect(typeof story.disclaimer).toBe('string');

    const byId = await s.get(`/2/news/${story.id}`, { query: { 'news.fields': ALL } });
    expect(byId.status).toBe(200);
    expect(byId.body.data).toEqual(story);
    expect((await s.get(`/2/news/${story.id}`)).body).toEqual({ data: { id: story.id, name: '#RoostHarbour' } });
    // Any word of its posts finds it, every word must match, and a user token works as well as the app's.
    expect((await s.get('/2/news/search', { token: s.userToken, query: { query: 'ferries roostharbour' } })).body.data).toEqual([{ id: story.id, name: '#RoostHarbour' }]);
    expect((await search({ query: 'ferries submarine' })).body).toEqual({ meta: { result_count: 0 } });
  });

  it('a term of one account, or of too few posts, is no story', async () => {
    const [a, b] = await people(2);
    await post(['Diary one #RoostSolo', 'Diary two #RoostSolo', 'Diary three #RoostSolo'], [a!]);
    await post(['Pair one #RoostPair', 'Pair two #RoostPair'], [a!, b!]);
    expect((await search({ query: 'roostsolo' })).body).toEqual({ meta: { result_count: 0 } });
    expect((await search({ query: 'roostpair' })).body).toEqual({ meta: { result_count: 0 } });
  });

  it('max_age_hours bounds the window search looks in; getNews finds a story for 720 hours, then Not Found', async () => {
    const authors = await people(3);
    await post(['Old news #RoostArchive', 'Still old #RoostArchive', 'Older still #RoostArchive'], authors);
    const found = await search({ query: 'roostarchive' });
    const storyId = found.body.data[0].id;
    clock().advance(10 * DAY);
    expect((await search({ query: 'roostarchive' })).body).toEqual({ meta: { result_count: 0 } });
    expect((await search({ query: 'roostarchive', max_age_hours: 720 })).body.data[0].id).toBe(storyId);
    expect((await s.get(`/2/news/${storyId}`)).body.data.id).toBe(storyId);
    // The story again this week: by id, it is the story search shows by default; the wide window holds both weeks.
    await post(['News again #RoostArchive', 'And again #RoostArchive', 'Once more #RoostArchive'], authors);
    const summary = { 'news.fields': 'summary' };
    const week = (await search({ query: 'roostarchive', ...summary })).body.data[0];
    expect(week.summary).toMatch(/^3 posts /);
    expect((await s.get(`/2/news/${storyId}`, { query: summary })).body.data).toEqual(week);
    expect((await search({ query: 'roostarchive', max_age_hours: 720, ...summary })).body.data[0].summary).toMatch(/^6 posts /);
    clock().advance(31 * DAY);
    const gone = await s.get(`/2/news/${storyId}`);
    expect(gone.status).toBe(200);
    expect(gone.body.errors).toEqual([expect.objectContaining({ title: 'Not Found Error', resource_type: 'news', parameter: 'id', resource_id: storyId })]);
    clock().advance(-41 * DAY);
  });

  it('the seeded world has stories: the top worldwide trend is one', async () => {
    const trends = await s.get('/2/trends/by/woeid/1', { query: { max_trends: 1 } });
    const term = trends.body.data[0].trend_name as string;
    const r = await search({ query: term.replace(/^[#$]/, ''), max_results: 100 });
    expect(r.body.data.map((n: any) => n.name.toLowerCase())).toContain(term.toLowerCase());
  });

  it('answers X\'s errors', async () => {
    expect((await s.get('/2/news/abc')).status).toBe(400);
    expect((await s.get('/2/news/search')).status).toBe(400);
    expect((await search({ query: 'x', max_results: 0 })).status).toBe(400);
    expect((await search({ query: 'x', max_age_hours: 721 })).status).toBe(400);
    expect((await search({ query: 'x', 'news.fields': 'headline' })).status).toBe(400);
    expect((await s.get('/2/news/search', { token: null, query: { query: 'x' } })).status).toBe(401);
  });
});
