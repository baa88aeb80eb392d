import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { indexAllPosts } from '../../data/search.js';

/**
 * Search (search/): `post_search` holds one full-text document per post (search/doc.ts) — an FTS5 table keyed by
 * the post id (rowid) in SQLite, a tsvector with a GIN index in PostgreSQL — and `post_geo` the coordinates and
 * place box of geo-tagged posts for point_radius / bounding_box. Posts written before this migration are indexed
 * here.
 */
export async function up(db: Kysely<any>, d: Dialect): Promise<void> {
  if (d.name === 'sqlite') {
    await sql`create virtual table post_search using fts5(doc, tokenize = "ascii tokenchars '_'", columnsize = 0)`.execute(db);
  } else {
    await sql`create table post_search (post_id bigint primary key, doc tsvector not null)`.execute(db);
    await sql`create index post_search_doc on post_search using gin (doc)`.execute(db);
  }
  const real = d.name === 'sqlite' ? 'real' : 'double precision';
  await db.schema
    .createTable('post_geo')
    .addColumn('post_id', d.idType, (c) => c.primaryKey())
    .addColumn('lon', real as 'real')
    .addColumn('lat', real as 'real')
    .addColumn('west', real as 'real')
    .addColumn('south', real as 'real')
    .addColumn('east', real as 'real')
    .addColumn('north', real as 'real')
    .execute();
  await indexAllPosts(db, d);
}
