import { describe, expect, it } from 'vitest';
import { serverPerFile } from '../server-per-file.js';
import type { ManualClock } from '../../src/clock.js';
import { id, one, rows, walkPages } from './find.js';

const ME = '2244994945';
const DAY = 24 * 3_600_000;
const s = serverPerFile({ limits: { '*': { user: 10_000, user24h: 10_000, app: 10_000 } } });
const clock = () => s.clock as ManualClock;
const ELIGIBLE = '/2/notes/search/posts_eligible_for_notes';
const WRITTEN = '/2/notes/search/notes_written';

/**
 * The oracle of eligibility, written from X's rule (requests show once max(5, views / 25,000) people asked) over
 * the stored rows: live original posts of public accounts outside Closed Communities, English unless `lang` says
 * otherwise, newest first.
 */
async function eligibleIds(lang: string | null = 'en'): Promise<string[]> {
  const found = await rows(
    s,
    `select p.id, p.impression_count as views, count(*) as n from note_requests q join posts p on p.id = q.post_id join users u on u.id = p.author_id
     where p.deleted = 0 and p.superseded = 0 and p.reposted_post_id is null and u.protected = 0 and u.suspended = 0 ${lang ? `and p.lang = '${lang}'` : ''}
     and (p.community_id is null or p.community_id not in (select id from communities where access = 'Closed'))
     group by p.id, p.impression_count order by p.id desc`,
  );
  return found.filter((r) => Number(r.n) >= Math.max(5, Math.ceil(Number(r.views) / 25_000))).map((r) => id(r.id));
}

/** Posts nobody asked a note for yet (English originals of public accounts, few views, not by `not`). */
async function unrequested(n: number, not: string): Promise<{ id: string; text: string }[]> {
  return (
    await rows(
      s,
      `select p.id, p.text from posts p join users u on u.id = p.author_id where p.deleted = 0 and p.superseded = 0 and p.reposted_post_id is null
       and p.in_reply_to_post_id is null and u.protected = 0 and u.suspended = 0 and p.lang = 'en' and p.impression_count < 100000 and p.author_id <> ${not}
       and (p.community_id is null or p.community_id not in (select id from communities where access = 'Closed'))
       and not exists (select 1 from note_requests q where q.post_id = p.id) order by p.id desc limit ${n}`,
    )
  ).map((r) => ({ id: id(r.id), text: String(r.text) }));
}

/** People ask for a note on each post: five requests each, enough for posts under 125,000 views. */
async function request(postIds: readonly string[]): Promise<void> {
  const askers = (await rows(s, `select id from users where suspended = 0 order by id limit 8`)).map((r) => id(r.id));
  const at = clock().now();
  await s.handle.ctx.repos.notes.insertRequests(postIds.flatMap((postId) => askers.filter((a) => a !== ME).slice(0, 5).map((userId) => ({ postId, userId, at, sourcePostId: null }))));
}

const note = (postId: string, text: string, extra: Record<string, unknown> = {}) => ({
  test_mode: true,
  post_id: postId,
  info: { text, classification: 'misinformed_or_potentially_misleading', misleading_tags: ['missing_important_context'], trustworthy_sources: true, ...extra },
});
/** A note that addresses the post's own words and cites a source: the evaluator scores it high throughout. */
const goodText = (postText: string) => `${postText.replace(/https?:\/\/\S+|[@#$]\S+/g, '').slice(0, 180)} Context: https://example.org/report`;

