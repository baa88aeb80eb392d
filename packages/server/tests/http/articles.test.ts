/**
 * The Articles operations over HTTP: a draft, then publishing it as a real post (counted, on the author's timeline,
 * found by search, published on the bus) that carries the article in `tweet.fields=article`, its cover and images
 * expanding into `includes.media`; X's errors and the tweet.write scope. Each 2xx body is checked against the spec's
 * schema by the harness.
 */
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/clock.js';
import { serverPerFileWithEvents } from '../server-per-file.js';
import { conflictBody, expectInvalid as invalid, notFoundProblem } from './answers.js';
import { one, otherUser } from './find.js';

const ME = '2244994945';

const { s, events } = serverPerFileWithEvents({ limits: { '*': { app: 100_000, user: 100_000 } } });

const post = (path: string, body: unknown, token: string | null = s.userToken) => s.request('POST', path, { token, body });
const publish = (id: string, token: string | null = s.userToken) => s.request('POST', `/2/articles/${id}/publish`, { token });

const HEADLINE = 'Why self-host the X API';
const PARAGRAPH = 'Roost answers like X does. #selfhosted';
/** A draft: a heading, a paragraph with a link, a bold word and a hashtag, and optionally an image block. */
function draft(title: string, imageId?: string) {
  const blocks: any[] = [
    { key: 'h1', text: HEADLINE, type: 'header-one' },
    {
      key: 'p1',
      text: PARAGRAPH,
      type: 'unstyled',
      entity_ranges: [{ key: 0, offset: 0, length: 5 }],
      inline_style_ranges: [{ offset: 6, length: 7, style: 'bold' }],
      data: { hashtags: [{ from_index: 27, to_index: 38, text: 'selfhosted' }] },
    },
  ];
  const entities: any[] = [{ key: '0', value: { type: 'link', mutability: 'mutable', data: { url: 'https://github.com/roost' } } }];
  if (imageId) {
    blocks.push({ key: 'i1', text: ' ', type: 'atomic', entity_ranges: [{ key: 1, offset: 0, length: 1 }] });
    entities.push({ key: '1', value: { type: 'image', mutability: 'immutable', data: { caption: 'The console', media_items: [{ media_id: imageId, media_category: 'DraftTweetImage' }] } } });
  }
  return { title, content_state: { blocks, entities } };
}
async function createDraft(body: unknown, token = s.userToken): Promise<string> {
  const r = await post('/2/articles/draft', body, token);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.id;
}
const notFound = (id: string) => notFoundProblem('article', 'article_id', id);
const tweetCount = async (id: string) => (await s.get(`/2/users/${id}`, { query: { 'user.fields': 'public_metrics' } })).body.data.public_metrics.tweet_count;

describe('draft, then publish as a post carrying the article', () => {
  it('creates a draft (201 {id, title}); publishing makes a counted, searchable post whose article field shows it', async () => {
    events.length = 0;
    const r = await post('/2/articles/draft', draft('Self-hosting, explained'));
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ data: { id: r.body.data.id, title: 'Self-hosting, explained' } });
    const id = r.body.data.id;
    expect(id).toMatch(/^\d{1,19}$/);
    expect(events).toEqual([expect.objectContaining({ type: 'article.created', articleId: id, authorId: ME })]);

    const before = await tweetCount(ME);
    const p = await publish(id);
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    const postId = p.body.data.post_id;
    expect(p.body).toEqual({ data: { post_id: postId } });
    expect(events.filter((e) => e.type === 'post.created')).toEqual([expect.objectContaining({ postId, authorId: ME })]);
    expect(await tweetCount(ME)).toBe(before + 1);

    const read = await s.get(`/2/tweets/${postId}`, { query: { 'tweet.fields': 'article,author_id,entities' } });
    expect(read.status).toBe(200);
    expect(read.body.data.author_id).toBe(ME);
    expect(read.body.data.article).toEqual({
      title: 'Self-hosting, explained',
      preview_text: `${HEADLINE} ${PARAGRAPH}`,
      plain_text: `${HEADLINE}\n${PARAGRAPH}`,
    });
    expect(read.body.data.text).toMatch(/^https:\/\/t\.co\/\w+$/);
    expect(read.body.data.entities.urls[0]).toMatchObject({ expanded_url: `https://x.com/i/article/${id}` });
    // Only when asked for; 2.167 clients ask with post.fields.
    expect((await s.get(`/2/tweets/${postId}`)).body.data.article).toBeUndefined();
    expect((await s.get(`/2/tweets/${postId}`, { query: { 'post.fields': 'article' } })).body.data.article.title).toBe('Self-hosting, explained');

    // On the author's timeline, and found by search once the search window reaches it.
    const timeline = await s.get(`/2/users/${ME}/tweets`, { query: { max_results: 5 } });
    expect(timeline.body.data[0].id).toBe(postId);
    (s.clock as ManualClock).advance(60_000);
    const found = await s.get('/2/tweets/search/recent', { query: { query: `url:"x.com/i/article/${id}"` } });
    expect(found.status).toBe(200);
    expect(found.body.data.map((d: any) => d.id)).toEqual([postId]);
  });

  it("the article's cover and images expand into includes.media", async () => {
    const media = await one<{ owner: string; ids: string }>(
      s,
      `select cast(owner_id as text) as owner, group_concat(cast(id as text)) as ids from media where type = 'photo' and owner_id in (select id from users where suspended = 0) group by owner_id having count(*) >= 2 limit 1`,
    );
    const [cover, image] = media.ids.split(',') as [string, string];
    const keys = await Promise.all([cover, image].map((m) => one<{ media_key: string }>(s, `select media_key from media where id = ${m}`).then((r) => r.media_key)));
    const token = await s.userTokenFor(media.owner);
    const id = await createDraft({ ...draft('With pictures', image), cover_media: { media_id: cover, media_category: 'DraftTweetImage' } }, token);
    const postId = (await publish(id, token)).body.data.post_id;

    const r = await s.get(`/2/tweets/${postId}`, { query: { expansions: 'article.cover_media,article.media_entities', 'media.fields': 'url' } });
    expect(r.status).toBe(200);
    expect(r.body.data.article).toMatchObject({ title: 'With pictures', cover_media: keys[0], media_entities: [keys[1]] });
    expect(r.body.includes.media.map((m: any) => m.media_key)).toEqual(keys);
    expect(r.body.includes.media[0].url).toMatch(/^http/);
    const coverOnly = await s.get(`/2/tweets/${postId}`, { query: { expansions: 'article.cover_media' } });
    expect(coverOnly.body.includes.media.map((m: any) => m.media_key)).toEqual([keys[0]]);

    // Another author may not use those media.
    const foreign = await post('/2/articles/draft', { ...draft('Borrowed'), cover_media: { media_id: cover, media_category: 'DraftTweetImage' } });
    invalid(foreign, 'cover_media.media_id');
    expect(foreign.body.errors[0].message).toBe('Your media IDs are invalid.');
    invalid(await post('/2/articles/draft', draft('Borrowed inside', image)), 'media_items.media_id');
    invalid(await post('/2/articles/draft', { ...draft('Not an id'), cover_media: { media_id: 'abc', media_category: 'DraftTweetImage' } }), 'cover_media.media_id');
  });
});

