import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../events/bus.js';
import { parseQuery } from '../query/index.js';
import { RuleSet } from './rule-index.js';
import { complianceMessage, disconnectLine, likeAsk, likedPostExpansions, likeLine, postHead, postLine, type Like } from './views.js';

const P = 'https://api.twitter.com/2/problems/';
const AT = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const ISO = '2025-01-02T03:04:05.678Z';

/** One frame: a single JSON object ending in the only `\r\n`. */
function frame(line: string): unknown {
  expect(line.endsWith('\r\n')).toBe(true);
  expect(line.indexOf('\r\n')).toBe(line.length - 2);
  return JSON.parse(line);
}

function rules(...specs: [string, string | null][]) {
  return new RuleSet(
    specs.map(([id, tag]) => {
      const p = parseQuery('cat', { product: 'stream' });
      if (!p.ok) throw new Error(p.messages.join('; '));
      return { id, tag, value: 'cat', ast: p.ast };
    }),
  ).rules;
}

describe('error lines', () => {
  it('shutdown and force disconnects carry their disconnect_type', () => {
    expect(frame(disconnectLine('shutdown'))).toEqual({
      errors: [
        {
          title: 'operational-disconnect',
          disconnect_type: 'UpstreamOperationalDisconnect',
          detail: 'This stream has been disconnected upstream for operational reasons.',
          type: `${P}operational-disconnect`,
        },
      ],
    });
    expect(frame(disconnectLine('force'))).toMatchObject({
      errors: [{ disconnect_type: 'ForceDisconnect', detail: 'This stream has been disconnected by a request to the Connections API.' }],
    });
  });
});

describe('post lines', () => {
  const rendered = {
    data: [{ id: '10', text: 'a cat' }],
    includes: { users: [{ id: '1', username: 'u' }] },
    errors: [{ title: 'Not Found Error', type: `${P}resource-not-found`, detail: 'x' }],
  };

  it('a post that did not render has no line', () => {
    expect(postHead({ data: [] })).toBeNull();
  });

  it('one head closes into a sample line and into filtered lines with their own matching_rules', () => {
    const head = postHead(rendered)!;
    // A stream line carries one post: data is the object, not a list.
    const line = { data: rendered.data[0], includes: rendered.includes, errors: rendered.errors };
    expect(frame(postLine(head, null))).toEqual(line);
    const [a, b] = rules(['1', 'cats'], ['2', null]);
    expect(frame(postLine(head, [a!, b!]))).toEqual({
      ...line,
      // A rule without a tag is reported with an empty one, as X does.
      matching_rules: [{ id: '1', tag: 'cats' }, { id: '2', tag: '' }],
    });
    expect(frame(postLine(head, [b!]))).toMatchObject({ matching_rules: [{ id: '2', tag: '' }] });
  });

  it('includes and errors appear only when the render has them, after data', () => {
    const line = postLine(postHead({ data: [{ id: '10' }] })!, null);
    expect(line).toBe('{"data":{"id":"10"}}\r\n');
    expect(Object.keys(frame(postLine(postHead(rendered)!, rules(['1', null]))) as object)).toEqual(['data', 'includes', 'errors', 'matching_rules']);
  });
});

describe('like lines', () => {
  const like: Like = { id: 'abc', at: AT, post: { id: '10', authorId: '1', mediaKeys: ['3_5'] } };

  it('parses field and expansion lists given as arrays or comma-separated strings', () => {
    const ask = likeAsk({ 'like_with_tweet_author.fields': 'timestamp_ms,attachments_media_keys', expansions: ['liked_tweet_id'] });
    expect([...ask.fields]).toEqual(['timestamp_ms', 'attachments_media_keys']);
    expect([...ask.expansions]).toEqual(['liked_tweet_id']);
    expect(likeAsk({}).fields.size).toBe(0);
  });

  it('the liked post is rendered only when some expansion is asked, with the post expansions it needs', () => {
    expect(likedPostExpansions(likeAsk({}))).toBeNull();
    expect([...likedPostExpansions(likeAsk({ expansions: 'liked_tweet_id' }))!]).toEqual([]);
    expect([...likedPostExpansions(likeAsk({ expansions: 'liked_tweet_author_id,attachments.media_keys' }))!]).toEqual([
      'author_id',
      'attachments.media_keys',
    ]);
  });

  it('default fields only, unless more are asked', () => {
    expect(frame(likeLine(like, likeAsk({}), 'classic', null))).toEqual({
      data: { id: 'abc', created_at: ISO, liked_tweet_id: '10', tweet_author_id: '1' },
    });
    const ask = likeAsk({ 'like_with_tweet_author.fields': 'timestamp_ms,attachments_media_keys' });
    expect(frame(likeLine(like, ask, 'classic', null))).toEqual({
      data: { id: 'abc', created_at: ISO, liked_tweet_id: '10', tweet_author_id: '1', timestamp_ms: AT, attachments: { media_keys: ['3_5'] } },
    });
    // No attachments object for a post without media.
    expect(frame(likeLine({ ...like, post: { ...like.post, mediaKeys: null } }, ask, 'classic', null))).not.toHaveProperty('data.attachments');
  });

  it('includes: the liked post under the generation’s name, its author and media; none when nothing applies', () => {
    const liked = { data: [{ id: '10' }], includes: { users: [{ id: '1' }], media: [{ media_key: '3_5' }], places: [{ id: 'p' }] } };
    const ask = likeAsk({ expansions: 'liked_tweet_id,liked_tweet_author_id' });
    expect(frame(likeLine(like, ask, 'classic', liked))).toMatchObject({
      includes: { tweets: [{ id: '10' }], users: [{ id: '1' }], media: [{ media_key: '3_5' }] },
    });
    expect(frame(likeLine(like, ask, 'modern', liked))).toHaveProperty('includes.posts', [{ id: '10' }]);
    expect(frame(likeLine(like, likeAsk({ expansions: 'liked_tweet_author_id' }), 'classic', { data: [{ id: '10' }] }))).not.toHaveProperty('includes');
  });
});

