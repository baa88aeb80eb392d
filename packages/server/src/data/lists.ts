import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, ListsTable } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { bool, num, str, type ListRow } from './rows.js';
import { counterChanges } from './counters.js';
import { addPair, hasPair, pageIds, pageRelation, removePair, type Edge, type EdgePageQuery, type IdPageQuery, type PairShape } from './edges.js';

/**
 * Which lists a query may return by their privacy alone: public ones, and the private ones of `privateOf`.
 * The read pipeline's rules decide the scope (pipeline/rules.ts `listScope`); this module only applies it.
 */
export interface ListScope {
  privateOf: string | null;
}

export type ListCounter = 'member_count' | 'follower_count';

const MEMBERS: PairShape = { table: 'list_members', a: 'list_id', b: 'member_id' };
const FOLLOWERS: PairShape = { table: 'list_followers', a: 'follower_id', b: 'list_id' };
const PINS: PairShape = { table: 'list_pins', a: 'user_id', b: 'list_id' };

export function listFromDb(r: Selectable<ListsTable>): ListRow {
  return {
    id: str(r.id),
    ownerId: str(r.owner_id),
    name: r.name,
    description: r.description,
    private: bool(r.private),
    memberCount: num(r.member_count),
    followerCount: num(r.follower_count),
    createdAt: num(r.created_at),
  };
}

/**
 * Lists and their three relations: members (list → user), followers and pins (user → list). Edge writes report
 * whether they changed a row, so the domain changes counters only for real changes; every walk is newest first
 * by (created_at, other id), like data/edges.ts.
 */
export class Lists {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async insertMany(rows: readonly ListRow[]): Promise<void> {
    const chunk = Math.floor(this.d.maxParams / 8);
    for (let i = 0; i < rows.length; i += chunk) {
      await this.db
        .insertInto('lists')
        .values(
          rows.slice(i, i + chunk).map((l) => ({
            id: this.d.idParam(l.id),
            owner_id: this.d.idParam(l.ownerId),
            name: l.name,
            description: l.description,
            private: l.private ? 1 : 0,
            member_count: l.memberCount,
            follower_count: l.followerCount,
            created_at: l.createdAt,
          })),
        )
        .execute();
    }
  }

  async byIds(ids: readonly string[]): Promise<Map<string, ListRow>> {
    const out = new Map<string, ListRow>();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return out;
    const rows = await this.db.selectFrom('lists').selectAll().where('id', 'in', unique.map((i) => this.d.idParam(i))).execute();
    for (const r of rows) {
      const l = listFromDb(r);
      out.set(l.id, l);
    }
    return out;
  }

  /**
   * Inside a transaction: locks the list's row (PostgreSQL row lock; SQLite transactions are serial) and returns
   * it, or undefined when there is no such list. Every write that changes a list's members, followers, privacy or
   * existence takes this lock first, so they apply one after another and the counters stay exact.
   */
  async lock(id: string): Promise<ListRow | undefined> {
    const r = await this.db
      .updateTable('lists')
      .set({ member_count: sql`member_count` })
      .where('id', '=', this.d.idParam(id))
      .returningAll()
      .executeTakeFirst();
    return r && listFromDb(r);
  }

