import { describe, expect, it } from 'vitest';
import type { PostRow } from '../data/rows.js';
import { selectionFrom } from './selection.js';
import { emptyState, postLinks, type HydrationState } from './hydrate.js';
import { followKey, judgePostPage, judgeUserPage } from './rules.js';
import { postForGeneration, presentPost } from './present.js';
import { presentPostPage, presentUserPage } from './present-page.js';
import { testPost, testUser } from './test-rows.js';

const NOW = 1_700_000_000_000 + 1000;

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** A state as hydrate would leave it, with a snapshot to prove presenting changed nothing. */
function stateOf(posts: PostRow[], users = [testUser('10'), testUser('11'), testUser('12', { suspended: true })]): HydrationState {
  return {
    ...emptyState(),
    posts: new Map(posts.map((p) => [p.id, deepFreeze(p)])),
    users: new Map(users.map((u) => [u.id, deepFreeze(u)])),
    usersByName: new Map(users.map((u) => [u.username.toLowerCase(), u])),
  };
}

const snapshot = (s: HydrationState) => structuredClone(s);

describe('presentPost', () => {
  it('returns the problems of fields the viewer may not see instead of pushing them anywhere', () => {
    const p = deepFreeze(testPost('100', '10'));
    const sel = selectionFrom({ 'tweet.fields': ['non_public_metrics', 'organic_metrics', 'public_metrics'] });
    const stranger = presentPost(p, sel, { now: NOW, viewerId: '99', editHistory: ['100'], section: 'includes' });
    expect(stranger.view.non_public_metrics).toBeUndefined();
    expect(stranger.view.public_metrics).toBeDefined();
    expect(stranger.problems.map((e) => [e.field, e.section, e.parameter])).toEqual([
      ['non_public_metrics', 'includes', 'tweet.fields'],
      ['organic_metrics', 'includes', 'tweet.fields'],
    ]);
    const author = presentPost(p, sel, { now: NOW, viewerId: '10', editHistory: ['100'], section: 'data' });
    expect(author.problems).toEqual([]);
    expect(author.view.non_public_metrics).toEqual({ impression_count: 0, user_profile_clicks: 0 });
    // Each call answers only for itself.
    expect(stranger.problems).toHaveLength(2);
  });

  it('hands out its edit history as a copy', () => {
    const history = Object.freeze(['90', '100']);
    const { view } = presentPost(testPost('100', '10', { editRootId: '90' }), selectionFrom({}), { now: NOW, viewerId: null, editHistory: history, section: 'data' });
    expect(view.edit_history_tweet_ids).toEqual(['90', '100']);
    expect(view.edit_history_tweet_ids).not.toBe(history);
  });

  it('renames keys for 2.167 clients into a new object', () => {
    const classic = { id: '1', referenced_tweets: [], public_metrics: { retweet_count: 2, like_count: 1 } };
    const modern = postForGeneration(classic, 'modern');
    expect(modern).toEqual({ id: '1', referenced_posts: [], public_metrics: { repost_count: 2, like_count: 1 } });
    expect(classic.public_metrics).toEqual({ retweet_count: 2, like_count: 1 });
  });
});

