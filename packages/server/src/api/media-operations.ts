/**
 * Media operations (FACTS §11): uploads (one-shot, INIT/APPEND/FINALIZE/STATUS, the legacy `command=` forms on
 * `POST /2/media/upload`), metadata, subtitles, lookups and analytics. Upload logic lives in media/service.ts;
 * this file turns requests (JSON with base64, multipart streamed to disk, form fields, query parameters) into
 * service calls and answers in X's shapes. The v1.1 form is in http/media-legacy-routes.ts.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { operation as describe, type OperationDescriptor, type ParamDescriptor } from '@roost/contract';
import type { Operation, OperationRequest, OperationResult } from './types.js';
import { InvalidRequest, PROBLEMS, Unauthorized } from '../errors.js';
import { validateBody } from '../http/body-validation.js';
import { MultipartBody, readMultipart, TooLarge } from '../media/multipart.js';
import { categoryForType, kindOfCategory, normalizeCategory, SIZE_LIMITS, type Incoming, type InitInput } from '../media/service.js';
import { probeImage, readHead } from '../media/probe.js';
import type { UploadRow } from '../data/media-uploads.js';
import type { MediaRow } from '../data/rows.js';
import { presentMedia } from '../pipeline/present.js';
import { notFound } from '../pipeline/problems.js';
import { selection } from './shared.js';
import { idInRange } from '../util/snowflake.js';

const invalid = (param: string, values: string[], message: string) => InvalidRequest.one(param, values, message);

/** The largest body any upload request may carry: a whole video in one multipart request. */
const MAX_UPLOAD = SIZE_LIMITS.video;

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

function intField(f: Record<string, unknown>, k: string): number | undefined {
  const v = f[k];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,17}$/.test(v.trim())) return Number(v.trim());
  throw invalid(k, [String(v)], `The \`${k}\` value [${String(v)}] is not valid`);
}

