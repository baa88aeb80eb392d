/**
 * Media uploads as X runs them (FACTS §11): sessions (INIT → APPEND segments in any order → FINALIZE → STATUS)
 * and one-shot uploads, validated as X does (category vs type, declared vs received size, per-type limits),
 * probed from the bytes, processed on the server clock (pending → in_progress → succeeded | failed), stored
 * content-addressed in a BlobStore, and published as Media objects (`media` table) when processing succeeds.
 *
 * Segments are files in a staging directory (`<dir>/uploads/<id>/seg-<n>`), recorded in `media_segments`, so an
 * upload survives a restart and continues after one. A retried segment replaces the earlier copy (idempotent).
 * FINALIZE streams the segments in order into the blob store (never the whole file in memory).
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Repos } from '../data/index.js';
import type { MediaRow } from '../data/rows.js';
import type { ProbeResult, ProcessingError, UploadRow } from '../data/media-uploads.js';
import { idInRange, type Snowflake } from '../util/snowflake.js';
import { InvalidRequest } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { gifFrames, IMAGE_MIME, probeImage, probeMp4, probeSubtitles, readHead } from './probe.js';
import { isPrivateCategory, resourceIds } from './dm-urls.js';

export type MediaKind = 'image' | 'gif' | 'video' | 'subtitles';

const CATEGORIES = ['amplify_video', 'tweet_gif', 'tweet_image', 'tweet_video', 'dm_gif', 'dm_image', 'dm_video', 'subtitles'] as const;

const KIND_OF: Record<string, MediaKind> = {
  tweet_image: 'image',
  dm_image: 'image',
  tweet_gif: 'gif',
  dm_gif: 'gif',
  tweet_video: 'video',
  dm_video: 'video',
  amplify_video: 'video',
  subtitles: 'subtitles',
};

/** Per-type size limits (FACTS §11). */
export const SIZE_LIMITS: Record<MediaKind, number> = {
  image: 5 * 1024 * 1024,
  gif: 15 * 1024 * 1024,
  video: 512 * 1024 * 1024,
  subtitles: 5 * 1024 * 1024,
};

/** media_type values each kind accepts. */
const TYPES_OF: Record<MediaKind, readonly string[]> = {
  image: ['image/jpeg', 'image/pjpeg', 'image/png', 'image/webp', 'image/bmp', 'image/tiff', 'image/gif'],
  gif: ['image/gif'],
  video: ['video/mp4', 'video/quicktime', 'video/webm', 'video/mp2t'],
  subtitles: ['text/srt', 'text/vtt'],
};

/** Media key prefixes X uses (FACTS §8.3: 3 photo, 7 and 13 video, 16 animated GIF). */
const KEY_PREFIX: Record<string, string> = {
  tweet_image: '3',
  dm_image: '3',
  subtitles: '3',
  tweet_gif: '16',
  dm_gif: '16',
  tweet_video: '7',
  dm_video: '7',
  amplify_video: '13',
};

/** An upload session may be appended to for 15 days (X's INIT answers 1295999–1296000 s). */
const SESSION_TTL_MS = 1_296_000_000;
/** Finalized media may be attached to posts for 24 hours (X's FINALIZE answers 86400 s). */
const MEDIA_TTL_MS = 86_400_000;
/** Processing starts `pending` for this long, then runs `in_progress`. */
const PENDING_MS = 1000;
/** The 1,000 segments of the spec (`segment_index` 0–999). */
const MAX_SEGMENTS = 1000;

const GIF_MAX = { w: 1280, h: 1080 };
const GIF_MAX_FRAMES = 350;
const GIF_MAX_PIXELS = 300_000_000;
const VIDEO_MIN_SIDE = 32;
const VIDEO_MAX = { w: 1280, h: 1024 };
const VIDEO_MIN_MS = 500;
const VIDEO_MAX_MS = 140_000;
const VIDEO_MAX_FPS = 60;

/** The category of opaque uploads (X Chat media); not one of X's `media_category` values, so no request names it. */
export const OPAQUE_CATEGORY = 'chat_media';
/** The largest X Chat attachment Roost takes (X documents none; its video limit). */
export const OPAQUE_LIMIT = SIZE_LIMITS.video;