describe("X's errors", () => {
  it('publishing twice is 409 (a concurrent second publish too); the first post stays the only one', async () => {
    const id = await createDraft(draft('Once only'));
    const [a, b] = await Promise.all([publish(id), publish(id)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const conflict = conflictBody(`The article [${id}] has already been published.`);
    expect((a.status === 409 ? a : b).body).toEqual(conflict);
    expect((await publish(id)).body).toEqual(conflict);
    const search = await s.get(`/2/users/${ME}/tweets`, { query: { max_results: 5, 'tweet.fields': 'article' } });
    expect(search.body.data.filter((d: any) => d.article?.title === 'Once only')).toHaveLength(1);
  });

  it("someone else's draft and unknown ids are Not Found; malformed ids are 400", async () => {
    const other = await otherUser(s);
    const theirs = await createDraft(draft('Theirs'), other.token);
    expect((await publish(theirs)).body).toEqual({ errors: [notFound(theirs)] });
    expect((await publish('1')).body).toEqual({ errors: [notFound('1')] });
    invalid(await publish('9999999999999999999'), 'article_id');
    invalid(await publish('12a'), 'article_id');
    invalid(await publish('12345678901234567890'), 'article_id');
    // Still a draft for its author.
    expect((await publish(theirs, other.token)).status).toBe(200);
  });

  it('drafts: blank title, missing content, unknown entity keys, ranges outside the text, unknown block types are 400', async () => {
    invalid(await post('/2/articles/draft', { ...draft('x'), title: '   ' }), 'title');
    invalid(await post('/2/articles/draft', { ...draft('x'), title: '' }), 'title');
    invalid(await post('/2/articles/draft', { title: 'No content' }), 'content_state');
    const d = draft('Broken');
    d.content_state.blocks[1].entity_ranges = [{ key: 7, offset: 0, length: 5 }];
    invalid(await post('/2/articles/draft', d), 'content_state.blocks[1].entity_ranges');
    const long = draft('Too far');
    long.content_state.blocks[1].inline_style_ranges = [{ offset: 30, length: 20, style: 'italic' }];
    invalid(await post('/2/articles/draft', long), 'content_state.blocks[1].inline_style_ranges');
    const tag = draft('Tag beyond');
    tag.content_state.blocks[1].data.hashtags[0].to_index = 99;
    invalid(await post('/2/articles/draft', tag), 'content_state.blocks[1].data.hashtags');
    const kind = draft('Odd block');
    kind.content_state.blocks[0].type = 'header-seven';
    invalid(await post('/2/articles/draft', kind), 'type');
  });

  it('user context with tweet.write only; no token is 401', async () => {
    const app = await post('/2/articles/draft', draft('App'), s.bearer);
    expect(app.status).toBe(403);
    expect(app.body.title).toBe('Unsupported Authentication');
    const id = await createDraft(draft('Scoped'));
    expect((await publish(id, s.bearer)).status).toBe(403);
    const readOnly = await s.userTokenFor(ME, ['tweet.read', 'users.read']);
    const denied = await publish(id, readOnly);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toBe('Missing required OAuth 2.0 scopes: [tweet.write].');
    expect((await post('/2/articles/draft', draft('Read only'), readOnly)).status).toBe(403);
    expect((await publish(id, null)).status).toBe(401);
    expect((await publish(id)).status).toBe(200);
  });
});
