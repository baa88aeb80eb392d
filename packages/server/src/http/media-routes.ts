/**
 * Media routes outside the operations:
 * - the multipart/form-data body parser for media uploads (the body stays a stream, read by the handler so file
 *   parts go straight to disk);
 * - `GET /media/<media_key>.<ext>` (the bytes, with ranges) and `GET /media/<media_key>/preview.png`: what the
 *   `url`, `variants[].url` and `preview_image_url` of uploaded media point at.
 */
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { InvalidRequest, RouteNotFound } from '../errors.js';
import { boundaryOf, MultipartBody } from '../media/multipart.js';
import { greyPng } from '../media/preview.js';
import { kindOfCategory } from '../media/service.js';

/** Media uploads (v2, v1.1) and chat media uploads take multipart bodies. */
const MEDIA_PATHS = /^\/((2|1\.1)\/media|2\/chat\/media)\//;

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