describe('GET /2/notes/search/posts_eligible_for_notes', () => {
  it('lists the posts people asked a note for, at X\'s threshold, newest first, page by page', async () => {
    const expected = await eligibleIds();
    expect(expected.length).toBeGreaterThan(0);
    const r = await s.get(ELIGIBLE, { token: s.userToken, query: { test_mode: 'true', max_results: 100, 'tweet.fields': 'lang,author_id', expansions: 'author_id' } });
    expect(r.status).toBe(200);
    expect(r.body.data.map((p: any) => p.id)).toEqual(expected);
    expect(r.body.data.every((p: any) => p.lang === 'en')).toBe(true);
    expect(r.body.includes.users.length).toBeGreaterThan(0);
    expect(r.body.meta.result_count).toBe(expected.length);
    const paged = await walkPages(s, ELIGIBLE, { test_mode: 'true', max_results: 2 }, { token: s.userToken });
    expect(paged.all).toEqual(expected);

    // Requests below the threshold do not make a post eligible; enough of them do.
    const [fresh] = await unrequested(1, ME);
    const askers = (await rows(s, `select id from users where suspended = 0 and id <> ${ME} order by id limit 5`)).map((x) => id(x.id));
    const ask = (userIds: string[]) => s.handle.ctx.repos.notes.insertRequests(userIds.map((userId) => ({ postId: fresh!.id, userId, at: clock().now(), sourcePostId: null })));
    await ask(askers.slice(0, 4));
    expect((await walkPages(s, ELIGIBLE, { test_mode: 'true', max_results: 100 }, { token: s.userToken })).all).not.toContain(fresh!.id);
    await ask(askers.slice(4));
    expect((await s.get(ELIGIBLE, { token: s.userToken, query: { test_mode: 'true', max_results: 1 } })).body.data[0].id).toBe(fresh!.id);
  });

  it('leaves out posts of Closed Communities (for members only), however many asked', async () => {
    const closed = await rows(s, `select p.id from posts p join communities c on c.id = p.community_id where c.access = 'Closed' and p.deleted = 0 order by p.id desc limit 1`);
    expect(closed.length).toBe(1);
    const postId = id(closed[0].id);
    const askers = (await rows(s, `select id from users where suspended = 0 order by id desc limit 8`)).map((r) => id(r.id));
    await s.handle.ctx.repos.notes.insertRequests(askers.map((userId) => ({ postId, userId, at: clock().now(), sourcePostId: null })));
    expect((await walkPages(s, ELIGIBLE, { test_mode: 'true', max_results: 100, post_selection: 'feed_lang:all' }, { token: s.userToken })).all).not.toContain(postId);
  });

  it('selects the language with post_selection; the large and xl feeds are refused in test mode and to writers who have not earned them', async () => {
    const all = await walkPages(s, ELIGIBLE, { test_mode: 'true', max_results: 100, post_selection: 'feed_lang:all' }, { token: s.userToken });
    expect(all.all).toEqual(await eligibleIds(null));
    const ja = await s.get(ELIGIBLE, { token: s.userToken, query: { test_mode: 'true', max_results: 100, post_selection: 'feed_size:small,feed_lang:ja', 'tweet.fields': 'lang' } });
    expect((ja.body.data ?? []).map((p: any) => p.id)).toEqual(await eligibleIds('ja'));
    const large = await s.get(ELIGIBLE, { token: s.userToken, query: { test_mode: 'true', post_selection: 'feed_size:large' } });
    expect(large.status).toBe(400);
    expect(large.body.errors[0].parameters).toEqual({ post_selection: ['feed_size:large'] });
    expect((await s.get(ELIGIBLE, { token: s.userToken, query: { test_mode: 'true', post_selection: 'feed_size:huge' } })).status).toBe(400);
  });

  it('shows the posts requesters suggested as sources, most suggested first, on the post wherever it is read', async () => {
    const [target] = await unrequested(1, ME);
    const [first, second] = (await rows(s, `select id from posts where deleted = 0 and id <> ${target!.id} order by id limit 2`)).map((r) => id(r.id));
    const askers = (await rows(s, `select id from users where suspended = 0 and id <> ${ME} order by id limit 6`)).map((r) => id(r.id));
    const sources = [second, first, first, null, second, first];
    await s.handle.ctx.repos.notes.insertRequests(askers.map((userId, i) => ({ postId: target!.id, userId, at: clock().now(), sourcePostId: sources[i] ?? null })));
    const fields = { 'tweet.fields': 'suggested_source_links,suggested_source_links_with_counts' };
    const read = await s.get(`/2/tweets/${target!.id}`, { query: fields });
    expect(read.body.data.suggested_source_links).toEqual([`https://x.com/i/status/${first}`, `https://x.com/i/status/${second}`]);
    expect(read.body.data.suggested_source_links_with_counts).toEqual([
      { url: `https://x.com/i/status/${first}`, count: 3 },
      { url: `https://x.com/i/status/${second}`, count: 2 },
    ]);
    const feed = await s.get(ELIGIBLE, { token: s.userToken, query: { test_mode: 'true', max_results: 100, 'post.fields': 'suggested_source_links' } });
    expect(feed.body.data.find((p: any) => p.id === target!.id)).toEqual({ id: target!.id, text: target!.text, edit_history_post_ids: [target!.id], suggested_source_links: read.body.data.suggested_source_links });
    const plain = await s.get(`/2/tweets/${first}`, { query: fields });
    expect(plain.body.data.suggested_source_links).toBeUndefined();
  });

  it('answers X\'s errors: test_mode=false before admission, a missing test_mode, app-only auth', async () => {
    const off = await s.get(ELIGIBLE, { token: s.userToken, query: { test_mode: 'false' } });
    expect(off.status).toBe(400);
    expect(off.body.errors).toEqual([{ parameters: { test_mode: ['false'] }, message: 'The `test_mode` query parameter is invalid.' }]);
    expect((await s.get(ELIGIBLE, { token: s.userToken })).status).toBe(400);
    expect((await s.get(ELIGIBLE, { query: { test_mode: 'true' } })).status).toBe(403);
    expect((await s.get(ELIGIBLE, { token: null, query: { test_mode: 'true' } })).status).toBe(401);
  });
});