function strField(f: Record<string, unknown>, k: string): string | undefined {
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

function mediaIdField(f: Record<string, unknown>, k = 'media_id'): string {
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

const meOf = (req: OperationRequest): string => {
  const me = req.principal?.userId;
  if (!me) throw new Unauthorized();
  return me;
};

/** X's v2 upload answer; a failed upload carries its processing error as a problem next to `data`. */
function uploadBody(req: OperationRequest, u: UploadRow): { data: unknown; errors?: unknown[] } {
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
  const me = meOf(req);
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

// ——— operations ———

const query = (name: string, extra: Partial<ParamDescriptor> = {}): ParamDescriptor => ({ name, in: 'query', required: false, type: 'string', ...extra });

/** `POST /2/media/upload` also takes the legacy `command=` parameters in its query string. */
const mediaUploadDescriptor: OperationDescriptor = {
  ...describe('mediaUpload'),
  params: [
    query('command', { enum: ['INIT', 'APPEND', 'FINALIZE', 'STATUS'] }),
    query('media_id', { pattern: '^[0-9]{1,19}$' }),
    query('total_bytes', { pattern: '^[0-9]{1,17}$' }),
    query('media_type'),
    query('media_category'),
    query('segment_index', { pattern: '^[0-9]{1,3}$' }),
    query('additional_owners'),
    query('shared', { enum: ['true', 'false'] }),
  ],
};

const ONE_SHOT_KEYS = new Set(['media_category', 'media_type', 'additional_owners', 'shared']);

export const mediaUpload: Operation = {
  operationId: 'mediaUpload',
  descriptor: mediaUploadDescriptor,
  async handle(req) {
    meOf(req);
    const { fields, file } = await readUpload(req);
    try {
      const f: Record<string, unknown> = { ...req.params, ...fields };
      const command = strField(f, 'command');
      if (command) {
        const u = await runCommand(req, command, f, file, false);
        if (command === 'APPEND') return { body: { data: { id: u.id, expires_at: Math.floor(u.expiresAt / 1000) } } };
        return { body: uploadBody(req, u) };
      }
      const unknown = Object.keys(f).filter((k) => !ONE_SHOT_KEYS.has(k));
      if (unknown.length) {
        throw new InvalidRequest(unknown.map((k) => ({ parameters: {}, message: `$.${k}: is not defined in the schema and the schema does not allow additional properties` })));
      }
      if (!file) throw invalid('media', [], '$.media: is missing but it is required');
      const inp = initInput(f, false);
      if (inp.mediaCategory === undefined) throw invalid('media_category', [], '$.media_category: is missing but it is required');
      const u = await req.ctx.media.oneShot(meOf(req), inp, file);
      return { body: uploadBody(req, u) };
    } finally {
      await discard(file);
    }
  },
};

async function discard(file: Incoming | null): Promise<void> {
  if (file && 'path' in file) await rm(file.path, { force: true });
}

export const initializeMediaUpload: Operation = {
  operationId: 'initializeMediaUpload',
  async handle(req) {
    const me = meOf(req);
    const b = validateBody<{ media_type?: string; total_bytes?: number; media_category?: string; shared?: boolean; additional_owners?: string[] }>(
      'InitializeMediaUploadRequest',
      req.body,
    );
    const u = await req.ctx.media.init(me, {
      mediaCategory: b.media_category,
      mediaType: b.media_type,
      totalBytes: b.total_bytes,
      additionalOwners: b.additional_owners,
      shared: b.shared,
    });
    return { body: { data: req.ctx.media.view(u) } };
  },
};

export const appendMediaUpload: Operation = {
  operationId: 'appendMediaUpload',
  async handle(req) {
    const me = meOf(req);
    const id = String(req.params.id);
    if (!(req.body instanceof MultipartBody)) validateBody('AppendMediaUploadRequest', req.body);
    // Known before the bytes are read: a segment can never be larger than the declared file.
    const session = await req.ctx.media.session(me, id, 'id');
    const { fields, file } = await readUpload(req, session.totalBytes ?? MAX_UPLOAD);
    try {
      const unknown = Object.keys(fields).filter((k) => k !== 'segment_index');
      if (unknown.length) {
        throw new InvalidRequest(unknown.map((k) => ({ parameters: {}, message: `$.${k}: is not defined in the schema and the schema does not allow additional properties` })));
      }
      const index = intField(fields, 'segment_index');
      if (index === undefined) throw invalid('segment_index', [], '$.segment_index: is missing but it is required');
      if (!file) throw invalid('media', [], '$.media: is missing but it is required');
      const u = await req.ctx.media.append(me, id, index, file);
      return { body: { data: { expires_at: Math.floor(u.expiresAt / 1000) } } };
    } finally {
      await discard(file);
    }
  },
};

export const finalizeMediaUpload: Operation = {
  operationId: 'finalizeMediaUpload',
  async handle(req) {
    const u = await req.ctx.media.finalize(meOf(req), String(req.params.id));
    return { body: uploadBody(req, u) };
  },
};

export const getMediaUploadStatus: Operation = {
  operationId: 'getMediaUploadStatus',
  async handle(req) {
    const u = await runCommand(req, 'STATUS', req.params, null, false);
    return { body: uploadBody(req, u) };
  },
};

/** An upload the caller may manage: owner or additional owner, finalized. */
async function managed(req: OperationRequest, id: string, param: string): Promise<UploadRow> {
  const me = meOf(req);
  // DeleteMediaSubtitlesRequest gives `id` no pattern, so not every id reaching here was validated.
  const u = /^\d{1,19}$/.test(id) && idInRange(id) ? await req.ctx.repos.mediaUploads.byId(id) : null;
  if (!u || (u.ownerId !== me && !u.additionalOwners.includes(me))) throw invalid(param, [id], `The \`${param}\` value [${id}] is not a valid media id.`);
  if (u.status !== 'finalized') throw invalid(param, [id], `The media id [${id}] has not been finalized.`);
  return u;
}

interface MetadataBody {
  id: string;
  metadata?: { alt_text?: { text: string }; sensitive_media_warning?: Record<string, unknown>; [k: string]: unknown };
}

const SENSITIVE_KEYS = new Set(['adult_content', 'graphic_violence', 'other']);

export const createMediaMetadata: Operation = {
  operationId: 'createMediaMetadata',
  async handle(req) {
    const b = validateBody<MetadataBody>('CreateMediaMetadataRequest', req.body);
    const u = await managed(req, b.id, 'id');
    const kind = kindOfCategory(u.mediaCategory);
    const md = b.metadata ?? {};
    if (md.alt_text && kind !== 'image' && kind !== 'gif') {
      throw invalid('metadata.alt_text', [], 'Alt text can only be set on images and animated GIFs.');
    }
    const warn = md.sensitive_media_warning;
    if (warn) {
      for (const [k, v] of Object.entries(warn)) {
        if (!SENSITIVE_KEYS.has(k) || typeof v !== 'boolean') {
          throw invalid('metadata.sensitive_media_warning', [k], `$.metadata.sensitive_media_warning.${k}: must be one of adult_content, graphic_violence, other with a boolean value`);
        }
      }
    }
    const merged = { ...(u.metadata ?? {}), ...md };
    await req.ctx.repos.mediaUploads.setMetadata(u.id, merged);
    if (md.alt_text) await req.ctx.repos.attachments.setAltText(u.mediaKey, md.alt_text.text === '' ? null : md.alt_text.text);
    return { body: { data: { id: u.id, associated_metadata: merged } } };
  },
};

interface SubtitlesBody {
  id?: string;
  media_category?: string;
  subtitles?: { id?: string; language_code?: string; display_name?: string };
}

async function subtitledVideo(req: OperationRequest, id: string | undefined, category: string | undefined): Promise<UploadRow> {
  if (!id) throw invalid('id', [], '$.id: is missing but it is required');
  if (!category) throw invalid('media_category', [], '$.media_category: is missing but it is required');
  const u = await managed(req, id, 'id');
  if (kindOfCategory(u.mediaCategory) !== 'video') throw invalid('id', [id], `The media id [${id}] is not a video.`);
  const want = normalizeCategory(category);
  if (want !== 'tweet_video' && want !== 'amplify_video') {
    throw invalid('media_category', [category], `The \`media_category\` value [${category}] is not one of [AmplifyVideo,TweetVideo]`);
  }
  return u;
}

export const createMediaSubtitles: Operation = {
  operationId: 'createMediaSubtitles',
  async handle(req) {
    const b = validateBody<SubtitlesBody>('CreateMediaSubtitlesRequest', req.body);
    const video = await subtitledVideo(req, b.id, b.media_category);
    const s = b.subtitles;
    if (!s?.id) throw invalid('subtitles.id', [], '$.subtitles.id: is missing but it is required');
    if (!s.language_code) throw invalid('subtitles.language_code', [], '$.subtitles.language_code: is missing but it is required');
    const sub = await managed(req, s.id, 'subtitles.id');
    if (kindOfCategory(sub.mediaCategory) !== 'subtitles') throw invalid('subtitles.id', [s.id], `The media id [${s.id}] is not a subtitles file.`);
    if (!req.ctx.media.isReady(sub)) throw invalid('subtitles.id', [s.id], `The media id [${s.id}] is not a processed subtitles file.`);
    const entry = { id: s.id, language_code: s.language_code, ...(s.display_name ? { display_name: s.display_name } : {}) };
    const list = [...(video.subtitles ?? []).filter((x) => x.language_code !== s.language_code), entry];
    await req.ctx.repos.mediaUploads.setSubtitles(video.id, list);
    return { body: { data: { id: video.id, media_category: b.media_category, associated_subtitles: { subtitles: list } } } };
  },
};

export const deleteMediaSubtitles: Operation = {
  operationId: 'deleteMediaSubtitles',
  async handle(req) {
    const b = validateBody<{ id: string; media_category: string; language_code: string }>('DeleteMediaSubtitlesRequest', req.body);
    const video = await subtitledVideo(req, b.id, b.media_category);
    const before = video.subtitles ?? [];
    const after = before.filter((x) => x.language_code !== b.language_code);
    if (after.length !== before.length) await req.ctx.repos.mediaUploads.setSubtitles(video.id, after);
    return { body: { data: { deleted: after.length !== before.length } } };
  },
};

/** Media objects by key: seeded media, and uploads once processed. */
async function lookup(req: OperationRequest, keys: string[]): Promise<Map<string, MediaRow>> {
  const [rows, uploads] = await Promise.all([req.ctx.repos.attachments.mediaByKeys(keys), req.ctx.repos.mediaUploads.byKeys(keys)]);
  for (const [k, u] of uploads) if (!req.ctx.media.isReady(u)) rows.delete(k);
  return rows;
}

export const getMediaByMediaKey: Operation = {
  operationId: 'getMediaByMediaKey',
  async handle(req) {
    const key = String(req.params.media_key);
    const m = (await lookup(req, [key])).get(key);
    if (!m) return { body: { errors: [notFound('media', 'media_key', key)] } };
    return { body: { data: presentMedia(m, selection(req)) } };
  },
};

export const getMediaByMediaKeys: Operation = {
  operationId: 'getMediaByMediaKeys',
  async handle(req) {
    const keys = req.params.media_keys as string[];
    const found = await lookup(req, keys);
    const sel = selection(req);
    const data = keys.filter((k) => found.has(k)).map((k) => presentMedia(found.get(k)!, sel));
    const errors = keys.filter((k) => !found.has(k)).map((k) => notFound('media', 'media_keys', k));
    const body: Record<string, unknown> = {};
    if (data.length) body.data = data;
    if (errors.length) body.errors = errors;
    return { body };
  },
};

const BUCKET_MS: Record<string, number> = { hourly: 3_600_000, daily: 86_400_000 };
const MAX_BUCKETS = 2000;
const METRICS = ['cta_url_clicks', 'cta_watch_clicks', 'play_from_tap', 'playback25', 'playback50', 'playback75', 'playback_complete', 'playback_start', 'video_views', 'watch_time_ms'] as const;

/**
 * Analytics of the caller's own media. Roost has no players, so playback counts are zero and `video_views` is
 * the media's view count in the first bucket; every bucket of the window is listed.
 */
export const getMediaAnalytics: Operation = {
  operationId: 'getMediaAnalytics',
  async handle(req) {
    const me = meOf(req);
    const keys = req.params.media_keys as string[];
    const start = Date.parse(String(req.params.start_time));
    const end = Date.parse(String(req.params.end_time));
    if (end <= start) throw invalid('end_time', [String(req.params.end_time)], 'The `end_time` query parameter value must be after the `start_time`.');
    const granularity = String(req.params.granularity ?? 'daily');
    const step = BUCKET_MS[granularity];
    const buckets: number[] = [];
    if (step) {
      for (let t = Math.floor(start / step) * step; t < end; t += step) {
        buckets.push(t);
        if (buckets.length > MAX_BUCKETS) throw invalid('granularity', [granularity], `The window holds more than ${MAX_BUCKETS} ${granularity} buckets.`);
      }
    } else buckets.push(start);
    const wanted = Array.isArray(req.params['media_analytics.fields']) ? new Set(req.params['media_analytics.fields'] as string[]) : null;
    const found = await lookup(req, keys);
    const data: Record<string, unknown>[] = [];
    const errors: unknown[] = [];
    for (const k of keys) {
      const m = found.get(k);
      if (!m || m.ownerId !== me) {
        errors.push(notFound('media', 'media_keys', k));
        continue;
      }
      const series = buckets.map((t, i) => {
        const metrics: Record<string, number> = {};
        for (const name of METRICS) if (!wanted || wanted.has(name) || wanted.has('timestamped_metrics')) metrics[name] = name === 'video_views' && i === 0 ? m.viewCount : 0;
        return { timestamp: new Date(t).toISOString(), metrics };
      });
      data.push({ media_key: k, timestamped_metrics: series });
    }
    const body: Record<string, unknown> = {};
    if (data.length) body.data = data;
    if (errors.length) body.errors = errors;
    return { body } satisfies OperationResult;
  },
};

export const mediaOperations: readonly Operation[] = [
  mediaUpload,
  initializeMediaUpload,
  appendMediaUpload,
  finalizeMediaUpload,
  getMediaUploadStatus,
  createMediaMetadata,
  createMediaSubtitles,
  deleteMediaSubtitles,
  getMediaByMediaKey,
  getMediaByMediaKeys,
  getMediaAnalytics,
];
