import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../dialect.js';
import { frozenSearchDoc, type FrozenDoc, type PlaceDocRow, type PostDocRow } from './008_search_doc.js';

/**
 * Search (search/): `post_search` holds one full-text document per post (search/doc.ts) — an FTS5 table keyed by
 * the post id (rowid) in SQLite, a tsvector with a GIN index in PostgreSQL — and `post_geo` the coordinates and
 * place box of geo-tagged posts for point_radius / bounding_box. Posts written before this migration are indexed
 * here with the document of 008_search_doc.ts (frozen; `roost reindex` applies later indexing changes).
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  for (const ddl of d.search.createDocTable) await sql.raw(ddl).execute(db);
  const real = d.realType;
  await db.schema
    .createTable('post_geo')
    .addColumn('post_id', d.idType, (c) => c.primaryKey())
    .addColumn('lon', real)
    .addColumn('lat', real)
    .addColumn('west', real)
    .addColumn('south', real)
    .addColumn('east', real)
    .addColumn('north', real)
    .execute();
  await indexStoredPosts(db, d);
}

const BATCH = 5000;
const CHUNK = 500;

async function indexStoredPosts(db: Kysely<unknown>, d: Dialect): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const where: RawBuilder<unknown> = after === null ? sql`` : sql`where id > ${d.idParam(after)}`;
    const { rows } = await sql<PostDocRow & { id: string }>`select ${sql.raw(d.textId('id'))}, text, note_text, entities, note_entities, reposted_post_id, media_keys, place_id, geo_coordinates, extras from posts ${where} order by id limit ${BATCH}`.execute(db);
    if (rows.length === 0) return;
    const placeIds = [...new Set(rows.map((r) => r.place_id).filter((x): x is string => x !== null))];
    const places = new Map<string, PlaceDocRow>();
    for (let i = 0; i < placeIds.length; i += CHUNK) {
      const part = placeIds.slice(i, i + CHUNK);
      const got = await sql<PlaceDocRow>`select id, full_name, name, country_code, bbox from places where id in (${sql.join(part)})`.execute(db);
      for (const p of got.rows) places.set(p.id, p);
    }
    const keys = [...new Set(rows.flatMap((r) => (r.media_keys ? (JSON.parse(r.media_keys) as string[]) : [])))];
    const types = new Map<string, string>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const got = await sql<{ media_key: string; type: string }>`select media_key, type from media where media_key in (${sql.join(keys.slice(i, i + CHUNK))})`.execute(db);
      for (const m of got.rows) types.set(m.media_key, m.type);
    }
    const docs: { id: string; doc: FrozenDoc }[] = rows.map((r) => {
      const mediaTypes = (r.media_keys ? (JSON.parse(r.media_keys) as string[]) : []).flatMap((k) => types.get(k) ?? []);
      return { id: String(r.id), doc: frozenSearchDoc(r, r.place_id !== null ? places.get(r.place_id) ?? null : null, mediaTypes) };
    });
    for (let i = 0; i < docs.length; i += CHUNK) {
      const part = docs.slice(i, i + CHUNK);
      await d.search.insertDocs(part.map((x) => ({ id: x.id, tokens: x.doc.tokens }))).execute(db);
      const geo = part.filter((x) => x.doc.geo !== null);
      if (geo.length) {
        const values = geo.map(({ id, doc }) => {
          const g = doc.geo!;
          return sql`(${d.idParam(id)}, ${g.lon}, ${g.lat}, ${g.bbox?.[0] ?? null}, ${g.bbox?.[1] ?? null}, ${g.bbox?.[2] ?? null}, ${g.bbox?.[3] ?? null})`;
        });
        await sql`insert into post_geo (post_id, lon, lat, west, south, east, north) values ${sql.join(values)}`.execute(db);
      }
    }
    after = docs[docs.length - 1]!.id;
  }
}
