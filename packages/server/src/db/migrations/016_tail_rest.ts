import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The Community a post was posted in, as a column of its own (issue 20): search and counts show public content
 * only, and a Closed Community's posts are not public, so their SQL must see which Community a post belongs to
 * without parsing `extras`. Posts stored before this migration carry it in `extras.community_id`; they are copied
 * over here (few posts have any extras, so the copy reads only those).
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  await db.schema.alterTable('posts').addColumn('community_id', d.bigIntType).execute();

  const k = db as Kysely<{ posts: { id: string | number | bigint; extras: string | null; community_id: string | number | bigint | null } }>;
  const rows = await k.selectFrom('posts').select(['id', 'extras']).where('extras', 'like', '%"community_id"%').execute();
  for (const r of rows) {
    const extras = JSON.parse(String(r.extras)) as { community_id?: unknown };
    const community = typeof extras.community_id === 'string' && /^[0-9]{1,19}$/.test(extras.community_id) ? extras.community_id : null;
    if (community === null) continue;
    await k.updateTable('posts').set({ community_id: d.idParam(community) }).where('id', '=', d.idParam(String(r.id))).execute();
  }
}
