import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import type { Database, MediaSegmentsTable, MediaUploadsTable } from '../db/tables.js';
import { json, num, numOrNull, str, strOrNull, toJson } from './rows.js';

/** What probing read from the bytes. */
export interface ProbeResult {
  kind: 'image' | 'gif' | 'video' | 'subtitles';
  /** image-size's type (png, jpg, gif, webp, …) or `mp4` for video. */
  format: string;
  width?: number;
  height?: number;
  durationMs?: number;
  /** Video: the sample entry's codec string (e.g. `avc1.42c01e`) and frames per second. */
  codec?: string;
  fps?: number;
}

/** X's processing error object (v1.1 `processing_info.error`). */
export interface ProcessingError {
  code: number;
  name: string;
  message: string;
}

export interface UploadRow {
  id: string;
  mediaKey: string;
  ownerId: string;
  additionalOwners: string[];
  mediaCategory: string;
  mediaType: string | null;
  totalBytes: number | null;
  shared: boolean;
  /** `uploading` (after INIT) or `finalized`. */
  status: 'uploading' | 'finalized';
  createdAt: number;
  expiresAt: number;
  finalizedAt: number | null;
  /** How long processing takes after FINALIZE (ms), on the server clock. */
  processMs: number | null;
  outcome: 'succeeded' | 'failed' | null;
  error: ProcessingError | null;
  blobKey: string | null;
  size: number | null;
  probe: ProbeResult | null;
  metadata: Record<string, unknown> | null;
  subtitles: SubtitleRef[] | null;
}

export interface SubtitleRef {
  language_code: string;
  display_name?: string;
  id: string;
}

/** Upload sessions and their segments (migration 007). */
export class MediaUploads {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async insert(u: UploadRow): Promise<void> {
    await this.db
      .insertInto('media_uploads')
      .values({
        id: this.d.idParam(u.id),
        media_key: u.mediaKey,
        owner_id: this.d.idParam(u.ownerId),
        additional_owners: u.additionalOwners.length ? JSON.stringify(u.additionalOwners) : null,
        media_category: u.mediaCategory,
        media_type: u.mediaType,
        total_bytes: u.totalBytes,
        shared: u.shared ? 1 : 0,
        status: u.status,
        created_at: u.createdAt,
        expires_at: u.expiresAt,
        finalized_at: u.finalizedAt,
        process_ms: u.processMs,
        outcome: u.outcome,
        error: toJson(u.error),
        blob_key: u.blobKey,
        size: u.size,
        probe: toJson(u.probe),
        metadata: toJson(u.metadata),
        subtitles: toJson(u.subtitles),
      })
      .execute();
  }

  async byId(id: string): Promise<UploadRow | null> {
    const r = await this.db.selectFrom('media_uploads').selectAll().where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async byIds(ids: readonly string[]): Promise<Map<string, UploadRow>> {
    const ok = [...new Set(ids)];
    const out = new Map<string, UploadRow>();
    if (!ok.length) return out;
    const rows = await this.db.selectFrom('media_uploads').selectAll().where('id', 'in', ok.map((i) => this.d.idParam(i))).execute();
    for (const r of rows) out.set(str(r.id), toRow(r));
    return out;
  }

  async byKeys(keys: readonly string[]): Promise<Map<string, UploadRow>> {
    const out = new Map<string, UploadRow>();
    if (!keys.length) return out;
    const rows = await this.db.selectFrom('media_uploads').selectAll().where('media_key', 'in', [...new Set(keys)]).execute();
    for (const r of rows) out.set(r.media_key, toRow(r));
    return out;
  }

  /** Records (or replaces, for a retried segment) one received segment. */
  async putSegment(uploadId: string, index: number, size: number, now: number): Promise<void> {
    const id = this.d.idParam(uploadId);
    await this.db
      .insertInto('media_segments')
      .values({ upload_id: id, segment_index: index, size, received_at: now })
      .onConflict((oc) => oc.columns(['upload_id', 'segment_index']).doUpdateSet({ size, received_at: now }))
      .execute();
  }

  async segments(uploadId: string): Promise<{ index: number; size: number }[]> {
    const rows = await this.db
      .selectFrom('media_segments')
      .select(['segment_index', 'size'])
      .where('upload_id', '=', this.d.idParam(uploadId))
      .orderBy('segment_index')
      .execute();
    return rows.map((r) => ({ index: num(r.segment_index), size: num(r.size) }));
  }

  async deleteSegments(uploadId: string): Promise<void> {
    await this.db.deleteFrom('media_segments').where('upload_id', '=', this.d.idParam(uploadId)).execute();
  }

  /**
   * FINALIZE: moves an `uploading` session to `finalized` with what processing found. Returns false when another
   * request finalized it first.
   */
  async finalize(
    id: string,
    f: Pick<UploadRow, 'finalizedAt' | 'processMs' | 'outcome' | 'error' | 'blobKey' | 'size' | 'probe' | 'expiresAt'>,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('media_uploads')
      .set({
        status: 'finalized',
        finalized_at: f.finalizedAt,
        process_ms: f.processMs,
        outcome: f.outcome,
        error: toJson(f.error),
        blob_key: f.blobKey,
        size: f.size,
        probe: toJson(f.probe),
        expires_at: f.expiresAt,
      })
      .where('id', '=', this.d.idParam(id))
      .where('status', '=', 'uploading')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setMetadata(id: string, metadata: Record<string, unknown>): Promise<void> {
    await this.db.updateTable('media_uploads').set({ metadata: JSON.stringify(metadata) }).where('id', '=', this.d.idParam(id)).execute();
  }

  async setSubtitles(id: string, subtitles: SubtitleRef[]): Promise<void> {
    await this.db
      .updateTable('media_uploads')
      .set({ subtitles: subtitles.length ? JSON.stringify(subtitles) : null })
      .where('id', '=', this.d.idParam(id))
      .execute();
  }
}

function toRow(r: MediaUploadsTable): UploadRow {
  return {
    id: str(r.id),
    mediaKey: r.media_key,
    ownerId: str(r.owner_id),
    additionalOwners: json<string[]>(r.additional_owners) ?? [],
    mediaCategory: r.media_category,
    mediaType: strOrNull(r.media_type),
    totalBytes: numOrNull(r.total_bytes),
    shared: Number(r.shared) === 1,
    status: r.status as UploadRow['status'],
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    finalizedAt: numOrNull(r.finalized_at),
    processMs: numOrNull(r.process_ms),
    outcome: (r.outcome as UploadRow['outcome']) ?? null,
    error: json<ProcessingError>(r.error),
    blobKey: strOrNull(r.blob_key),
    size: numOrNull(r.size),
    probe: json<ProbeResult>(r.probe),
    metadata: json<Record<string, unknown>>(r.metadata),
    subtitles: json<SubtitleRef[]>(r.subtitles),
  };
}