describe('compliance and label lines', () => {
  const at = AT;
  const msg = (e: DomainEvent, edit = null as Parameters<typeof complianceMessage>[1]) => {
    const m = complianceMessage(e, edit);
    return m && { kind: m.kind, partitionKey: m.partitionKey, body: frame(m.line) };
  };

  it('post deletes, un-reposts and withholdings go to the posts compliance stream', () => {
    expect(msg({ type: 'post.deleted', postId: '10', authorId: '1', at })).toEqual({
      kind: 'tweets_compliance',
      partitionKey: '10',
      body: { data: { delete: { tweet: { id: '10', author_id: '1' }, event_at: ISO } } },
    });
    // The repost is the deleted post, owned by the user who un-reposted.
    expect(msg({ type: 'repost.deleted', userId: '2', postId: '10', repostId: '11', at })).toMatchObject({
      partitionKey: '11',
      body: { data: { delete: { tweet: { id: '11', author_id: '2' } } } },
    });
    expect(msg({ type: 'post.withheld', postId: '10', authorId: '1', countries: ['DE'], at })?.body).toEqual({
      data: { withheld: { tweet: { id: '10', author_id: '1' }, withheld_in_countries: ['DE'], event_at: ISO } },
    });
  });

  it('an edit needs its chain: without it (the post is gone) there is no line', () => {
    const e: DomainEvent = { type: 'post.edited', postId: '12', previousId: '10', authorId: '1', at };
    expect(msg(e)).toBeNull();
    expect(msg(e, { initialId: '10', ids: ['10', '12'] })?.body).toEqual({
      data: { tweet_edit: { tweet: { id: '12' }, event_at: ISO, initial_tweet_id: '10', edit_tweet_ids: ['10', '12'] } },
    });
  });

  it('labels: notices with their optional fields, unviewable', () => {
    const base = { type: 'post.labeled' as const, postId: '10', authorId: '1', application: 'apply' as const, at };
    expect(msg({ ...base, label: 'notice' })).toEqual({
      kind: 'labels',
      partitionKey: '10',
      body: { data: { public_tweet_notice: { tweet: { id: '10', author_id: '1' }, event_type: 'misleading', event_at: ISO, application: 'apply' } } },
    });
    expect(msg({ ...base, label: 'notice', eventType: 'other', details: 'd', labelTitle: 't', url: 'https://x' })?.body).toEqual({
      data: {
        public_tweet_notice: {
          tweet: { id: '10', author_id: '1' },
          event_type: 'other',
          event_at: ISO,
          application: 'apply',
          details: 'd',
          label_title: 't',
          extended_details_url: 'https://x',
        },
      },
    });
    expect(msg({ ...base, label: 'unviewable', application: 'remove' })?.body).toEqual({
      data: { public_tweet_unviewable: { tweet: { id: '10', author_id: '1' }, event_at: ISO, application: 'remove' } },
    });
  });

  it('unlikes and user events', () => {
    expect(msg({ type: 'like.deleted', userId: '2', postId: '10', at })).toEqual({
      kind: 'likes_compliance',
      partitionKey: '10',
      body: { data: { delete: { favorite: { id: '10', user_id: '2' }, event_at: ISO } } },
    });
    expect(msg({ type: 'user.suspended', userId: '2', at })).toEqual({
      kind: 'users_compliance',
      partitionKey: '2',
      body: { data: { user_suspend: { user: { id: '2' }, event_at: ISO } } },
    });
    expect(msg({ type: 'user.undeleted', userId: '2', at })?.body).toHaveProperty('data.user_undelete');
    expect(msg({ type: 'user.withheld', userId: '2', countries: ['FR'], at })?.body).toEqual({
      data: { user_withheld: { user: { id: '2' }, withheld_in_countries: ['FR'], event_at: ISO } },
    });
    expect(msg({ type: 'user.profile.updated', userId: '2', field: 'description', value: 'hi', at })?.body).toEqual({
      data: { user_profile_modification: { user: { id: '2' }, profile_field: 'description', new_value: 'hi', event_at: ISO } },
    });
  });

  it('events the compliance streams do not carry have no line', () => {
    expect(msg({ type: 'post.created', postId: '10', authorId: '1', at })).toBeNull();
    expect(msg({ type: 'follow.created', followerId: '1', followeeId: '2', at })).toBeNull();
  });
});
