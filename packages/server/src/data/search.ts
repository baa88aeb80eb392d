/**
 * Search storage: keeps the full-text documents of posts (search/doc.ts) and runs compiled queries
 * (search/sql.ts). Posts are indexed in the same statement batch that writes them (data/posts.ts insertMany), so
 * a post is searchable as soon as its transaction commits.
 */
import { OUTSIDE_CLOSED_COMMUNITIES } from './communities.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Node } from '../query/ast.js';
import type { Dialect } from '../db/dialect.js';
import { runnerFor, type ReadFn, type RunFn } from '../db/connect.js';
import { buildSearchDoc, type SearchDoc } from '../search/doc.js';
import { SearchCompiler, type Cond, type Plan, type PlanScope } from '../search/sql.js';
import type { MediaRow, PostRow } from './rows.js';
import { Attachments } from './attachments.js';
import { postFromDb } from './posts.js';
import { insertRows } from './batch.js';

/** Loads what documents need beyond the rows (places, media types) and writes documents for these posts. */
export async function indexPosts(db: Kysely<Database>, d: Dialect, posts: readonly PostRow[], run: RunFn = runnerFor({ db })): Promise<void> {
  if (posts.length === 0) return;
  const placeIds = [...new Set(posts.map((p) => p.placeId).filter((x): x is string => x !== null))];
  const places = await new Attachments(db, d).placesByIds(placeIds);
  const keys = [...new Set(posts.flatMap((p) => p.mediaKeys ?? []))];
  const mediaTypes = new Map<string, MediaRow['type']>();
  const keyChunk = Math.max(1, d.maxParams - 10);
  for (let i = 0; i < keys.length; i += keyChunk) {
    const rows = await db.selectFrom('media').select(['media_key', 'type']).where('media_key', 'in', keys.slice(i, i + keyChunk)).execute();
    for (const r of rows) mediaTypes.set(r.media_key, r.type as MediaRow['type']);
  }
  const docs: { id: string; doc: SearchDoc }[] = posts.map((p) => ({
    id: p.id,
    doc: buildSearchDoc(p, {
      place: p.placeId !== null ? places.get(p.placeId) ?? null : null,
      media: (p.mediaKeys ?? []).flatMap((k) => {
        const type = mediaTypes.get(k);
        return type ? [{ type }] : [];
      }),
    }),
  }));
  const values = searchDocValues(d, docs);
  await writeSearchDocValues(d, run, values);
}

/** The geo rows' insert (hand-written: write path, bulk loads). */
export const GEO_INSERT = { head: 'insert into post_geo (post_id, lon, lat, west, south, east, north)', row: '(?, ?, ?, ?, ?, ?, ?)' } as const;

/** What writing built documents binds: the documents' values (the dialect's `docRow`) and the geo rows' (GEO_INSERT). */
export interface SearchDocValues {
  docs: unknown[];
  geo: unknown[];
}

/** Appends the bound values of built documents (and of their geo rows) to `out`. */
export function searchDocValues(d: Dialect, docs: readonly { id: string; doc: SearchDoc }[], out: SearchDocValues = { docs: [], geo: [] }): SearchDocValues {
  for (const { id, doc } of docs) {
    out.docs.push(...d.search.docParams(id, doc.tokens));
    const g = doc.geo;
    if (g) out.geo.push(d.idParam(id), g.lon, g.lat, g.bbox?.[0] ?? null, g.bbox?.[1] ?? null, g.bbox?.[2] ?? null, g.bbox?.[3] ?? null);
  }
  return out;
}

/** Writes documents given as `searchDocValues`: hand-written statements, no query builder on the write path. */
export async function writeSearchDocValues(d: Dialect, run: RunFn, values: SearchDocValues): Promise<void> {
  await insertRows(d, run, d.search.docInsert, d.search.docRow, values.docs, d.search.docsPerStatement);
  await insertRows(d, run, GEO_INSERT.head, GEO_INSERT.row, values.geo);
}

export interface ReindexOptions {
  /** Posts per batch (each batch is one transaction). */
  batch?: number;
  /** Called after each batch with the number of posts indexed so far. */
  onProgress?: (indexed: number) => void;
}

