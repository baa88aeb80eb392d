/**
 * Media routes outside the v2 contract:
 * - the multipart/form-data body parser for media uploads (the body stays a stream, read by the handler so file
 *   parts go straight to disk);
 * - `POST|GET /1.1/media/upload.json`: the v1.1 form twitter-api-v2 and tweepy still use (simple upload with
 *   `media` or `media_data`, and `command=INIT|APPEND|FINALIZE|STATUS`), answered in v1.1 shapes
 *   (`media_id` as an exact JSON number, `media_id_string`, APPEND → 204, errors as `{request, error}`);
 * - `GET /media/<media_key>.<ext>` (the bytes, with ranges) and `GET /media/<media_key>/preview.png`: what the
 *   `url`, `variants[].url` and `preview_image_url` of uploaded media point at.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OperationDescriptor, ParamDescriptor } from '@roost/contract';
import type { Context } from '../context.js';
import type { OperationRequest } from '../api/types.js';
import { ApiError, fromError, InvalidRequest, RouteNotFound, Unauthorized } from '../errors.js';
import { boundaryOf, MultipartBody } from '../media/multipart.js';
import { inferCategory, initInput, readUpload, runCommand } from '../api/media-operations.js';
import type { UploadRow } from '../data/media-uploads.js';
import { greyPng } from '../media/preview.js';
import { kindOfCategory } from '../media/service.js';
import { routeOperation } from './operation-route.js';

const UPLOAD_PATH = '/1.1/media/upload.json';

const q = (name: string, extra: Partial<ParamDescriptor> = {}): ParamDescriptor => ({ name, in: 'query', required: false, type: 'string', ...extra });
const v1Params: ParamDescriptor[] = [
  q('command', { enum: ['INIT', 'APPEND', 'FINALIZE', 'STATUS'] }),
  q('media_id', { pattern: '^[0-9]{1,19}$' }),
  q('total_bytes', { pattern: '^[0-9]{1,17}$' }),
  q('media_type'),
  q('media_category'),
  q('segment_index', { pattern: '^[0-9]{1,3}$' }),
  q('additional_owners'),
  q('shared', { enum: ['true', 'false'] }),
];
const v1Security: OperationDescriptor['security'] = [
  { scheme: 'OAuth2UserToken', scopes: ['media.write'] },
  { scheme: 'UserToken', scopes: [] },
];

export const mediaUploadV1: OperationDescriptor = {
  operationId: 'mediaUploadV1',
  method: 'POST',
  path: UPLOAD_PATH,
  tag: 'Media',
  streaming: false,
  security: v1Security,
  params: v1Params,
  responses: { '200': null },
};
export const mediaUploadStatusV1: OperationDescriptor = { ...mediaUploadV1, operationId: 'mediaUploadStatusV1', method: 'GET' };

/** v1.1 upload answer; `media_id` is written as the exact number (ids exceed 2^53). */
function v1Body(req: OperationRequest, u: UploadRow): string {
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

async function v1Upload(req: OperationRequest) {
  const { fields, file } = await readUpload(req);
  const f: Record<string, unknown> = { ...req.params, ...fields };
  const command = typeof f.command === 'string' && f.command !== '' ? f.command : null;
  let u: UploadRow;
  if (command) {
    u = await runCommand(req, command, f, file, true);
    if (command === 'APPEND') return { status: 204, body: '' };
  } else {
    if (!file) throw InvalidRequest.one('media', [], 'media parameter is missing.');
    const me = req.principal?.userId;
    if (!me) throw new Unauthorized();
    // The same fields as INIT (owners trimmed, `shared`, types checked); the category may come from the bytes.
    const inp = initInput(f, true);
    inp.mediaCategory ??= await inferCategory(inp, file);
    u = await req.ctx.media.oneShot(me, inp, file);
  }
  return { body: v1Body(req, u) };
}

/** v1.1 error shapes: media upload errors are `{request, error}`; authentication and limits the v1.1 codes. */
function v1Error(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const wire = fromError(err);
  if (wire.headers) reply.headers(wire.headers);
  reply.header('x-transaction-id', req.id).type('application/json; charset=utf-8').status(wire.status);
  if (err instanceof Unauthorized || wire.status === 401) return reply.send({ errors: [{ code: 32, message: 'Could not authenticate you.' }] });
  if (wire.status === 429) return reply.send({ errors: [{ code: 88, message: 'Rate limit exceeded' }] });
  if (err instanceof InvalidRequest) return reply.send({ request: UPLOAD_PATH, error: err.items.map((i) => i.message).join(' ') });
  if (err instanceof ApiError && wire.status === 403) {
    return reply.send({ errors: [{ code: 220, message: String((wire.body as { detail?: unknown }).detail ?? 'Your credentials do not allow access to this resource.') }] });
  }
  if (wire.status >= 500) req.log.error({ err }, 'request failed');
  return reply.send(wire.status >= 500 ? { errors: [{ code: 131, message: 'Internal error' }] } : { request: UPLOAD_PATH, error: String((wire.body as { detail?: unknown }).detail ?? 'Bad request') });
}

const MEDIA_PATHS = /^\/(2|1\.1)\/media\//;

export function registerMediaRoutes(app: FastifyInstance, ctx: Context): void {
  // Multipart bodies stay streams; only media uploads take them.
  app.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    if (!MEDIA_PATHS.test(req.url)) {
      done(InvalidRequest.one('Content-Type', [], 'The Content-Type of the request body is not supported.'), undefined);
      return;
    }
    const boundary = boundaryOf(String(req.headers['content-type'] ?? ''));
    if (!boundary) {
      done(InvalidRequest.one('Content-Type', [], 'A multipart/form-data body needs a boundary.'), undefined);
      return;
    }
    done(null, new MultipartBody(payload, boundary));
  });

  void app.register(async (v1) => {
    v1.setErrorHandler((err, req, reply) => v1Error(err, req, reply));
    routeOperation(v1, ctx, mediaUploadV1, async (r) => v1Upload(r));
    routeOperation(v1, ctx, mediaUploadStatusV1, async (r) => {
      const u = await runCommand(r, 'STATUS', r.params, null, true);
      return { body: v1Body(r, u) };
    });
  });

  app.get('/media/:file', async (req, reply) => {
    const m = /^(\d{1,3}_\d{1,19})\.([a-z0-9]{2,5})$/.exec((req.params as { file: string }).file);
    const found = m ? await ctx.media.served(m[1]!) : null;
    if (!found) throw new RouteNotFound();
    const { u, contentType } = found;
    const size = u.size ?? 0;
    reply.header('accept-ranges', 'bytes').header('cache-control', 'public, max-age=31536000, immutable').type(contentType);
    const range = parseRange(String(req.headers.range ?? ''), size);
    if (range === 'invalid') {
      return reply.status(416).header('content-range', `bytes */${size}`).send('');
    }
    if (range) {
      reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', range.end - range.start + 1);
      return reply.send(ctx.media.blobs.open(u.blobKey!, range));
    }
    reply.header('content-length', size);
    return reply.send(ctx.media.blobs.open(u.blobKey!));
  });

  app.get('/media/:key/preview.png', async (req, reply) => {
    const key = (req.params as { key: string }).key;
    const found = /^\d{1,3}_\d{1,19}$/.test(key) ? await ctx.media.served(key) : null;
    // Only videos and GIFs have a preview_image_url; photos (and subtitles) have none.
    const kind = found ? kindOfCategory(found.u.mediaCategory) : undefined;
    if (!found || (kind !== 'video' && kind !== 'gif') || !found.u.probe?.width || !found.u.probe.height) throw new RouteNotFound();
    return reply.type('image/png').header('cache-control', 'public, max-age=31536000, immutable').send(greyPng(found.u.probe.width, found.u.probe.height));
  });
}

/** One `bytes=a-b` range (RFC 9110 §14.1.2), null when absent, 'invalid' when unsatisfiable. */
function parseRange(h: string, size: number): { start: number; end: number } | null | 'invalid' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'invalid';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}
