import { sql, type Kysely, type Selectable } from 'kysely';
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
