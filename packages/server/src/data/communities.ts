import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { CommunitiesTable, Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { num, str } from './rows.js';

export interface CommunityRow {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  /** `Public` or `Closed`. */
  access: string;
  /** `Open` or `RestrictedJoinRequestsRequireModeratorApproval`. */
  joinPolicy: string;
  creatorId: string;
  memberCount: number;
}

export interface MemberRow {
  communityId: string;
  userId: string;
  role: 'admin' | 'moderator' | 'member';
  at: number;
}

/**
 * Which Community posts a query may return (pipeline/rules.ts `communityScope`): posts outside Communities and in
 * Public ones always; a Closed Community's posts only to its members and their author (`readerId` null: app-only).
 */
export interface CommunityScope {
  readerId: string | null;
}

/**
 * SQL condition on posts aliased `p`: not posted in a Closed Community. Such posts are for members only
 * (pipeline/rules.ts), so what shows public content only — search, counts, trends — leaves them out. The column is
 * null for every post outside a Community, so the subquery is consulted only for Community posts.
 */
export const OUTSIDE_CLOSED_COMMUNITIES = outsideClosed('p.community_id');

function outsideClosed(column: string): string {
  return `(${column} is null or ${column} not in (select c.id from communities c where c.access = 'Closed'))`;
}

/**
 * The condition of a `CommunityScope` on posts (`alias`: the posts' alias in the query, '' for the bare table), with
 * `?` placeholders and their values in order.
 */
export function communityCondition(d: Dialect, scope: CommunityScope, alias: string): { sql: string; params: unknown[] } {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  if (scope.readerId === null) return { sql: outsideClosed(col('community_id')), params: [] };
  const me = d.idParam(scope.readerId);
  return {
    sql:
      `(${col('community_id')} is null or ${col('author_id')} = ? or ${col('community_id')} not in (select c.id from communities c ` +
      `where c.access = 'Closed' and not exists (select 1 from community_members cm where cm.community_id = c.id and cm.user_id = ?)))`,
    params: [me, me],
  };
}

/** The same condition for the query builder. */
export function communityFilter(d: Dialect, scope: CommunityScope, alias: string): RawBuilder<boolean> {
  const { sql: text, params } = communityCondition(d, scope, alias);
  const parts = text.split('?');
  return sql.join(
    parts.flatMap((part, i) => (i < params.length ? [sql.raw(part), sql.val(params[i])] : [sql.raw(part)])),
    sql.raw(''),
  ) as RawBuilder<boolean>;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/** Communities and who belongs to them; `member_count` is counted from the members, never stored. */
export class Communities {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  private withCounts(rows: Selectable<CommunitiesTable>[], counts: Map<string, number>): CommunityRow[] {
    return rows.map((r) => ({
      id: str(r.id),
      name: r.name,
      description: r.description,
      createdAt: num(r.created_at),
      access: r.access,
      joinPolicy: r.join_policy,
      creatorId: str(r.creator_id),
      memberCount: counts.get(str(r.id)) ?? 0,
    }));
  }

  private async counts(ids: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!ids.length) return out;
    const rows = await this.db
      .selectFrom('community_members')
      .select(['community_id', (e) => e.fn.countAll().as('n')])
      .where('community_id', 'in', ids.map((i) => this.d.idParam(i)))
      .groupBy('community_id')
      .execute();
    for (const r of rows) out.set(str(r.community_id), num(r.n));
    return out;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, CommunityRow>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('communities').selectAll().where('id', 'in', ids.map((i) => this.d.idParam(i))).execute();
    const list = this.withCounts(rows, await this.counts(rows.map((r) => str(r.id))));
    return new Map(list.map((c) => [c.id, c]));
  }

  /** Communities whose name holds every word (case-folded): most members first, then newest; a page at an offset. */
  async search(words: readonly string[], offset: number, limit: number): Promise<CommunityRow[]> {
    if (!words.length) return [];
    let q = this.db
      .selectFrom('communities as c')
      .selectAll('c')
      .select(sql<number>`(select count(*) from community_members m where m.community_id = c.id)`.as('members'));
    for (const w of words) q = q.where(sql<boolean>`c.name_lower like ${`%${escapeLike(w)}%`} escape '\\'`);
    const rows = await q.orderBy('members', 'desc').orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').offset(offset).limit(limit).execute();
    return this.withCounts(rows, new Map(rows.map((r) => [str(r.id), num(r.members)])));
  }

  /**
   * What judging posts of these Communities needs, in one query: each one's access, and whether `viewerId` (null:
   * app-only) is a member. Unknown ids are absent.
   */
  async readAccess(ids: readonly string[], viewerId: string | null): Promise<Map<string, { access: string; member: boolean }>> {
    const out = new Map<string, { access: string; member: boolean }>();
    if (!ids.length) return out;
    const wanted = ids.map((i) => this.d.idParam(i));
    if (viewerId === null) {
      const rows = await this.db.selectFrom('communities').select(['id', 'access']).where('id', 'in', wanted).execute();
      for (const r of rows) out.set(str(r.id), { access: r.access, member: false });
      return out;
    }
    const rows = await this.db
      .selectFrom('communities as c')
      .leftJoin('community_members as m', (j) => j.onRef('m.community_id', '=', 'c.id').on('m.user_id', '=', this.d.idParam(viewerId)))
      .select(['c.id', 'c.access', 'm.user_id'])
      .where('c.id', 'in', wanted)
      .execute();
    for (const r of rows) out.set(str(r.id), { access: r.access, member: r.user_id !== null });
    return out;
  }

  async isMember(communityId: string, userId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('community_members')
      .select('user_id')
      .where('community_id', '=', this.d.idParam(communityId))
      .where('user_id', '=', this.d.idParam(userId))
      .executeTakeFirst();
    return !!r;
  }

  async insert(c: Omit<CommunityRow, 'memberCount'>): Promise<void> {
    await this.db
      .insertInto('communities')
      .values({
        id: this.d.idParam(c.id),
        name: c.name,
        name_lower: c.name.toLowerCase(),
        description: c.description,
        created_at: c.createdAt,
        access: c.access,
        join_policy: c.joinPolicy,
        creator_id: this.d.idParam(c.creatorId),
      })
      .execute();
  }

  async insertMembers(rows: readonly MemberRow[]): Promise<void> {
    const chunk = Math.floor(this.d.maxParams / 4);
    for (let i = 0; i < rows.length; i += chunk) {
      await this.db
        .insertInto('community_members')
        .values(rows.slice(i, i + chunk).map((m) => ({ community_id: this.d.idParam(m.communityId), user_id: this.d.idParam(m.userId), role: m.role, created_at: m.at })))
        .execute();
    }
  }
}
