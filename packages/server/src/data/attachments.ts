import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { runnerFor, type RunFn } from '../db/connect.js';
import { insertRows } from './batch.js';
import { json, num, numOrNull, str, toJson, type MediaRow, type PlaceRow, type PollRow } from './rows.js';

/** The media insert, hand-written (data/batch.ts insertRows): the seed writes a media row for about one post in seven. */
export const MEDIA_INSERT = {
  head: 'insert into media (media_key, id, owner_id, type, url, preview_image_url, width, height, duration_ms, alt_text, variants, view_count, created_at)',
  row: '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
} as const;

/** Appends the values MEDIA_INSERT binds for each media row to `out`. */
export function mediaValues(d: Dialect, rows: readonly MediaRow[], out: unknown[]): unknown[] {
  for (const m of rows) {
    out.push(m.mediaKey, d.idParam(m.id), d.idParam(m.ownerId), m.type, m.url, m.previewImageUrl, m.width, m.height, m.durationMs, m.altText, toJson(m.variants), m.viewCount, m.createdAt);
  }
  return out;
}

export const POLL_INSERT = { head: 'insert into polls (id, options, duration_minutes, end_at)', row: '(?, ?, ?, ?)' } as const;

/** Appends the values POLL_INSERT binds for each poll to `out`. */
export function pollValues(d: Dialect, rows: readonly PollRow[], out: unknown[]): unknown[] {
  for (const p of rows) out.push(d.idParam(p.id), JSON.stringify(p.options), p.durationMinutes, p.endAt);
  return out;
}

/** Media, polls and places: objects posts point at, loaded in batches for expansions. */
export class Attachments {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly run: RunFn = runnerFor({ db }),
  ) {}

  async mediaByKeys(keys: readonly string[]): Promise<Map<string, MediaRow>> {
    const out = new Map<string, MediaRow>();
    if (keys.length === 0) return out;
    const rows = await this.db.selectFrom('media').selectAll().where('media_key', 'in', [...new Set(keys)]).execute();
    for (const r of rows) {
      out.set(r.media_key, {
        mediaKey: r.media_key,
        id: str(r.id),
        ownerId: str(r.owner_id),
        type: r.type as MediaRow['type'],
        url: r.url,
        previewImageUrl: r.preview_image_url,
        width: numOrNull(r.width),
        height: numOrNull(r.height),
        durationMs: numOrNull(r.duration_ms),
        altText: r.alt_text,
        variants: json(r.variants),
        viewCount: num(r.view_count),
        createdAt: num(r.created_at),
      });
    }
    return out;
  }

  /** Media by media id (what `POST /2/tweets` names in `media.media_ids`). */
  async mediaByIds(ids: readonly string[]): Promise<Map<string, MediaRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('media')
      .select('media_key')
      .where('id', 'in', [...new Set(ids)].map((i) => this.d.idParam(i)))
      .execute();
    const byKey = await this.mediaByKeys(rows.map((r) => r.media_key));
    return new Map([...byKey.values()].map((m) => [m.id, m]));
  }

  async pollsByIds(ids: readonly string[]): Promise<Map<string, PollRow>> {
    const out = new Map<string, PollRow>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('polls')
      .selectAll()
      .where('id', 'in', [...new Set(ids)].map((i) => this.d.idParam(i)))
      .execute();
    for (const r of rows) {
      out.set(str(r.id), { id: str(r.id), options: json(r.options) ?? [], durationMinutes: num(r.duration_minutes), endAt: num(r.end_at) });
    }
    return out;
  }

  async placesByIds(ids: readonly string[]): Promise<Map<string, PlaceRow>> {
    const out = new Map<string, PlaceRow>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('places').selectAll().where('id', 'in', [...new Set(ids)]).execute();
    for (const r of rows) {
      out.set(r.id, {
        id: r.id,
        fullName: r.full_name,
        name: r.name,
        country: r.country,
        countryCode: r.country_code,
        placeType: r.place_type,
        bbox: json(r.bbox) as PlaceRow['bbox'],
        containedWithin: json(r.contained_within),
      });
    }
    return out;
  }

  async insertMedia(rows: readonly MediaRow[]): Promise<void> {
    await insertRows(this.d, this.run, MEDIA_INSERT.head, MEDIA_INSERT.row, mediaValues(this.d, rows, []));
  }

  /** Alt text of a Media object (`POST /2/media/metadata`); null clears it. */
  async setAltText(mediaKey: string, altText: string | null): Promise<void> {
    await this.db.updateTable('media').set({ alt_text: altText }).where('media_key', '=', mediaKey).execute();
  }

  async insertPolls(rows: readonly PollRow[]): Promise<void> {
    await insertRows(this.d, this.run, POLL_INSERT.head, POLL_INSERT.row, pollValues(this.d, rows, []));
  }

  async insertPlaces(rows: readonly PlaceRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('places')
      .values(
        rows.map((p) => ({
          id: p.id,
          full_name: p.fullName,
          name: p.name,
          country: p.country,
          country_code: p.countryCode,
          place_type: p.placeType,
          bbox: JSON.stringify(p.bbox),
          contained_within: toJson(p.containedWithin),
        })),
      )
      .execute();
  }
}