  async update(id: string, patch: Partial<Pick<ListRow, 'name' | 'description' | 'private'>>): Promise<void> {
    const set: { name?: string; description?: string; private?: number } = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.private !== undefined) set.private = patch.private ? 1 : 0;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('lists').set(set).where('id', '=', this.d.idParam(id)).execute();
  }

  /** Deletes the list with its pins, followers and members. */
  async delete(id: string): Promise<void> {
    const lid = this.d.idParam(id);
    await this.db.deleteFrom('list_pins').where('list_id', '=', lid).execute();
    await this.db.deleteFrom('list_followers').where('list_id', '=', lid).execute();
    await this.db.deleteFrom('list_members').where('list_id', '=', lid).execute();
    await this.db.deleteFrom('lists').where('id', '=', lid).execute();
  }

  /** Adds to a list's counters atomically (never below zero). */
  async adjustCounters(id: string, deltas: Partial<Record<ListCounter, number>>): Promise<void> {
    const set = counterChanges(this.d, deltas);
    if (!set) return;
    await this.db.updateTable('lists').set(set).where('id', '=', this.d.idParam(id)).execute();
  }

  async ownedCount(ownerId: string): Promise<number> {
    const r = await this.db.selectFrom('lists').select((e) => e.fn.countAll().as('n')).where('owner_id', '=', this.d.idParam(ownerId)).executeTakeFirstOrThrow();
    return num(r.n);
  }

  /** A user's lists in scope within the exclusive id window, newest first (oldest first when ascending). */
  ownedIds(ownerId: string, scope: ListScope, w: IdPageQuery): Promise<string[]> {
    const privacy = scope.privateOf === ownerId ? sql`` : sql` and private = 0`;
    return pageIds(this.db, this.d, 'lists', sql`owner_id = ${this.d.idParam(ownerId)}${privacy}`, w);
  }

  // Members
  addMember(listId: string, userId: string, at: number) {
    return addPair(this.db, this.d, MEMBERS, listId, userId, at);
  }
  removeMember(listId: string, userId: string) {
    return removePair(this.db, this.d, MEMBERS, listId, userId);
  }
  isMember(listId: string, userId: string) {
    return hasPair(this.db, this.d, MEMBERS, listId, userId);
  }
  /** Every member of a list (at most X's 5,000). */
  async memberIds(listId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('list_members').select('member_id').where('list_id', '=', this.d.idParam(listId)).execute();
    return rows.map((r) => str(r.member_id));
  }
  members(listId: string, q: EdgePageQuery): Promise<Edge[]> {
    return pageRelation(this.db, this.d, 'list_members', 'list_id', 'member_id', listId, q);
  }
  /** The lists in scope that have the user as a member, by when the user was added. */
  memberships(userId: string, scope: ListScope, q: EdgePageQuery): Promise<Edge[]> {
    return pageRelation(this.db, this.d, 'list_members', 'member_id', 'list_id', userId, q, this.inScope('list_members.list_id', scope));
  }

  // Followers
  follow(userId: string, listId: string, at: number) {
    return addPair(this.db, this.d, FOLLOWERS, userId, listId, at);
  }
  unfollow(userId: string, listId: string) {
    return removePair(this.db, this.d, FOLLOWERS, userId, listId);
  }
  followers(listId: string, q: EdgePageQuery): Promise<Edge[]> {
    return pageRelation(this.db, this.d, 'list_followers', 'list_id', 'follower_id', listId, q);
  }
  /** The lists in scope the user follows, by when they followed. */
  followed(userId: string, scope: ListScope, q: EdgePageQuery): Promise<Edge[]> {
    return pageRelation(this.db, this.d, 'list_followers', 'follower_id', 'list_id', userId, q, this.inScope('list_followers.list_id', scope));
  }

  // Pins
  pin(userId: string, listId: string, at: number) {
    return addPair(this.db, this.d, PINS, userId, listId, at);
  }
  unpin(userId: string, listId: string) {
    return removePair(this.db, this.d, PINS, userId, listId);
  }
  /** The lists in scope the user pinned, newest pin first. */
  async pinned(userId: string, scope: ListScope): Promise<string[]> {
    const r = await sql<{ list_id: unknown }>`select list_id from list_pins where user_id = ${this.d.idParam(userId)} and ${this.inScope('list_pins.list_id', scope)} order by created_at desc, list_id desc`.execute(this.db);
    return r.rows.map((row) => str(row.list_id));
  }

  /**
   * When a list turns private, those who followed or pinned it lose it: removes every follow and pin of the list
   * but its owner's. Returns how many follows were removed.
   */
  async dropOthers(listId: string, ownerId: string): Promise<number> {
    const lid = this.d.idParam(listId);
    const owner = this.d.idParam(ownerId);
    await this.db.deleteFrom('list_pins').where('list_id', '=', lid).where('user_id', '<>', owner).execute();
    const r = await this.db.deleteFrom('list_followers').where('list_id', '=', lid).where('follower_id', '<>', owner).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0n);
  }

  /** For each author, the lists in scope that have them as a member (the `list:` operator of matcher documents). */
  async listsOfMembers(userIds: readonly string[], scope: ListScope): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return out;
    const r = await sql<{ member_id: unknown; list_id: unknown }>`select member_id, list_id from list_members where member_id in (${sql.join(
      unique.map((u) => this.d.idParam(u)),
    )}) and ${this.inScope('list_members.list_id', scope)}`.execute(this.db);
    for (const row of r.rows) {
      const m = str(row.member_id);
      let set = out.get(m);
      if (!set) out.set(m, (set = new Set()));
      set.add(str(row.list_id));
    }
    return out;
  }

  /** Bulk inserts for the seeded world (the write API keeps these relations through the methods above). */
  async insertEdges(table: 'list_members' | 'list_followers' | 'list_pins', rows: readonly { a: string; b: string; at: number }[]): Promise<void> {
    const shape = table === 'list_members' ? MEMBERS : table === 'list_followers' ? FOLLOWERS : PINS;
    const chunk = Math.floor(this.d.maxParams / 3);
    for (let i = 0; i < rows.length; i += chunk) {
      const values = rows.slice(i, i + chunk).map((r) => sql`(${this.d.idParam(r.a)}, ${this.d.idParam(r.b)}, ${r.at})`);
      await sql`insert into ${sql.table(shape.table)} (${sql.ref(shape.a)}, ${sql.ref(shape.b)}, created_at) values ${sql.join(values)}`.execute(this.db);
    }
  }

  /**
   * Seeded world: every user's `listed_count` set to the number of public lists that have them as a member (what
   * the write path then keeps exact). Runs before the server starts, so no row cache holds these users.
   */
  async recountListed(): Promise<void> {
    await sql`update users set listed_count = (select count(*) from list_members m join lists l on l.id = m.list_id where m.member_id = users.id and l.private = 0)`.execute(this.db);
  }

  /** The condition "the list in column `col` is in scope". */
  private inScope(col: string, scope: ListScope): RawBuilder<unknown> {
    const owner = scope.privateOf === null ? sql`` : sql` or l.owner_id = ${this.d.idParam(scope.privateOf)}`;
    return sql`exists (select 1 from lists l where l.id = ${sql.ref(col)} and (l.private = 0${owner}))`;
  }
}
