/**
 * Rows written in bulk from their bound values (a bulk load: the seed, seed/world.ts). The seed composes a world's
 * posts in a worker thread, and what crosses to the writing thread is each table's values, flat, as the aggregate
 * modules make them for their own inserts (`postValues`, `searchDocValues`, `mediaValues`, …) — one value list per
 * table and batch instead of an object per row. Each table is written with its module's own statement (POST_INSERT,
 * the dialect's search document row, MEDIA_INSERT, …), in fixed-size multi-row statements (data/batch.ts).
 */
import type { RunFn } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';
import { insertRows } from './batch.js';
import { POST_INSERT } from './posts.js';
import { writeSearchDocValues, type SearchDocValues } from './search.js';
import { MEDIA_INSERT, POLL_INSERT } from './attachments.js';
import { MENTION_INSERT } from './mentions.js';
import { FOLLOW_INSERT, LIKE_INSERT } from './edges.js';

export class BulkRows {
  constructor(
    private readonly d: Dialect,
    private readonly run: RunFn,
  ) {}

  /** Values of `postValues`. The posts' search documents are written by `searchDocs`. */
  posts(values: readonly unknown[]): Promise<void> {
    return insertRows(this.d, this.run, POST_INSERT.head, POST_INSERT.row, values);
  }

  searchDocs(values: SearchDocValues): Promise<void> {
    return writeSearchDocValues(this.d, this.run, values);
  }

  media(values: readonly unknown[]): Promise<void> {
    return insertRows(this.d, this.run, MEDIA_INSERT.head, MEDIA_INSERT.row, values);
  }

  polls(values: readonly unknown[]): Promise<void> {
    return insertRows(this.d, this.run, POLL_INSERT.head, POLL_INSERT.row, values);
  }

  /** (mentioned user, post) pairs. */
  mentions(values: readonly unknown[]): Promise<void> {
    return insertRows(this.d, this.run, MENTION_INSERT.head, MENTION_INSERT.row, values);
  }

  /** (follower, followee, at) triples. */
  follows(values: readonly unknown[]): Promise<void> {
    return insertRows(this.d, this.run, FOLLOW_INSERT.head, FOLLOW_INSERT.row, values);
  }

  /** (user, post, at) triples. */
  likes(values: readonly unknown[]): Promise<void> {
    return insertRows(this.d, this.run, LIKE_INSERT.head, LIKE_INSERT.row, values);
  }
}
