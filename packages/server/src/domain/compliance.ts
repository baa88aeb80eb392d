/**
 * Batch compliance (FACTS §12.1). A job is made for posts (`tweets`) or users; the app PUTs a text file of ids to
 * the job's `upload_url` (served by Roost, signed, no bearer token — like X's storage URLs), Roost judges every
 * id with the rules module and the job's result lines wait at its `download_url`.
 *
 * States follow the server clock, computed from stored times (nothing runs in the background): `created` until
 * the upload, or `expired` when none came within 15 minutes; `in_progress` for `complianceProcessMs` after it;
 * then `complete` (or `failed`, when the file was not a list of ids) until the download expires a week after the
 * job was made, and `expired` after that. One job of each type may be pending at a time (409 otherwise).
 *
 * The result holds one JSON line per id that needs action, none for compliant ids (X's format): `action` and
 * `reason` (deleted, suspended, protected, withheld, edited), `created_at` (when the post or user was made) and
 * `redacted_at` (when it stopped being compliant: for an edit, when the next version was made; otherwise when
 * Roost judged it, at the upload).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from '../context.js';
import type { ComplianceJobRow } from '../data/compliance-jobs.js';
import { InvalidRequest, PROBLEMS, ProblemError } from '../errors.js';
import { postComplianceVerdict, userComplianceVerdict, type ComplianceVerdict } from '../pipeline/rules.js';
import { complianceLine } from '../pipeline/present-compliance.js';
import { snowflakeTime } from '../util/snowflake.js';

export type ComplianceContext = Pick<Context, 'repos' | 'clock' | 'ids' | 'config' | 'serverSecret'>;
export type ComplianceStatus = 'created' | 'in_progress' | 'complete' | 'failed' | 'expired';

export const UPLOAD_TTL_MS = 15 * 60_000;
export const DOWNLOAD_TTL_MS = 7 * 24 * 3_600_000;
/** Ids one upload may carry. */
export const MAX_IDS = 1_000_000;
const BATCH = 1000;

export function statusOf(j: ComplianceJobRow, now: number): ComplianceStatus {
  if (j.uploadedAt === null) return now < j.uploadExpiresAt ? 'created' : 'expired';
  if (now >= j.downloadExpiresAt) return 'expired';
  if (j.readyAt !== null && now < j.readyAt) return 'in_progress';
  return j.failure ? 'failed' : 'complete';
}

export async function createJob(ctx: ComplianceContext, appId: string, input: { type: 'tweets' | 'users'; name?: string; resumable?: boolean }): Promise<ComplianceJobRow> {
  const now = ctx.clock.now();
  const pending = (await ctx.repos.complianceJobs.byApp(appId, input.type)).find((j) => ['created', 'in_progress'].includes(statusOf(j, now)));
  if (pending) {
    throw new ProblemError(409, {
      title: 'Conflict',
      detail: `A ${input.type} compliance job (${pending.id}) is still pending: wait for it to complete or expire.`,
      type: `${PROBLEMS}conflict`,
    });
  }
  const job: ComplianceJobRow = {
    id: ctx.ids.next(),
    appId,
    type: input.type,
    name: input.name ?? null,
    resumable: input.resumable ?? false,
    createdAt: now,
    uploadExpiresAt: now + UPLOAD_TTL_MS,
    downloadExpiresAt: now + DOWNLOAD_TTL_MS,
    uploadedAt: null,
    readyAt: null,
    failure: null,
    idsCount: null,
  };
  await ctx.repos.complianceJobs.insert(job);
  return job;
}

// ---- signed URLs ----

export type TransferKind = 'upload' | 'download';

/** The signature of a job's upload or download URL (keyed by the server secret, bound to the job and its expiry). */
export function transferSignature(ctx: Pick<Context, 'serverSecret'>, kind: TransferKind, jobId: string, expires: number): string {
  return createHmac('sha256', ctx.serverSecret).update(`compliance:${kind}:${jobId}:${expires}`).digest('hex');
}

export function transferPath(ctx: Pick<Context, 'serverSecret'>, kind: TransferKind, job: ComplianceJobRow): string {
  const expires = kind === 'upload' ? job.uploadExpiresAt : job.downloadExpiresAt;
  return `/compliance/jobs/${job.id}/${kind}?expires=${expires}&signature=${transferSignature(ctx, kind, job.id, expires)}`;
}

