/**
 * The v1.1 upload's answers (`POST|GET /1.1/media/upload.json`, which twitter-api-v2 and tweepy still use):
 * `media_id` as an exact JSON number beside `media_id_string`, and v1.1 error shapes — `{request, error}` for
 * upload errors, the v1.1 codes for authentication and limits.
 */
import { operation as describe } from '@roost/contract';
import type { OperationRequest } from '../operation.js';
import type { UploadRow } from '../../data/media-uploads.js';
import { ApiError, InvalidRequest, Unauthorized } from '../../errors.js';

const UPLOAD_PATH = describe('mediaUploadV1').path;

/** v1.1 upload answer; `media_id` is written as the exact number (ids exceed 2^53). */
export function v1Body(req: OperationRequest, u: UploadRow): string {
  const v = req.ctx.media.view(u);
  const out: Record<string, unknown> = { media_id: '\u0000ID\u0000', media_id_string: u.id, media_key: u.mediaKey };
  if (v.size !== undefined) out.size = v.size;
  out.expires_after_secs = v.expires_after_secs;
  if (v.processing_info) {
    const err = req.ctx.media.failure(u);
    out.processing_info = err ? { ...v.processing_info, error: err } : v.processing_info;
  }
  if (v.image) out.image = v.image;
  if (v.video) out.video = v.video;
  return JSON.stringify(out).replace('"\\u0000ID\\u0000"', u.id);
}

/** v1.1 error bodies: upload errors are `{request, error}`; authentication and limits the v1.1 codes. */
export function v1ErrorBody(err: unknown, wire: { status: number; body: unknown }): unknown {
  if (err instanceof Unauthorized || wire.status === 401) return { errors: [{ code: 32, message: 'Could not authenticate you.' }] };
  if (wire.status === 429) return { errors: [{ code: 88, message: 'Rate limit exceeded' }] };
  if (err instanceof InvalidRequest) return { request: UPLOAD_PATH, error: err.items.map((i) => i.message).join(' ') };
  const detail = (wire.body as { detail?: unknown } | null)?.detail;
  if (err instanceof ApiError && wire.status === 403) {
    return { errors: [{ code: 220, message: String(detail ?? 'Your credentials do not allow access to this resource.') }] };
  }
  return wire.status >= 500 ? { errors: [{ code: 131, message: 'Internal error' }] } : { request: UPLOAD_PATH, error: String(detail ?? 'Bad request') };
}
