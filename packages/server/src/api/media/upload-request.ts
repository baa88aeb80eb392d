/**
 * Upload requests (FACTS §11) as the media operations receive them: JSON with base64, multipart streamed to disk,
 * form fields and query parameters, turned into media/service.ts calls, and X's answers of an upload. The
 * `command=INIT|APPEND|FINALIZE|STATUS` forms serve the v2 path's legacy parameters and the v1.1 upload alike.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { OperationRequest } from '../operation.js';
import { InvalidRequest, PROBLEMS } from '../../errors.js';
import { MultipartBody, readMultipart, TooLarge } from '../../media/multipart.js';
import { categoryForType, SIZE_LIMITS, type Incoming, type InitInput } from '../../media/service.js';
import { probeImage, readHead } from '../../media/probe.js';
import type { UploadRow } from '../../data/media-uploads.js';
import { idInRange } from '../../util/snowflake.js';
import { userOf } from '../shared.js';

export { userOf };

export const invalid = (param: string, values: string[], message: string) => InvalidRequest.one(param, values, message);

/** The largest body any upload request may carry: a whole video in one multipart request. */
export const MAX_UPLOAD = SIZE_LIMITS.video;

export interface UploadRequest {
  fields: Record<string, unknown>;
  file: Incoming | null;
}

/**
 * Reads an upload request's body: multipart (file part streamed to disk), JSON or form fields (base64 `media` /
 * `media_data` decoded). `maxFileBytes` bounds the file; more is X's size error.
 */
export async function readUpload(req: OperationRequest, maxFileBytes = MAX_UPLOAD): Promise<UploadRequest> {
  const body = req.body;
  if (body instanceof MultipartBody) {
    try {
      const r = await readMultipart(body.stream, { boundary: body.boundary, dir: await req.ctx.media.incomingDir(), maxFileBytes });
      return { fields: r.fields, file: r.file ? { path: r.file.path, size: r.file.size } : null };
    } catch (err) {
      if (err instanceof TooLarge) throw invalid('media', [], `File size exceeds ${err.limit} bytes.`);
      throw err;
    }
  }
  if (body === undefined || body === null) return { fields: {}, file: null };
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('body', [], 'The request body must be a JSON object or multipart form.');
  const fields: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  let file: Incoming | null = null;
  for (const k of ['media', 'media_data']) {
    const v = fields[k];
    if (v === undefined) continue;
    delete fields[k];
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/=\s_-]*$/.test(v)) throw invalid(k, [], `The \`${k}\` value must be base64-encoded bytes.`);
    const bytes = Buffer.from(v, 'base64');
    if (bytes.length > maxFileBytes) throw invalid(k, [], `File size exceeds ${maxFileBytes} bytes.`);
    file = { bytes };
  }
  return { fields, file };
}

// ——— field parsing (JSON values, or strings from forms and query strings) ———

export function intField(f: Record<string, unknown>, k: string): number | undefined {
  const v = f[k];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,17}$/.test(v.trim())) return Number(v.trim());
  throw invalid(k, [String(v)], `The \`${k}\` value [${String(v)}] is not valid`);
}

export function strField(f: Record<string, unknown>, k: string): string | undefined {
  const v = f[k];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw invalid(k, [String(v)], `The \`${k}\` value [${String(v)}] is not valid`);
  return v;
}

function ownersField(f: Record<string, unknown>): string[] {
  const v = f.additional_owners;
  if (v === undefined || v === '') return [];
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  throw invalid('additional_owners', [String(v)], `The \`additional_owners\` value [${String(v)}] is not valid`);
}

function boolField(f: Record<string, unknown>, k: string): boolean | undefined {
  const v = f[k];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalid(k, [String(v)], `The \`${k}\` value [${String(v)}] is not valid`);
}

export function mediaIdField(f: Record<string, unknown>, k = 'media_id'): string {
  const v = f[k];
  if (v === undefined || v === '') throw invalid(k, [], `The \`${k}\` parameter can not be empty`);
  const s = String(v);
  // Form fields and JSON values here pass no schema: the id range is checked here (ids live in 64-bit columns).
  if (!/^\d{1,19}$/.test(s) || !idInRange(s)) throw invalid(k, [s], `The \`${k}\` value [${s}] is not valid`);
  return s;
}

export function initInput(f: Record<string, unknown>, inferCategory: boolean): InitInput {
  return {
    mediaCategory: strField(f, 'media_category'),
    mediaType: strField(f, 'media_type'),
    totalBytes: intField(f, 'total_bytes'),
    additionalOwners: ownersField(f),
    shared: boolField(f, 'shared'),
    inferCategory,
  };
}


/** X's v2 upload answer; a failed upload carries its processing error as a problem next to `data`. */
export function uploadBody(req: OperationRequest, u: UploadRow): { data: unknown; errors?: unknown[] } {
  const data = req.ctx.media.view(u);
  const err = req.ctx.media.failure(u);
  if (!err) return { data };
  return {
    data,
    errors: [{ title: err.name, detail: err.message, type: `${PROBLEMS}invalid-request`, resource_type: 'media', resource_id: u.id, code: err.code }],
  };
}

/** What a category-less v1.1 upload is: from media_type, else from the bytes. */
export async function inferCategory(inp: InitInput, file: Incoming): Promise<string> {
  const fromType = categoryForType(inp.mediaType);
  if (fromType) return fromType;
  const head = 'bytes' in file ? file.bytes.subarray(0, 256 * 1024) : await readHead(createReadStream(file.path), 256 * 1024);
  return probeImage(head) ? 'tweet_image' : 'tweet_video';
}

/**
 * The `command=` forms (v2 path and v1.1): one upload step with its parameters merged from the query and the
 * body. Returns the upload row after the step.
 */
export async function runCommand(req: OperationRequest, command: string, f: Record<string, unknown>, file: Incoming | null, v1: boolean): Promise<UploadRow> {
  const me = userOf(req);
  const media = req.ctx.media;
  switch (command) {
    case 'INIT':
      return media.init(me, initInput(f, v1));
    case 'APPEND': {
      const id = mediaIdField(f);
      const index = intField(f, 'segment_index');
      if (index === undefined) throw invalid('segment_index', [], 'The `segment_index` parameter can not be empty');
      if (!file) throw invalid('media', [], 'The `media` parameter can not be empty');
      return media.append(me, id, index, file, 'media_id');
    }
    case 'FINALIZE':
      return media.finalize(me, mediaIdField(f), 'media_id');
    case 'STATUS': {
      const u = await media.session(me, mediaIdField(f));
      if (u.status !== 'finalized') throw invalid('media_id', [u.id], `The media id [${u.id}] has not been finalized.`);
      return u;
    }
    default:
      throw invalid('command', [command], `The \`command\` value [${command}] is not one of [INIT,APPEND,FINALIZE,STATUS]`);
  }
}

export async function discard(file: Incoming | null): Promise<void> {
  if (file && 'path' in file) await rm(file.path, { force: true });
}

/** Body keys a one-shot upload may carry besides the file. */
export const ONE_SHOT_KEYS = new Set(['media_category', 'media_type', 'additional_owners', 'shared']);