/**
 * Rebuilds the search documents (and geo rows) of every stored post with the current indexing code, in id order
 * and in batches, each batch replacing its posts' documents in one transaction — so search keeps answering while
 * it runs and an interrupted run can simply be started again. Documents whose post no longer exists are removed
 * at the end. Returns the number of posts indexed.
 */
export async function reindexPosts(db: Kysely<Database>, d: Dialect, opts: ReindexOptions = {}): Promise<number> {
  const batch = Math.max(1, Math.min(opts.batch ?? 2000, Math.floor(d.maxParams / 2)));
  let after: string | null = null;
  let indexed = 0;
  for (;;) {
    let q = db.selectFrom('posts').selectAll().orderBy('id').limit(batch);
    if (after !== null) q = q.where('id', '>', d.idParam(after));
    const posts = (await q.execute()).map(postFromDb);
    if (posts.length === 0) break;
    const ids = posts.map((p) => p.id);
    await db.transaction().execute(async (trx) => {
      await d.search.deleteDocs(ids).execute(trx);
      await trx.deleteFrom('post_geo').where('post_id', 'in', ids.map((i) => d.idParam(i))).execute();
      await indexPosts(trx, d, posts);
    });
    indexed += posts.length;
    after = ids[ids.length - 1]!;
    opts.onProgress?.(indexed);
  }
  await d.search.deleteOrphans.execute(db);
  await db.deleteFrom('post_geo').where('post_id', 'not in', db.selectFrom('posts').select('id')).execute();
  return indexed;
}

export type SearchOrder = 'recency' | 'relevancy';

export interface SearchIdsQuery extends PlanScope {
  /** Exclusive id bounds. */
  after?: string;
  before?: string;
  limit: number;
  order: SearchOrder;
  /** Rows to skip (relevancy pages). */
  offset?: number;
  /**
   * `public` (default): live, current versions by authors who are neither suspended nor protected, not posted in a
   * Closed Community — what search shows (pipeline/rules.ts: only its members may read those). `all`: every stored
   * post (the differential test compares the bare predicate).
   */
  visibility?: 'public' | 'all';
}

export interface CountsQuery extends PlanScope {
  after?: string;
  before?: string;
  /** created_at range [startMs, endMs); bucket i covers [originMs + i·bucketMs, originMs + (i+1)·bucketMs). */
  startMs: number;
  endMs: number;
  originMs: number;
  bucketMs: number;
}

/** What search shows: live, current versions by authors neither suspended nor protected, outside Closed Communities. */
const PUBLIC_POSTS = `p.deleted = 0 and p.superseded = 0 and a.suspended = 0 and a.protected = 0 and ${OUTSIDE_CLOSED_COMMUNITIES}`;

/** Walk an author's own posts (checking the text per post) when they have at most this many. */
const AUTHOR_WALK_MAX = 1000;

/** The engagement score relevancy orders by (ties: newest first). */
const RELEVANCY = '(p.like_count + 2 * p.retweet_count + p.reply_count + p.quote_count)';

export class Search {
  private readonly compiler: SearchCompiler;

  constructor(
    private readonly d: Dialect,
    private readonly read: ReadFn,
  ) {
    this.compiler = new SearchCompiler(d);
  }

  plan(ast: Node, scope: PlanScope = {}): Plan {
    return this.compiler.plan(ast, scope);
  }

