import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, NotesTable } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { byIdSet, inChunks } from './batch.js';
import { OUTSIDE_CLOSED_COMMUNITIES } from './communities.js';
import { pageIds, type IdPageQuery } from './edges.js';
import { json, num, str } from './rows.js';

export type Bucket = 'high' | 'medium' | 'low';

/** What the note evaluator concluded when the note was written. */
export interface NoteEvaluation {
  urlValidity: Bucket;
  harassmentAbuse: Bucket;
  claimOpinion: Bucket;
  claimOpinionScore: number;
}

export interface NoteRow extends NoteEvaluation {
  id: string;
  authorId: string;
  postId: string;
  testMode: boolean;
  text: string;
  classification: string;
  misleadingTags: string[];
  trustworthySources: boolean;
  isMediaNote: boolean;
  createdAt: number;
}

/** A post people asked a note for, as eligibility needs it. */
export interface RequestedPost {
  postId: string;
  requests: number;
  impressions: number;
  lang: string;
}

/** A post requesters suggested as a source for a note, and how many suggested it. */
export interface SuggestedSource {
  postId: string;
  count: number;
}

export interface NoteRequestRow {
  postId: string;
  userId: string;
  at: number;
  sourcePostId: string | null;
}

/** Community Notes: the notes writers propose and the requests people make for notes on posts. */
export class Notes {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  private row(r: Selectable<NotesTable>): NoteRow {
    return {
      id: str(r.id),
      authorId: str(r.author_id),
      postId: str(r.post_id),
      testMode: num(r.test_mode) === 1,
      text: r.text,
      classification: r.classification,
      misleadingTags: json<string[]>(r.misleading_tags) ?? [],
      trustworthySources: num(r.trustworthy_sources) === 1,
      isMediaNote: num(r.is_media_note) === 1,
      createdAt: num(r.created_at),
      urlValidity: r.url_validity as Bucket,
      harassmentAbuse: r.harassment_abuse as Bucket,
      claimOpinion: r.claim_opinion as Bucket,
      claimOpinionScore: num(r.claim_opinion_score),
    };
  }

  async insert(n: NoteRow): Promise<void> {
    await this.db
      .insertInto('notes')
      .values({
        id: this.d.idParam(n.id),
        author_id: this.d.idParam(n.authorId),
        post_id: this.d.idParam(n.postId),
        test_mode: n.testMode ? 1 : 0,
        text: n.text,
        classification: n.classification,
        misleading_tags: JSON.stringify(n.misleadingTags),
        trustworthy_sources: n.trustworthySources ? 1 : 0,
        is_media_note: n.isMediaNote ? 1 : 0,
        created_at: n.createdAt,
        url_validity: n.urlValidity,
        harassment_abuse: n.harassmentAbuse,
        claim_opinion: n.claimOpinion,
        claim_opinion_score: n.claimOpinionScore,
      })
      .execute();
  }

  byIds(ids: readonly string[]): Promise<Map<string, NoteRow>> {
    return byIdSet(this.d, ids, (want) => this.db.selectFrom('notes').selectAll().where('id', 'in', want).execute(), (r) => this.row(r));
  }

  /** The writer's note on a post, if any (one per writer and post). */
  async byAuthorAndPost(authorId: string, postId: string): Promise<NoteRow | undefined> {
    const r = await this.db.selectFrom('notes').selectAll().where('author_id', '=', this.d.idParam(authorId)).where('post_id', '=', this.d.idParam(postId)).executeTakeFirst();
    return r && this.row(r);
  }

  /** The writer's newest notes of one mode, newest first. */
  async newest(authorId: string, testMode: boolean, limit: number): Promise<NoteRow[]> {
    const rows = await this.db
      .selectFrom('notes')
      .selectAll()
      .where('author_id', '=', this.d.idParam(authorId))
      .where('test_mode', '=', testMode ? 1 : 0)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => this.row(r));
  }

  /** Ids of the writer's notes of one mode, a keyset page by id. */
  pageIds(authorId: string, testMode: boolean, w: IdPageQuery): Promise<string[]> {
    return pageIds(this.db, this.d, 'notes', sql`author_id = ${this.d.idParam(authorId)} and test_mode = ${testMode ? 1 : 0}`, w);
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('notes').where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async insertRequests(rows: readonly NoteRequestRow[]): Promise<void> {
    await inChunks(this.d, rows, 4, (slice) =>
      this.db
        .insertInto('note_requests')
        .values(
          slice.map((q) => ({
            post_id: this.d.idParam(q.postId),
            user_id: this.d.idParam(q.userId),
            created_at: q.at,
            source_post_id: q.sourcePostId === null ? null : this.d.idParam(q.sourcePostId),
          })),
        )
        .execute(),
    );
  }

  /** One request; a second from the same person on the same post is ignored. */
  async addRequest(q: NoteRequestRow): Promise<void> {
    await this.db
      .insertInto('note_requests')
      .values({ post_id: this.d.idParam(q.postId), user_id: this.d.idParam(q.userId), created_at: q.at, source_post_id: q.sourcePostId === null ? null : this.d.idParam(q.sourcePostId) })
      .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
      .execute();
  }

  async requestCount(postId: string): Promise<number> {
    const r = await this.db.selectFrom('note_requests').select((e) => e.fn.countAll().as('n')).where('post_id', '=', this.d.idParam(postId)).executeTakeFirst();
    return num(r?.n ?? 0);
  }

  /**
   * Live, current, original posts by accounts neither protected nor suspended, outside Closed Communities (members-
   * only posts), that people asked a note for,
   * with how many asked and the post's impressions; newest first.
   */
  async requestedPosts(): Promise<RequestedPost[]> {
    const rows = await this.db
      .selectFrom('note_requests as q')
      .innerJoin('posts as p', 'p.id', 'q.post_id')
      .innerJoin('users as u', 'u.id', 'p.author_id')
      .select(['p.id', 'p.impression_count', 'p.lang', (e) => e.fn.countAll().as('n')])
      .where('p.deleted', '=', 0)
      .where('p.superseded', '=', 0)
      .where('p.reposted_post_id', 'is', null)
      .where('u.protected', '=', 0)
      .where('u.suspended', '=', 0)
      .where(sql<boolean>`${sql.raw(OUTSIDE_CLOSED_COMMUNITIES)}`)
      .groupBy(['p.id', 'p.impression_count', 'p.lang'])
      .orderBy('p.id', 'desc')
      .execute();
    return rows.map((r) => ({ postId: str(r.id), requests: num(r.n), impressions: num(r.impression_count), lang: r.lang }));
  }

  /** The posts requesters suggested as sources, per requested post: each with how many suggested it, most first. */
  async suggestedSources(postIds: readonly string[]): Promise<Map<string, SuggestedSource[]>> {
    const out = new Map<string, SuggestedSource[]>();
    if (!postIds.length) return out;
    const rows = await this.db
      .selectFrom('note_requests')
      .select(['post_id', 'source_post_id', (e) => e.fn.countAll().as('n')])
      .where('post_id', 'in', postIds.map((i) => this.d.idParam(i)))
      .where('source_post_id', 'is not', null)
      .groupBy(['post_id', 'source_post_id'])
      .execute();
    for (const r of rows) {
      const list = out.get(str(r.post_id)) ?? [];
      list.push({ postId: str(r.source_post_id), count: num(r.n) });
      out.set(str(r.post_id), list);
    }
    for (const list of out.values()) list.sort((a, b) => b.count - a.count || (BigInt(a.postId) < BigInt(b.postId) ? -1 : 1));
    return out;
  }
}