describe('POST /2/notes, GET notes_written, POST /2/notes/evaluate, DELETE /2/notes/:id', () => {
  it('writes a test note that notes_written shows with the evaluator\'s outcome; one note per post', async () => {
    const postId = (await eligibleIds())[0]!;
    const post = await one(s, `select text from posts where id = ${postId}`);
    const made = await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, goodText(post.text)) });
    expect(made.status).toBe(201);
    expect(Object.keys(made.body.data)).toEqual(['id']);
    const listed = await s.get(WRITTEN, { token: s.userToken, query: { test_mode: 'true', 'note.fields': 'id,info,status,test_result,scoring_status' } });
    expect(listed.status).toBe(200);
    expect(listed.body.data[0]).toEqual({
      id: made.body.data.id,
      info: { post_id: postId, text: goodText(post.text), classification: 'misinformed_or_potentially_misleading', misleading_tags: ['missing_important_context'], trustworthy_sources: true },
      test_result: {
        evaluation_outcome: [
          { evaluator_type: 'UrlValidity', evaluator_score_bucket: 'high' },
          { evaluator_type: 'HarassmentAbuse', evaluator_score_bucket: 'high' },
          { evaluator_type: 'ClaimOpinion', evaluator_score_bucket: 'high' },
        ],
      },
    });
    const bare = await s.get(WRITTEN, { token: s.userToken, query: { test_mode: 'true' } });
    expect(Object.keys(bare.body.data[0]).sort()).toEqual(['id', 'info']);

    const again = await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, 'Another try https://example.org/x') });
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual([{ parameters: { post_id: [postId] }, message: `User already created a note: [${made.body.data.id}] for this post.` }]);
  });

  it('scores what it can know: links to posts that do not exist, insults and opinion', async () => {
    const [a, b] = (await eligibleIds()).slice(1, 3);
    const other = await s.userTokenFor(id((await one(s, `select id from users where suspended = 0 and id <> ${ME} order by id limit 1`)).id));
    const bad = await s.request('POST', '/2/notes', { token: other, body: note(a!, 'I think this is probably wrong, you idiot https://x.com/someone/status/1') });
    expect(bad.status).toBe(201);
    const seen = await s.get(WRITTEN, { token: other, query: { test_mode: 'true', 'note.fields': 'test_result' } });
    expect(seen.body.data[0].test_result.evaluation_outcome.map((o: any) => o.evaluator_score_bucket)).toEqual(['low', 'low', 'low']);
    const post = await one(s, `select text from posts where id = ${b}`);
    const good = await s.request('POST', '/2/notes/evaluate', { token: other, body: { post_id: b, note_text: goodText(post.text) } });
    expect(good.status).toBe(200);
    const opinion = await s.request('POST', '/2/notes/evaluate', { token: other, body: { post_id: b, note_text: `I think maybe, probably: ${goodText(post.text)}` } });
    expect(good.body.data.claim_opinion_score).toBeGreaterThanOrEqual(0.5);
    expect(opinion.body.data.claim_opinion_score).toBeLessThan(good.body.data.claim_opinion_score);
    const unknown = await s.request('POST', '/2/notes/evaluate', { token: other, body: { post_id: '123', note_text: 'x https://example.org' } });
    expect(unknown.body).toEqual({ errors: [expect.objectContaining({ title: 'Not Found Error', resource_type: 'tweet', parameter: 'post_id', resource_id: '123' })] });
  });

  it('refuses notes X refuses: unknown or ineligible posts, no source URL, misleading without tags, too long, media notes, test_mode=false', async () => {
    const postId = (await eligibleIds())[3]!;
    const unknown = await s.request('POST', '/2/notes', { token: s.userToken, body: note('123', 'Context https://example.org') });
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'tweet', parameter: 'post_id' });
    const [plain] = await unrequested(1, ME);
    const ineligible = await s.request('POST', '/2/notes', { token: s.userToken, body: note(plain!.id, 'Context https://example.org') });
    expect(ineligible.status).toBe(400);
    expect(ineligible.body.errors[0].parameters).toEqual({ post_id: [plain!.id] });
    expect((await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, 'No source at all') })).status).toBe(400);
    const untagged = await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, 'Context https://example.org', { misleading_tags: [] }) });
    expect(untagged.status).toBe(400);
    expect(untagged.body.errors[0].parameters).toHaveProperty('misleading_tags');
    const long = await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, `${'word '.repeat(60)}https://example.org/${'a'.repeat(300)}`) });
    expect(long.status).toBe(400);
    const media = await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, 'Context https://example.org', { is_media_note: true }) });
    expect(media.status).toBe(403);
    expect(media.body.detail).toBe(`User: [${ME}] must be a high-performing AI Note Writer to write media notes.`);
    const product = await s.request('POST', '/2/notes', { token: s.userToken, body: { ...note(postId, 'Context https://example.org'), test_mode: false } });
    expect(product.status).toBe(400);
    expect(product.body.errors[0].message).toBe('The `test_mode` query parameter is invalid.');
    expect((await s.get(WRITTEN, { token: s.userToken, query: { test_mode: 'false' } })).status).toBe(400);
    expect((await s.request('POST', '/2/notes', { body: note(postId, 'Context https://example.org') })).status).toBe(403);
    const fine = await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, 'Not misleading: https://example.org', { classification: 'not_misleading', misleading_tags: [] }) });
    expect(fine.status).toBe(201);
  });

  it('only the author deletes a note; deleted, it is gone from notes_written and the post may be noted again', async () => {
    const postId = (await eligibleIds())[4]!;
    const made = await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, 'Context https://example.org/a') });
    const other = await s.userTokenFor(id((await one(s, `select id from users where suspended = 0 and id <> ${ME} order by id desc limit 1`)).id));
    const refused = await s.request('DELETE', `/2/notes/${made.body.data.id}`, { token: other });
    expect(refused.status).toBe(403);
    const gone = await s.request('DELETE', `/2/notes/${made.body.data.id}`, { token: s.userToken });
    expect(gone.body).toEqual({ data: { deleted: true } });
    const listed = await walkPages(s, WRITTEN, { test_mode: 'true', max_results: 100 }, { token: s.userToken });
    expect(listed.all).not.toContain(made.body.data.id);
    const twice = await s.request('DELETE', `/2/notes/${made.body.data.id}`, { token: s.userToken });
    expect(twice.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'note', parameter: 'id', resource_id: made.body.data.id });
    expect((await s.request('POST', '/2/notes', { token: s.userToken, body: note(postId, 'Context https://example.org/b') })).status).toBe(201);
    expect((await s.request('DELETE', '/2/notes/abc', { token: s.userToken })).status).toBe(400);
  });
});