/**
 * The job a signed URL names, if the signature holds and the URL has not expired; otherwise a 403 (an expired or
 * forged storage URL).
 */
export async function jobForTransfer(ctx: ComplianceContext, kind: TransferKind, jobId: string, expires: string, signature: string): Promise<ComplianceJobRow> {
  const refused = (detail: string) => new ProblemError(403, { title: 'Forbidden', type: 'about:blank', status: 403, detail });
  const exp = Number(expires);
  const want = /^\d{1,19}$/.test(jobId) && Number.isSafeInteger(exp) ? Buffer.from(transferSignature(ctx, kind, jobId, exp)) : null;
  const got = Buffer.from(signature);
  if (!want || want.length !== got.length || !timingSafeEqual(want, got)) throw refused('The signature of this URL does not match.');
  if (ctx.clock.now() >= exp) throw refused(`This ${kind} URL has expired.`);
  const job = await ctx.repos.complianceJobs.byId(jobId);
  if (!job) throw refused('This job no longer exists.');
  return job;
}

// ---- upload ----

/** Reads the ids file, judges every id and stores the result; the job is then in progress. */
export async function receiveUpload(ctx: ComplianceContext, job: ComplianceJobRow, text: string): Promise<void> {
  const now = ctx.clock.now();
  if (job.uploadedAt !== null) throw InvalidRequest.one('upload', [job.id], 'This job has already received its file.');
  const ids: string[] = [];
  let failure: string | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (!/^\d{1,19}$/.test(line)) {
      failure = `line ${i + 1} is not an id`;
      break;
    }
    ids.push(line);
  }
  if (!failure && ids.length > MAX_IDS) failure = `the file holds ${ids.length} ids; a job takes at most ${MAX_IDS}`;
  const result = failure ? null : await judge(ctx, job.type, [...new Set(ids)], now);
  const stored = await ctx.repos.complianceJobs.recordUpload(job.id, { uploadedAt: now, readyAt: now + ctx.config.webhooks.complianceProcessMs, idsCount: ids.length, failure, result });
  if (!stored) throw InvalidRequest.one('upload', [job.id], 'This job has already received its file.');
}

async function judge(ctx: ComplianceContext, type: 'tweets' | 'users', ids: readonly string[], now: number): Promise<string> {
  const lines: string[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    if (type === 'users') {
      const users = await ctx.repos.users.byIds(chunk);
      for (const id of chunk) {
        const v = userComplianceVerdict(users.get(id));
        if (v) lines.push(complianceLine(id, v, createdAt(id, users.get(id)?.createdAt), now));
      }
      continue;
    }
    const posts = await ctx.repos.posts.byIds(chunk);
    const users = await ctx.repos.users.byIds([...new Set([...posts.values()].map((p) => p.authorId))]);
    const roots = [...new Set([...posts.values()].filter((p) => p.editRootId !== p.id || p.editCount > 0).map((p) => p.editRootId))];
    const chains = roots.length ? await ctx.repos.posts.editChains(roots) : new Map<string, string[]>();
    // The versions that replaced an edited post: when each was made is when the earlier one stopped being current.
    const successors = await ctx.repos.posts.byIds([...new Set([...chains.values()].flat())].filter((id) => !posts.has(id)));
    for (const id of chunk) {
      const p = posts.get(id);
      const v: ComplianceVerdict | null = postComplianceVerdict(p, p && users.get(p.authorId), p && chains.get(p.editRootId));
      if (!v) continue;
      let redactedAt = now;
      if (v.reason === 'edited') {
        const next = v.chain[v.chain.indexOf(id) + 1];
        redactedAt = (next === undefined ? undefined : (posts.get(next) ?? successors.get(next))?.createdAt) ?? now;
      }
      lines.push(complianceLine(id, v, createdAt(id, p?.createdAt), redactedAt));
    }
  }
  return lines.map((l) => l + '\n').join('');
}

/** When a post or user was made: stored, or read from its snowflake id. */
function createdAt(id: string, stored: number | undefined): number | null {
  if (stored !== undefined) return stored;
  const t = snowflakeTime(id);
  return t > Date.UTC(2006, 2, 21) ? t : null;
}