function checkTotalBytes(total: number | undefined, limit: number): void {
  if (total === undefined) throw invalid('total_bytes', [], 'The `total_bytes` parameter is required.');
  // An empty file can never be processed (one-shot uploads refuse empty media the same way).
  if (!Number.isInteger(total) || total <= 0) throw invalid('total_bytes', [String(total)], `The \`total_bytes\` value [${total}] is not valid`);
  if (total > limit) throw invalid('total_bytes', [String(total)], `File size exceeds ${limit} bytes.`);
}

/** The v1.1 CamelCase category names (`TweetImage`, `AmplifyVideo`, …) and X's snake_case ones. */
export function normalizeCategory(c: string): string {
  return c.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export const kindOfCategory = (c: string): MediaKind | undefined => KIND_OF[c];

/** What a category-less (v1.1) upload is, from its media_type. */
export function categoryForType(mediaType: string | undefined): string | undefined {
  if (!mediaType) return undefined;
  if (mediaType === 'image/gif') return 'tweet_gif';
  if (mediaType.startsWith('image/')) return 'tweet_image';
  if (mediaType.startsWith('video/')) return 'tweet_video';
  if (mediaType.startsWith('text/')) return 'subtitles';
  return undefined;
}

const mediaTypeOf = (kind: MediaKind): 'photo' | 'animated_gif' | 'video' | null =>
  kind === 'image' ? 'photo' : kind === 'gif' ? 'animated_gif' : kind === 'video' ? 'video' : null;

/** X's v2 answer for an upload (init, finalize, status, one-shot). */
export interface UploadView {
  id: string;
  media_key: string;
  size?: number;
  expires_after_secs: number;
  processing_info?: { state: 'pending' | 'in_progress' | 'succeeded' | 'failed'; check_after_secs?: number; progress_percent?: number };
  image?: { image_type: string; w: number; h: number };
  video?: { video_type: string };
}

export interface InitInput {
  mediaCategory?: string;
  mediaType?: string;
  totalBytes?: number;
  additionalOwners?: string[];
  shared?: boolean;
  /** v1.1 lets the category be inferred from the type; v2 requires it. */
  inferCategory?: boolean;
}

/** Bytes of a segment or one-shot upload: a file already on disk (multipart) or decoded base64 (JSON). */
export type Incoming = { path: string; size: number } | { bytes: Buffer };

const invalid = (param: string, values: string[], message: string) => InvalidRequest.one(param, values, message);

export class MediaService {
  /** Where served bytes are reached (`ROOST_PUBLIC_URL`, or the listening address once known). */
  baseUrl = '';
  private readonly finalizing = new Map<string, Promise<UploadRow>>();

  constructor(
    readonly dir: string,
    readonly blobs: BlobStore,
    private readonly repos: Repos,
    private readonly clock: Clock,
    private readonly ids: Snowflake,
  ) {}

  /** Staging directory for files that arrive before they belong to a segment (multipart parts). */
  async incomingDir(): Promise<string> {
    const d = join(this.dir, 'incoming');
    await mkdir(d, { recursive: true });
    return d;
  }

  private segDir(id: string): string {
    return join(this.dir, 'uploads', id);
  }

  /**
   * Startup housekeeping: staging directories of sessions that are gone, expired or finalized, and stray
   * part/blob temp files older than an hour (left by a process that died mid-request).
   */
  async sweep(): Promise<number> {
    let removed = 0;
    const now = this.clock.now();
    const uploads = join(this.dir, 'uploads');
    for (const id of await readdir(uploads).catch(() => [] as string[])) {
      const u = /^\d{1,19}$/.test(id) && idInRange(id) ? await this.repos.mediaUploads.byId(id) : null;
      if (!u || u.status !== 'uploading' || now >= u.expiresAt) {
        await rm(join(uploads, id), { recursive: true, force: true });
        if (u && u.status === 'uploading') await this.repos.mediaUploads.deleteSegments(id);
        removed++;
      }
    }
    for (const sub of ['incoming', 'tmp']) {
      const d = join(this.dir, sub);
      for (const f of await readdir(d).catch(() => [] as string[])) {
        const st = await stat(join(d, f)).catch(() => null);
        // File times are wall-clock times, so this compares with the wall clock, not ctx.clock.
        if (st && Date.now() - st.mtimeMs > 3_600_000) {
          await rm(join(d, f), { force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  // ——— sessions ———

  async init(ownerId: string, inp: InitInput, opts: { typeOptional?: boolean } = {}): Promise<UploadRow> {
    const { category, kind } = this.checkCategory(inp, 'media_category');
    checkTotalBytes(inp.totalBytes, SIZE_LIMITS[kind]);
    if (!inp.mediaType && !opts.typeOptional) throw invalid('media_type', [], 'The `media_type` parameter is required.');
    const owners = await this.checkOwners(inp.additionalOwners ?? []);
    return this.openSession(ownerId, category, KEY_PREFIX[category]!, { mediaType: inp.mediaType ?? null, totalBytes: inp.totalBytes!, additionalOwners: owners, shared: !!inp.shared });
  }

  /**
   * An upload of opaque bytes (X Chat media: encrypted by the client): a session like any other, never probed,
   * processed or shown as a Media object; its bytes are only served back by the chat media route.
   */
  async initOpaque(ownerId: string, totalBytes: number | undefined): Promise<UploadRow> {
    checkTotalBytes(totalBytes, OPAQUE_LIMIT);
    return this.openSession(ownerId, OPAQUE_CATEGORY, OPAQUE_CATEGORY, { mediaType: null, totalBytes: totalBytes!, additionalOwners: [], shared: false });
  }

  private async openSession(
    ownerId: string,
    category: string,
    keyPrefix: string,
    s: Pick<UploadRow, 'mediaType' | 'totalBytes' | 'additionalOwners' | 'shared'>,
  ): Promise<UploadRow> {
    const now = this.clock.now();
    const id = this.ids.next();
    const row: UploadRow = {
      id,
      mediaKey: `${keyPrefix}_${id}`,
      ownerId,
      mediaCategory: category,
      ...s,
      status: 'uploading',
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
      finalizedAt: null,
      processMs: null,
      outcome: null,
      error: null,
      blobKey: null,
      size: null,
      probe: null,
      metadata: null,
      subtitles: null,
    };
    await this.repos.mediaUploads.insert(row);
    return row;
  }

  /** Validates media_category (required unless inferable) against media_type. */
  private checkCategory(inp: InitInput, param: string): { category: string; kind: MediaKind } {
    let category = inp.mediaCategory !== undefined ? normalizeCategory(inp.mediaCategory) : undefined;
    if (category === undefined && inp.inferCategory) category = categoryForType(inp.mediaType);
    if (category === undefined) throw invalid(param, [], 'The `media_category` parameter is required.');
    const kind = KIND_OF[category];
    if (!kind) {
      throw invalid(param, [inp.mediaCategory ?? category], `The \`media_category\` value [${inp.mediaCategory ?? category}] is not one of [${CATEGORIES.join(',')}]`);
    }
    if (inp.mediaType !== undefined && !TYPES_OF[kind].includes(inp.mediaType)) {
      throw invalid('media_type', [inp.mediaType], `The \`media_type\` [${inp.mediaType}] does not match the \`media_category\` [${category}].`);
    }
    return { category, kind };
  }

  private async checkOwners(owners: string[]): Promise<string[]> {
    const uniq = [...new Set(owners)];
    if (uniq.length > 100) throw invalid('additional_owners', uniq, 'At most 100 additional owners may be given.');
    const bad = uniq.filter((o) => !/^\d{1,19}$/.test(o));
    if (bad.length) throw invalid('additional_owners', bad, `The \`additional_owners\` value [${bad.join(',')}] is not valid`);
    const found = await this.repos.users.byIds(uniq);
    const missing = uniq.filter((o) => !found.has(o));
    if (missing.length) throw invalid('additional_owners', missing, `The \`additional_owners\` value [${missing.join(',')}] is not valid`);
    return uniq;
  }

  /** The caller's upload session; ids that are unknown, someone else's or expired are a 400 invalid-request. */
  async session(ownerId: string, id: string, param = 'media_id'): Promise<UploadRow> {
    const u = await this.repos.mediaUploads.byId(id);
    if (!u || u.ownerId !== ownerId) throw invalid(param, [id], `The \`${param}\` value [${id}] is not a valid media id.`);
    if (this.clock.now() >= u.expiresAt) throw invalid(param, [id], `The media id [${id}] has expired.`);
    return u;
  }

  async append(ownerId: string, id: string, segmentIndex: number, data: Incoming, param = 'id'): Promise<UploadRow> {
    try {
      if (!Number.isInteger(segmentIndex) || segmentIndex < 0 || segmentIndex >= MAX_SEGMENTS) {
        throw invalid('segment_index', [String(segmentIndex)], `The \`segment_index\` value [${segmentIndex}] is not between 0 and ${MAX_SEGMENTS - 1}`);
      }
      const u = await this.session(ownerId, id, param);
      if (u.status !== 'uploading') throw invalid(param, [id], `The media id [${id}] has already been finalized.`);
      const size = 'path' in data ? data.size : data.bytes.length;
      const others = (await this.repos.mediaUploads.segments(id)).filter((s) => s.index !== segmentIndex).reduce((a, s) => a + s.size, 0);
      if (u.totalBytes !== null && others + size > u.totalBytes) {
        throw invalid('media', [], `The bytes received [${others + size}] exceed the declared \`total_bytes\` [${u.totalBytes}].`);
      }
      const dir = this.segDir(id);
      await mkdir(dir, { recursive: true });
      const dest = join(dir, `seg-${segmentIndex}`);
      if ('path' in data) await rename(data.path, dest);
      else {
        const tmp = join(dir, `tmp-${randomBytes(6).toString('hex')}`);
        await writeFile(tmp, data.bytes);
        await rename(tmp, dest);
      }
      await this.repos.mediaUploads.putSegment(id, segmentIndex, size, this.clock.now());
      return u;
    } finally {
      if ('path' in data) await rm(data.path, { force: true });
    }
  }

  async finalize(ownerId: string, id: string, param = 'id'): Promise<UploadRow> {
    const u = await this.session(ownerId, id, param);
    if (u.status === 'finalized') return u;
    let p = this.finalizing.get(id);
    if (!p) {
      p = this.doFinalize(u, param).finally(() => this.finalizing.delete(id));
      this.finalizing.set(id, p);
    }
    return p;
  }

  private async doFinalize(u: UploadRow, param: string): Promise<UploadRow> {
    const segs = await this.repos.mediaUploads.segments(u.id);
    if (segs.length === 0) throw invalid(param, [u.id], `No segments were appended to media id [${u.id}].`);
    const missing = segs.findIndex((s, i) => s.index !== i);
    if (missing >= 0) throw invalid('segment_index', [String(missing)], `Segment [${missing}] of media id [${u.id}] is missing.`);
    const received = segs.reduce((a, s) => a + s.size, 0);
    if (u.totalBytes !== null && received !== u.totalBytes) {
      // X's words (v1.1 FINALIZE).
      throw invalid('total_bytes', [String(u.totalBytes)], 'Segments do not add up to provided total file size.');
    }
    const dir = this.segDir(u.id);
    const blob = await this.blobs.put(concatFiles(segs.map((s) => join(dir, `seg-${s.index}`))));
    const done = await this.process(u, blob.key, blob.size);
    await this.repos.mediaUploads.deleteSegments(u.id);
    await rm(dir, { recursive: true, force: true });
    return done;
  }

  /** One-shot upload: a session, one segment and FINALIZE in one request. */
  async oneShot(ownerId: string, inp: InitInput, data: Incoming): Promise<UploadRow> {
    try {
      const { category, kind } = this.checkCategory(inp, 'media_category');
      const size = 'path' in data ? data.size : data.bytes.length;
      if (size > SIZE_LIMITS[kind]) throw invalid('media', [], `File size exceeds ${SIZE_LIMITS[kind]} bytes.`);
      if (size === 0) throw invalid('media', [], 'The `media` parameter can not be empty.');
      const u = await this.init(ownerId, { ...inp, mediaCategory: category, totalBytes: size }, { typeOptional: true });
      await this.append(ownerId, u.id, 0, data);
      return await this.finalize(ownerId, u.id, 'media');
    } finally {
      if ('path' in data) await rm(data.path, { force: true });
    }
  }

  /**
   * Probes the stored bytes and records the outcome. Processing is modelled on the server clock: images and
   * subtitles are ready at once; GIFs and videos report pending, then in_progress, for `process_ms`.
   */
  private async process(u: UploadRow, blobKey: string, size: number): Promise<UploadRow> {
    const now = this.clock.now();
    const kind = KIND_OF[u.mediaCategory];
    // Opaque bytes (X Chat media) are stored as they came: nothing to probe.
    const { probe, error } = kind ? await this.probe(kind, u.mediaType, blobKey) : { probe: null, error: null };
    const outcome = error ? 'failed' : 'succeeded';
    let processMs = 0;
    if (kind === 'gif') processMs = error ? PENDING_MS + 1000 : 3000;
    if (kind === 'video') processMs = error ? PENDING_MS + 1000 : 3000 + Math.floor(size / (16 * 1024 * 1024)) * 1000;
    const f = {
      finalizedAt: now,
      processMs,
      outcome: outcome as UploadRow['outcome'],
      error,
      blobKey,
      size,
      probe,
      expiresAt: now + MEDIA_TTL_MS,
    };
    const done: UploadRow = { ...u, ...f, status: 'finalized' };
    // The finalized upload and its Media object are written together: never one without the other.
    const won = await this.repos.transaction(async (r) => {
      if (!(await r.mediaUploads.finalize(u.id, f))) return false;
      const media = outcome === 'succeeded' ? this.mediaRowOf(done) : null;
      if (media) await r.attachments.insertMedia([media]);
      return true;
    });
    return won ? done : (await this.repos.mediaUploads.byId(u.id))!;
  }

  private async probe(kind: MediaKind, mediaType: string | null, blobKey: string): Promise<{ probe: ProbeResult | null; error: ProcessingError | null }> {
    const unsupported = (message: string): ProcessingError => ({ code: 3, name: 'UnsupportedMedia', message });
    if (kind === 'image' || kind === 'gif') {
      const p = probeImage(await readHead(this.blobs.open(blobKey), kind === 'gif' ? 256 * 1024 : SIZE_LIMITS.image));
      if (!p) return { probe: null, error: { code: 1, name: 'InvalidMedia', message: 'media type unrecognized.' } };
      if (kind === 'gif' && p.format !== 'gif') return { probe: p, error: { code: 1, name: 'InvalidMedia', message: 'Unsupported animated GIF format' } };
      if (mediaType && mediaType !== 'image/pjpeg' && IMAGE_MIME[p.format] !== mediaType) {
        return { probe: p, error: { code: 1, name: 'InvalidMedia', message: `The media_type [${mediaType}] does not match the file, which is ${IMAGE_MIME[p.format]}.` } };
      }
      if (kind === 'gif' && (p.width! > GIF_MAX.w || p.height! > GIF_MAX.h)) {
        return { probe: p, error: unsupported(`GIF dimensions ${p.width}x${p.height} exceed the maximum of ${GIF_MAX.w}x${GIF_MAX.h}`) };
      }
      if (kind === 'gif') {
        const g = await gifFrames(this.blobs.open(blobKey));
        if (!g) return { probe: p, error: { code: 1, name: 'InvalidMedia', message: 'Unsupported animated GIF format' } };
        if (g.frames > GIF_MAX_FRAMES) return { probe: p, error: unsupported(`GIF has ${g.frames} frames, more than the maximum of ${GIF_MAX_FRAMES}`) };
        if (g.pixels > GIF_MAX_PIXELS) return { probe: p, error: unsupported(`GIF has ${g.pixels} pixels in all frames, more than the maximum of ${GIF_MAX_PIXELS}`) };
      }
      return { probe: p, error: null };
    }
    if (kind === 'subtitles') {
      const p = probeSubtitles(await readHead(this.blobs.open(blobKey), 4096));
      if (!p) return { probe: null, error: { code: 1, name: 'InvalidMedia', message: 'Unsupported subtitles format' } };
      return { probe: p, error: null };
    }
    const p = await probeMp4(this.blobs.open(blobKey));
    if (!p) return { probe: null, error: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } };
    const { width = 0, height = 0, durationMs = 0 } = p;
    if (durationMs < VIDEO_MIN_MS) return { probe: p, error: unsupported(`Duration ${duration(durationMs)} is shorter than min duration of ${duration(VIDEO_MIN_MS)}`) };
    if (durationMs > VIDEO_MAX_MS) return { probe: p, error: unsupported(`Duration ${duration(durationMs)} exceeds max duration of ${duration(VIDEO_MAX_MS)}`) };
    if (width < VIDEO_MIN_SIDE || height < VIDEO_MIN_SIDE || width > VIDEO_MAX.w || height > VIDEO_MAX.h) {
      return { probe: p, error: unsupported(`Video dimensions ${width}x${height} are outside ${VIDEO_MIN_SIDE}x${VIDEO_MIN_SIDE}–${VIDEO_MAX.w}x${VIDEO_MAX.h}`) };
    }
    if (p.codec && !/^avc[13]\./.test(p.codec)) return { probe: p, error: unsupported(`Video codec ${p.codec.split('.')[0]} is not supported (H.264 only)`) };
    if (p.fps !== undefined && p.fps > VIDEO_MAX_FPS) return { probe: p, error: unsupported(`Frame rate ${p.fps} exceeds max frame rate of ${VIDEO_MAX_FPS}`) };
    const ratio = width / height;
    if (ratio < 1 / 3 || ratio > 3) return { probe: p, error: unsupported(`Video aspect ratio ${width}:${height} is outside 1:3–3:1`) };
    return { probe: p, error: null };
  }

  /** The Media object a succeeded upload becomes (null for subtitles, which are not post media). */
  mediaRowOf(u: UploadRow): MediaRow | null {
    const kind = KIND_OF[u.mediaCategory];
    const type = kind ? mediaTypeOf(kind) : null;
    if (!type || !u.probe) return null;
    // Direct Message media is served per event to participants only: its row holds resource ids (media/dm-urls.ts).
    const dm = isPrivateCategory(u.mediaCategory) ? resourceIds(u.mediaKey, extOf(u.probe)) : null;
    const file = dm ? dm.file : `/media/${u.mediaKey}.${extOf(u.probe)}`;
    const preview = dm ? dm.preview : `/media/${u.mediaKey}/preview.png`;
    const base = dm ? '' : this.baseUrl;
    const row: MediaRow = {
      mediaKey: u.mediaKey,
      id: u.id,
      ownerId: u.ownerId,
      type,
      url: type === 'photo' ? base + file : null,
      previewImageUrl: type === 'photo' ? null : base + preview,
      width: u.probe.width ?? null,
      height: u.probe.height ?? null,
      durationMs: type === 'video' ? (u.probe.durationMs ?? null) : null,
      altText: null,
      variants: null,
      viewCount: 0,
      createdAt: u.finalizedAt ?? u.createdAt,
    };
    if (type === 'video') {
      const secs = Math.max(0.001, (u.probe.durationMs ?? 1000) / 1000);
      row.variants = [{ bit_rate: Math.round(((u.size ?? 0) * 8) / secs), content_type: 'video/mp4', url: base + file }];
    } else if (type === 'animated_gif') {
      row.variants = [{ bit_rate: 0, content_type: 'image/gif', url: base + file }];
    }
    return row;
  }

  // ——— state ———

  /** Processing state on the server clock; null when the upload is ready without processing (images). */
  processingInfo(u: UploadRow, now = this.clock.now()): UploadView['processing_info'] | null {
    if (u.status !== 'finalized' || u.finalizedAt === null) return null;
    const t = now - u.finalizedAt;
    const total = u.processMs ?? 0;
    if (total === 0) return u.outcome === 'failed' ? { state: 'failed', progress_percent: 100 } : null;
    if (t < PENDING_MS) return { state: 'pending', check_after_secs: 1 };
    if (t < total) {
      const pct = Math.min(99, Math.max(1, Math.floor((100 * t) / total)));
      return { state: 'in_progress', check_after_secs: Math.min(5, Math.max(1, Math.ceil((total - t) / 1000))), progress_percent: pct };
    }
    return { state: u.outcome === 'failed' ? 'failed' : 'succeeded', progress_percent: 100 };
  }

  /** Finalized, processed successfully, and (for new posts) not expired. */
  isReady(u: UploadRow, now = this.clock.now()): boolean {
    if (u.status !== 'finalized' || u.outcome !== 'succeeded' || u.finalizedAt === null) return false;
    return now >= u.finalizedAt + (u.processMs ?? 0);
  }

  view(u: UploadRow, now = this.clock.now()): UploadView {
    const v: UploadView = { id: u.id, media_key: u.mediaKey, expires_after_secs: Math.max(0, Math.floor((u.expiresAt - now) / 1000)) };
    if (u.status !== 'finalized') return v;
    if (u.size !== null) v.size = u.size;
    const info = this.processingInfo(u, now);
    if (info) v.processing_info = info;
    if (this.isReady(u, now) && u.probe) {
      const kind = KIND_OF[u.mediaCategory];
      if ((kind === 'image' || kind === 'gif') && u.probe.width && u.probe.height) {
        v.image = { image_type: IMAGE_MIME[u.probe.format] ?? u.mediaType ?? 'image/jpeg', w: u.probe.width, h: u.probe.height };
      }
      if (kind === 'video') v.video = { video_type: u.mediaType ?? 'video/mp4' };
    }
    return v;
  }

  /** The failure X reports for a failed upload once processing has reached it. */
  failure(u: UploadRow, now = this.clock.now()): ProcessingError | null {
    return this.processingInfo(u, now)?.state === 'failed' ? u.error : null;
  }

  /**
   * Bytes of a ready upload: content type, size and the blob key. The public `/media/…` routes get none of
   * Direct Message media (`dm: false`); its own route checks the conversation first and asks with `dm: true`.
   */
  async served(mediaKey: string, opts: { dm?: boolean } = {}): Promise<{ u: UploadRow; contentType: string } | null> {
    const u = (await this.repos.mediaUploads.byKeys([mediaKey])).get(mediaKey);
    if (!u || !u.blobKey || !u.probe || !this.isReady(u)) return null;
    if (isPrivateCategory(u.mediaCategory) !== !!opts.dm) return null;
    return { u, contentType: contentTypeOf(u.probe, u.mediaType) };
  }
}

function extOf(p: ProbeResult): string {
  return p.kind === 'video' ? 'mp4' : p.format;
}

function contentTypeOf(p: ProbeResult, mediaType: string | null): string {
  if (p.kind === 'video') return mediaType === 'video/quicktime' ? 'video/quicktime' : 'video/mp4';
  if (p.kind === 'subtitles') return p.format === 'vtt' ? 'text/vtt' : 'text/srt';
  return IMAGE_MIME[p.format] ?? 'application/octet-stream';
}

/** X's duration text, e.g. `2.minutes+29.seconds+350.milliseconds`. */
function duration(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const r = ms % 1000;
  const parts: string[] = [];
  if (m) parts.push(`${m}.minutes`);
  if (s) parts.push(`${s}.seconds`);
  if (r || !parts.length) parts.push(`${r}.milliseconds`);
  return parts.join('+');
}

/** The segment files one after another, read one at a time (bounded memory). */
async function* concatFiles(paths: readonly string[]): AsyncGenerator<Buffer> {
  for (const p of paths) {
    for await (const chunk of createReadStream(p, { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
  }
}