describe('admission: 50 test notes that score well open the product (test_mode=false)', () => {
  it('admits a writer by the evaluator\'s scores of the latest 50 test notes, then holds product notes to the daily limit', async () => {
    const writer = id((await one(s, `select id from users where suspended = 0 and protected = 0 and id <> ${ME} order by id limit 1 offset 5`)).id);
    const token = await s.userTokenFor(writer);
    const posts = await unrequested(62, writer);
    await request(posts.map((p) => p.id));
    // A writer whose notes are opinion, not context, is not admitted.
    const sloppy = await s.userTokenFor(id((await one(s, `select id from users where suspended = 0 and protected = 0 and id not in (${ME}, ${writer}) order by id limit 1 offset 6`)).id));
    for (const p of posts.slice(0, 50)) expect((await s.request('POST', '/2/notes', { token: sloppy, body: note(p.id, 'I think this is probably fine https://example.org') })).status).toBe(201);
    expect((await s.get(WRITTEN, { token: sloppy, query: { test_mode: 'false' } })).status).toBe(400);

    for (const p of posts.slice(0, 49)) expect((await s.request('POST', '/2/notes', { token, body: note(p.id, goodText(p.text)) })).status).toBe(201);
    expect((await s.get(WRITTEN, { token, query: { test_mode: 'false' } })).status).toBe(400);
    expect((await s.request('POST', '/2/notes', { token, body: note(posts[49]!.id, goodText(posts[49]!.text)) })).status).toBe(201);
    const none = await s.get(WRITTEN, { token, query: { test_mode: 'false' } });
    expect(none.body).toEqual({ meta: { result_count: 0 } });
    expect((await s.get(ELIGIBLE, { token, query: { test_mode: 'false' } })).status).toBe(200);

    // A new writer on the product writes 10 notes a day; each needs more ratings, which only people give.
    const product = (p: { id: string; text: string }) => s.request('POST', '/2/notes', { token, body: { ...note(p.id, goodText(p.text)), test_mode: false } });
    const firstTen = [];
    for (const p of posts.slice(50, 60)) {
      const r = await product(p);
      expect(r.status).toBe(201);
      firstTen.push(r.body.data.id);
    }
    const limited = await product(posts[60]!);
    expect(limited.status).toBe(403);
    expect(limited.body.detail).toBe(`User: [${writer}] has reached the daily limit of 10 notes.`);
    const mine = await walkPages(s, WRITTEN, { test_mode: 'false', max_results: 4, 'note.fields': 'info,status,test_result' }, { token });
    expect(mine.all).toEqual([...firstTen].reverse());
    expect(mine.pages[0].data[0]).toMatchObject({ status: 'needs_more_ratings', info: { rating_status: 'needs_more_ratings' } });
    expect(mine.pages[0].data[0].test_result).toBeUndefined();
    clock().advance(DAY);
    expect((await product(posts[60]!)).status).toBe(201);
    clock().advance(-DAY);
  });
});
