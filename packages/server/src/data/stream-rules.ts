import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import { countOfApp } from './per-app.js';
import type { Database, StreamRulesTable } from '../db/tables.js';
import { num, str, strOrNull } from './rows.js';

/** One filtered-stream rule (table `stream_rules`, migration 006). */
export interface StreamRuleRow {
  id: string;
  appId: string;
  ownerId: string;
  value: string;
  tag: string | null;
  createdAt: number;
}

const fromDb = (r: StreamRulesTable): StreamRuleRow => ({
  id: str(r.id),
  appId: str(r.app_id),
  ownerId: str(r.owner_id),
  value: r.value,
  tag: strOrNull(r.tag),
  createdAt: num(r.created_at),
});

/** Filtered-stream rules per app, ordered by id (creation order). */
export class StreamRules {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  /** Rules of an app in id order: all, or those with the given ids, or a page after `afterId`. */
  async list(appId: string, q: { ids?: readonly string[]; afterId?: string; limit?: number } = {}): Promise<StreamRuleRow[]> {
    if (q.ids && q.ids.length === 0) return [];
    let s = this.db.selectFrom('stream_rules').selectAll().where('app_id', '=', this.d.idParam(appId));
    if (q.ids) s = s.where('id', 'in', q.ids.map((i) => this.d.idParam(i)));
    if (q.afterId) s = s.where('id', '>', this.d.idParam(q.afterId));
    s = s.orderBy('id', 'asc');
    if (q.limit !== undefined) s = s.limit(q.limit);
    return (await s.execute()).map(fromDb);
  }

  async byValues(appId: string, values: readonly string[]): Promise<Map<string, StreamRuleRow>> {
    const out = new Map<string, StreamRuleRow>();
    for (let i = 0; i < values.length; i += 500) {
      const chunk = values.slice(i, i + 500);
      const rows = await this.db
        .selectFrom('stream_rules')
        .selectAll()
        .where('app_id', '=', this.d.idParam(appId))
        .where('value', 'in', chunk)
        .execute();
      for (const r of rows) out.set(r.value, fromDb(r));
    }
    return out;
  }

  async countByApp(appId: string): Promise<number> {
    return countOfApp(this.db, this.d, 'stream_rules', appId);
  }

  /** Rule counts of every app of one owner (X's "project"), apps without rules omitted. */
  async countsByOwner(ownerId: string): Promise<{ appId: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('stream_rules')
      .select(['app_id', (e) => e.fn.countAll().as('n')])
      .where('owner_id', '=', this.d.idParam(ownerId))
      .groupBy('app_id')
      .orderBy('app_id')
      .execute();
    return rows.map((r) => ({ appId: str(r.app_id), count: num(r.n) }));
  }

  /**
   * Inserts rules, skipping any whose value the app already has (a concurrent add of the same value may have won
   * since the caller checked); returns the ids actually inserted.
   */
  async insertMany(rows: readonly StreamRuleRow[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += 200) {
      const got = await this.db
        .insertInto('stream_rules')
        .values(
          rows.slice(i, i + 200).map((r) => ({
            id: this.d.idParam(r.id),
            app_id: this.d.idParam(r.appId),
            owner_id: this.d.idParam(r.ownerId),
            value: r.value,
            tag: r.tag,
            created_at: r.createdAt,
          })),
        )
        .onConflict((oc) => oc.columns(['app_id', 'value']).doNothing())
        .returning('id')
        .execute();
      for (const r of got) inserted.add(str(r.id));
    }
    return inserted;
  }

  /** Deletes these rules of the app; returns the ids actually deleted. */
  async deleteIds(appId: string, ids: readonly string[]): Promise<string[]> {
    const gone: string[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.db
        .deleteFrom('stream_rules')
        .where('app_id', '=', this.d.idParam(appId))
        .where('id', 'in', chunk.map((x) => this.d.idParam(x)))
        .returning('id')
        .execute();
      for (const r of rows) gone.push(str(r.id));
    }
    return gone;
  }

  async deleteAll(appId: string): Promise<number> {
    const r = await this.db.deleteFrom('stream_rules').where('app_id', '=', this.d.idParam(appId)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
