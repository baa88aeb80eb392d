import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { pageRelation, type Edge, type EdgePageQuery } from './edges.js';

/** Verified organisations and the accounts affiliated with them (one organisation per account). */
export class Affiliations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  /** An organisation's affiliates, newest affiliation first. */
  affiliates(orgId: string, q: EdgePageQuery): Promise<Edge[]> {
    return pageRelation(this.db, this.d, 'affiliations', 'org_id', 'user_id', orgId, q);
  }

  /** The affiliation of each of these accounts that has one: its organisation and label, by user id. */
  async ofUsers(userIds: readonly string[]): Promise<Map<string, { orgId: string; description: string }>> {
    const out = new Map<string, { orgId: string; description: string }>();
    if (!userIds.length) return out;
    const rows = await this.db
      .selectFrom('affiliations')
      .select(['user_id', 'org_id', 'description'])
      .where('user_id', 'in', userIds.map((i) => this.d.idParam(i)))
      .execute();
    for (const r of rows) out.set(String(r.user_id), { orgId: String(r.org_id), description: r.description });
    return out;
  }

  async insertMany(rows: readonly { userId: string; orgId: string; description: string; at: number }[]): Promise<void> {
    const chunk = Math.floor(this.d.maxParams / 4);
    for (let i = 0; i < rows.length; i += chunk) {
      await this.db
        .insertInto('affiliations')
        .values(rows.slice(i, i + chunk).map((r) => ({ user_id: this.d.idParam(r.userId), org_id: this.d.idParam(r.orgId), description: r.description, created_at: r.at })))
        .execute();
    }
  }
}
