/** Batch compliance jobs (migration 012): the job, what was uploaded (when, how many ids) and its result lines. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import type { ComplianceJobsTable, Database } from '../db/tables.js';
import { bool, num, numOrNull, str, strOrNull } from './rows.js';

export interface ComplianceJobRow {
  id: string;
  appId: string;
  type: 'tweets' | 'users';
  name: string | null;
  resumable: boolean;
  createdAt: number;
  uploadExpiresAt: number;
  downloadExpiresAt: number;
  /** When the ids file arrived (null: not yet). */
  uploadedAt: number | null;
  /** When processing ends on the server clock (the job is `in_progress` until then). */
  readyAt: number | null;
  /** Why the upload could not be processed (the job is `failed`). */
  failure: string | null;
  idsCount: number | null;
}

const SUMMARY = ['id', 'app_id', 'type', 'name', 'resumable', 'created_at', 'upload_expires_at', 'download_expires_at', 'uploaded_at', 'ready_at', 'failure', 'ids_count'] as const;

const rowOf = (r: Omit<ComplianceJobsTable, 'result'>): ComplianceJobRow => ({
  id: str(r.id),
  appId: str(r.app_id),
  type: r.type as ComplianceJobRow['type'],
  name: strOrNull(r.name),
  resumable: bool(r.resumable),
  createdAt: num(r.created_at),
  uploadExpiresAt: num(r.upload_expires_at),
  downloadExpiresAt: num(r.download_expires_at),
  uploadedAt: numOrNull(r.uploaded_at),
  readyAt: numOrNull(r.ready_at),
  failure: strOrNull(r.failure),
  idsCount: numOrNull(r.ids_count),
});

export class ComplianceJobs {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async insert(j: ComplianceJobRow): Promise<void> {
    await this.db
      .insertInto('compliance_jobs')
      .values({
        id: this.d.idParam(j.id),
        app_id: this.d.idParam(j.appId),
        type: j.type,
        name: j.name,
        resumable: j.resumable ? 1 : 0,
        created_at: j.createdAt,
        upload_expires_at: j.uploadExpiresAt,
        download_expires_at: j.downloadExpiresAt,
        uploaded_at: j.uploadedAt,
        ready_at: j.readyAt,
        failure: j.failure,
        ids_count: j.idsCount,
        result: null,
      })
      .execute();
  }

  async byId(id: string): Promise<ComplianceJobRow | undefined> {
    const r = await this.db.selectFrom('compliance_jobs').select(SUMMARY).where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return r ? rowOf(r) : undefined;
  }

  /** An app's jobs of one type, newest first. */
  async byApp(appId: string, type: ComplianceJobRow['type']): Promise<ComplianceJobRow[]> {
    const rows = await this.db
      .selectFrom('compliance_jobs')
      .select(SUMMARY)
      .where('app_id', '=', this.d.idParam(appId))
      .where('type', '=', type)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(rowOf);
  }

  /**
   * Stores what an upload produced, unless something was uploaded already (a job takes one file); false then.
   * `result`: the JSON lines a download returns.
   */
  async recordUpload(id: string, u: { uploadedAt: number; readyAt: number; idsCount: number; failure: string | null; result: string | null }): Promise<boolean> {
    const r = await this.db
      .updateTable('compliance_jobs')
      .set({ uploaded_at: u.uploadedAt, ready_at: u.readyAt, ids_count: u.idsCount, failure: u.failure, result: u.result })
      .where('id', '=', this.d.idParam(id))
      .where('uploaded_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async result(id: string): Promise<string | null> {
    const r = await this.db.selectFrom('compliance_jobs').select('result').where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return r?.result ?? null;
  }
}
