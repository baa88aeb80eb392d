/** ComplianceJob as X shows it; the upload and download URLs point at this server (domain/compliance.ts). */
import type { Context } from '../../context.js';
import type { ComplianceJobRow } from '../../data/compliance-jobs.js';
import { statusOf, transferPath } from '../../domain/compliance.js';
import { iso } from '../../pipeline/present.js';

/** X's limit for the three compliance operations (FACTS §4.2). */
export const COMPLIANCE_LIMIT = { app: 150 } as const;

export function jobView(ctx: Pick<Context, 'clock' | 'serverSecret' | 'media'>, j: ComplianceJobRow): Record<string, unknown> {
  // Absolute URLs on the server's public address (ROOST_PUBLIC_URL, else where it listens), as media URLs are.
  const base = ctx.media.baseUrl;
  const out: Record<string, unknown> = {
    id: j.id,
    type: j.type,
    created_at: iso(j.createdAt),
    status: statusOf(j, ctx.clock.now()),
    resumable: j.resumable,
    upload_url: base + transferPath(ctx, 'upload', j),
    upload_expires_at: iso(j.uploadExpiresAt),
    download_url: base + transferPath(ctx, 'download', j),
    download_expires_at: iso(j.downloadExpiresAt),
  };
  if (j.name !== null) out.name = j.name;
  return out;
}