  /** Ids of matching posts, newest first (or by relevancy). */
  async ids(ast: Node, q: SearchIdsQuery): Promise<string[]> {
    const plan = this.compiler.plan(ast, q);
    if (plan.never || q.limit <= 0) return [];
    if (plan.union && q.order === 'recency') {
      // Each branch's newest `limit` within the window, merged: the union's newest `limit` are among them.
      const pages = await Promise.all(plan.union.map((b) => this.run(b, q)));
      const merged = [...new Set(pages.flat())].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0));
      return merged.slice(0, q.limit);
    }
    return this.run(plan, q);
  }

  private async run(plan0: Plan, q: SearchIdsQuery): Promise<string[]> {
    let plan = plan0;
    if (plan.author && plan.driver !== null) {
      const walk = await this.authorWalk(plan);
      if (walk === null) return [];
      plan = walk;
    }
    const { from, idCol, where } = this.base(plan, q.after, q.before, q.visibility ?? 'public');
    const params = where.params;
    let order: string;
    if (q.order === 'relevancy') {
      order = `order by ${RELEVANCY} desc, p.id desc limit ? offset ?`;
      params.push(q.limit, q.offset ?? 0);
    } else {
      order = `order by ${idCol} desc limit ?`;
      params.push(q.limit);
    }
    const text = `select ${this.d.search.selectId} from ${from} where ${where.sql} ${order}`;
    const rows = await this.read<{ id: string }>(this.d.numbered(text), params);
    return rows.map((r) => String(r.id));
  }

  /** Matching posts per bucket (only non-empty buckets). */
  async counts(ast: Node, q: CountsQuery): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const plan = this.compiler.plan(ast, q);
    if (plan.never) return out;
    const { from, where } = this.base(plan, q.after, q.before, 'public');
    const text =
      `select (p.created_at - cast(? as bigint)) / cast(? as bigint) as b, count(*) as n from ${from} where ${where.sql} ` +
      `and p.created_at >= ? and p.created_at < ? group by b`;
    const params = [q.originMs, q.bucketMs, ...where.params, q.startMs, q.endMs];
    const rows = await this.read<{ b: number | string; n: number | string }>(this.d.numbered(text), params);
    for (const r of rows) out.set(Number(r.b), Number(r.n));
    return out;
  }

  /**
   * `from:x <text>`: the index walks every post with the text until it finds x's; when x has few posts, walking
   * x's posts (author index, newest first) and checking the text per post is cheaper. Null: no such user.
   */
  private async authorWalk(plan: Plan): Promise<Plan | null> {
    const ref = plan.author!;
    const rows =
      ref.type === 'id'
        ? await this.read<{ id: string; n: number | string }>(this.d.numbered(`select ${this.d.textId('id')}, tweet_count as n from users where id = ?`), [this.d.idParam(ref.id)])
        : await this.read<{ id: string; n: number | string }>(this.d.numbered(`select ${this.d.textId('id')}, tweet_count as n from users where username_lower = ?`), [ref.username]);
    const user = rows[0];
    if (!user) return null;
    if (Number(user.n) > AUTHOR_WALK_MAX) return plan;
    const conds: Cond[] = [
      { sql: 'p.author_id = ?', params: [this.d.idParam(String(user.id))] },
      { sql: this.d.search.rowMatch, params: [plan.driver] },
    ];
    if (plan.cond) conds.push(plan.cond);
    return { never: false, driver: null, cond: { sql: conds.map((c) => `(${c.sql})`).join(' and '), params: conds.flatMap((c) => c.params) } };
  }

  private base(plan: Plan, after: string | undefined, before: string | undefined, visibility: 'public' | 'all') {
    const conds: Cond[] = [];
    let from: string;
    let idCol: string;
    if (plan.driver !== null) {
      from = this.d.search.driverFrom;
      idCol = this.d.search.driverId;
      conds.push({ sql: this.d.search.driverMatch, params: [plan.driver] });
    } else {
      from = this.d.search.scanFrom;
      idCol = 'p.id';
    }
    if (after !== undefined) conds.push({ sql: `${idCol} > ?`, params: [this.d.idParam(after)] });
    if (before !== undefined) conds.push({ sql: `${idCol} < ?`, params: [this.d.idParam(before)] });
    if (visibility === 'public') {
      conds.push({ sql: PUBLIC_POSTS, params: [] });
    }
    if (plan.cond) conds.push(plan.cond);
    if (conds.length === 0) conds.push({ sql: '1=1', params: [] });
    return {
      from,
      idCol,
      where: { sql: conds.map((c) => `(${c.sql})`).join(' and '), params: conds.flatMap((c) => c.params) },
    };
  }

}