describe('presentPostPage', () => {
  const posts = [
    testPost('100', '10', { quotedPostId: '200', entities: { mentions: [{ start: 0, end: 7, username: 'USER11' }, { start: 8, end: 15, username: 'user12' }] } }),
    testPost('101', '10', { quotedPostId: '200', inReplyToPostId: '201', inReplyToUserId: '11' }),
    testPost('102', '12'),
    testPost('200', '11'),
    testPost('201', '12'),
  ];

  it('dedupes includes, orders problems (data, then includes, then fields) and changes nothing it reads', () => {
    const s = stateOf(posts);
    const before = snapshot(s);
    const sel = selectionFrom({
      expansions: ['author_id', 'in_reply_to_user_id', 'entities.mentions.username', 'referenced_tweets.id', 'referenced_tweets.id.author_id'],
      'tweet.fields': ['non_public_metrics'],
    });
    const rules = judgePostPage({ userId: '11' }, s, ['100', '102', '101'], true);
    const page = presentPostPage(s, rules, sel, { now: NOW, viewerId: '11' }, { parameter: 'ids' });

    expect(page.data.map((p) => p.id)).toEqual(['100', '101']);
    // Each user once, in first-reference order; the suspended author and mentioned user never.
    expect(page.includes?.users?.map((u) => u.id)).toEqual(['10', '11']);
    expect(page.includes?.tweets?.map((t) => t.id)).toEqual(['200']);
    expect(page.errors?.map((e) => [e.title, e.resource_id, e.section ?? null])).toEqual([
      ['Not Found Error', '102', null],
      ['Not Found Error', '201', 'includes'],
      ['Field Authorization Error', '100', 'data'],
      ['Field Authorization Error', '101', 'data'],
    ]);
    expect(snapshot(s)).toEqual(before);
  });

  it('answers in the generation asked and leaves lists without a parameter silent', () => {
    const s = stateOf(posts);
    const sel = selectionFrom({ expansions: ['referenced_posts'] });
    const page = presentPostPage(s, judgePostPage({ userId: null }, s, ['101', '102'], true), sel, { now: NOW, viewerId: null }, { parameter: null });
    expect(Object.keys(page.includes ?? {})).toEqual(['posts']);
    expect(page.errors?.map((e) => e.resource_id)).toEqual(['201']);
  });

  it('includes earlier versions of edited posts, oldest first, live ones only', () => {
    const chain = [testPost('90', '10', { editCount: 2 }), testPost('95', '10', { editRootId: '90', deleted: true }), testPost('100', '10', { editRootId: '90' })];
    const s = { ...stateOf(chain), editChains: new Map([['90', ['90', '95', '100']]]) };
    const page = presentPostPage(s, judgePostPage({ userId: null }, s, ['100'], false), selectionFrom({ expansions: ['edit_history_tweet_ids'] }), { now: NOW, viewerId: null }, { parameter: 'id' });
    expect(page.data[0]!.edit_history_tweet_ids).toEqual(['90', '95', '100']);
    expect(page.includes?.tweets?.map((t) => t.id)).toEqual(['90']);
  });
});

describe('presentUserPage', () => {
  it('connection status from the relations, pinned posts in includes, hidden ones named by their expansion', () => {
    const users = [testUser('10', { pinnedPostId: '300', mostRecentPostId: '300' }), testUser('11', { protected: true, pinnedPostId: '301' }), testUser('12', { suspended: true })];
    const s = stateOf([testPost('300', '10'), testPost('301', '11')], users);
    s.relations.follows.add(followKey('10', '1'));
    const before = snapshot(s);
    const sel = selectionFrom({ expansions: ['pinned_post_id', 'most_recent_tweet_id'], 'user.fields': ['connection_status'] });
    const judged = judgeUserPage(['10', '11', '12'].map((id) => ({ key: id, user: s.users.get(id) })));
    const links = postLinks(sel, judged.shown);
    const rules = judgePostPage({ userId: '1' }, s, links.map((l) => l.id), false);
    const page = presentUserPage(s, judged, { links, rules }, sel, { now: NOW, viewerId: '1' }, { parameter: 'ids' });

    expect(page.data.map((u) => [u.id, u.connection_status])).toEqual([
      ['10', ['followed_by']],
      ['11', []],
    ]);
    expect(page.includes).toEqual({ posts: [expect.objectContaining({ id: '300' })] });
    expect(page.errors?.map((e) => [e.title, e.resource_id, e.parameter])).toEqual([
      ['Forbidden', '12', 'ids'],
      ['Authorization Error', '301', 'pinned_post_id'],
    ]);
    expect(snapshot(s)).toEqual(before);
  });
});
