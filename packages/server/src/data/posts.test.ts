import { describe, expect, it } from 'vitest';
import { postgresDialect, sqliteDialect } from '../db/dialect.js';
import { postInsertColumns, postToDb, postValues } from './posts.js';
import type { PostRow } from './rows.js';

/** A post with every field set, so each column's value is told apart. */
const post: PostRow = {
  id: '1800000000000000001',
  authorId: '2244994945',
  text: 'hello #world',
  createdAt: 1_700_000_000_000,
  conversationId: '1800000000000000000',
  inReplyToPostId: '1799999999999999999',
  inReplyToUserId: '12',
  quotedPostId: '1799999999999999998',
  repostedPostId: null,
  editRootId: '1800000000000000001',
  editCount: 2,
  lang: 'en',
  replySettings: 'following',
  possiblySensitive: true,
  source: 'Roost',
  entities: { hashtags: [{ start: 6, end: 12, tag: 'world' }] },
  mediaKeys: ['3_1'],
  pollId: '1799999999999999997',
  placeId: 'abc',
  geoCoordinates: [1.5, 2.5],
  noteText: 'long text',
  noteEntities: { mentions: [] },
  deleted: false,
  hidden: true,
  extras: { community_id: '1799999999999999996', nullcast: true },
  retweetCount: 3,
  replyCount: 4,
  likeCount: 5,
  quoteCount: 6,
  bookmarkCount: 7,
  impressionCount: 8,
};

describe('postValues', () => {
  it.each([sqliteDialect, postgresDialect])('binds postToDb’s value of every column POST_INSERT names, in its order (%#)', (d) => {
    const row = postToDb(post, d) as Record<string, unknown>;
    const columns = postInsertColumns();
    expect(Object.keys(row)).toEqual(columns);
    expect(postValues(d, [post, post], [])).toEqual([...columns.map((c) => row[c]), ...columns.map((c) => row[c])]);
  });
});
