/**
 * Reads what media bytes are: image format and dimensions with `image-size`, MP4/QuickTime duration and
 * dimensions with `mp4box` (fed as a stream, stopped as soon as the movie header is parsed), subtitles by their
 * header. Nothing here decodes pixels or samples.
 */
import { imageSize } from 'image-size';
import { createFile, MP4BoxBuffer, type Movie } from 'mp4box';
import type { Readable } from 'node:stream';
import type { ProbeResult } from '../data/media-uploads.js';

/** Reads at most `max` bytes from the start of a stream, then stops it. */
export async function readHead(stream: Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      parts.push(b.length > max - n ? b.subarray(0, max - n) : b);
      n += Math.min(b.length, max - n);
      if (n >= max) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts, n);
}

/** image-size's type names → the MIME types X reports in `image.image_type`. */
export const IMAGE_MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
};

/** Format and size of an image, or null when the bytes are not an image X accepts. */
export function probeImage(head: Buffer): ProbeResult | null {
  try {
    const r = imageSize(new Uint8Array(head.buffer, head.byteOffset, head.length));
    const format = r.type ?? '';
    if (!IMAGE_MIME[format] || !r.width || !r.height) return null;
    return { kind: format === 'gif' ? 'gif' : 'image', format, width: r.width, height: r.height };
  } catch {
    return null;
  }
}

/** Duration and dimensions of an ISO-BMFF (MP4/MOV) file with a video track, or null. */
export async function probeMp4(stream: Readable): Promise<ProbeResult | null> {
  const file = createFile(false);
  let info: Movie | null = null;
  let failed = false;
  file.onReady = (m: Movie) => {
    info = m;
  };
  file.onError = () => {
    failed = true;
  };
  let offset = 0;
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      const ab = MP4BoxBuffer.fromArrayBuffer(b.buffer.slice(b.byteOffset, b.byteOffset + b.length), offset);
      offset += b.length;
      try {
        file.appendBuffer(ab);
      } catch {
        failed = true;
      }
      if (info || failed) break;
      // Nothing that looks like an ISO file in the first 64 KiB: not an MP4.
      if (offset >= 64 * 1024 && !hasFtypOrMoov(file)) break;
    }
    if (!info && !failed) file.flush();
  } finally {
    stream.destroy();
  }
  const m = info as Movie | null;
  if (!m || !m.timescale) return null;
  const v = m.videoTracks[0];
  if (!v) return null;
  const width = v.video?.width || Math.round(v.track_width);
  const height = v.video?.height || Math.round(v.track_height);
  const durationMs = Math.round((m.duration / m.timescale) * 1000);
  const trackSecs = v.timescale ? v.duration / v.timescale : durationMs / 1000;
  const fps = trackSecs > 0 ? Math.round((v.nb_samples / trackSecs) * 100) / 100 : 0;
  return { kind: 'video', format: 'mp4', width, height, durationMs, codec: v.codec, fps };
}

function hasFtypOrMoov(file: ReturnType<typeof createFile>): boolean {
  const f = file as unknown as { ftyp?: unknown; moov?: unknown; boxes?: { type?: string }[] };
  return !!(f.ftyp || f.moov || f.boxes?.some((b) => b.type === 'ftyp' || b.type === 'moov' || b.type === 'mdat'));
}

/** WebVTT or SubRip text. */
export function probeSubtitles(head: Buffer): ProbeResult | null {
  const t = head.toString('utf8').replace(/^\uFEFF/, '');
  if (/^WEBVTT(\s|$)/.test(t)) return { kind: 'subtitles', format: 'vtt' };
  if (/^\s*\d+\r?\n\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}/.test(t)) return { kind: 'subtitles', format: 'srt' };
  return null;
}

/** Pulls bytes from a stream on demand, holding only what the caller has asked for and not consumed. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  private done = false;

  constructor(stream: Readable) {
    this.it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Ensures `n` bytes are buffered; false at end of stream. */
  private async fill(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    }
    return this.buf.length >= n;
  }

  async read(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) return null;
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  async skip(n: number): Promise<boolean> {
    while (n > 0) {
      if (!(await this.fill(1))) return false;
      const k = Math.min(n, this.buf.length);
      this.buf = this.buf.subarray(k);
      n -= k;
    }
    return true;
  }
}

/**
 * Frames of a GIF and the pixels of all frames together, walking its blocks as a stream (image data is skipped,
 * never decoded). null when the block structure is broken.
 */
export async function gifFrames(stream: Readable): Promise<{ frames: number; pixels: number } | null> {
  const r = new ByteReader(stream);
  const subBlocks = async (): Promise<boolean> => {
    for (;;) {
      const len = await r.read(1);
      if (!len) return false;
      if (len[0] === 0) return true;
      if (!(await r.skip(len[0]!))) return false;
    }
  };
  try {
    const head = await r.read(13);
    if (!head || head.subarray(0, 3).toString('latin1') !== 'GIF') return null;
    if (head[10]! & 0x80 && !(await r.skip(3 * 2 ** ((head[10]! & 7) + 1)))) return null;
    let frames = 0;
    let pixels = 0;
    for (;;) {
      const b = await r.read(1);
      if (!b) return null;
      if (b[0] === 0x3b) return { frames, pixels };
      if (b[0] === 0x21) {
        if (!(await r.read(1)) || !(await subBlocks())) return null;
      } else if (b[0] === 0x2c) {
        const d = await r.read(9);
        if (!d) return null;
        frames++;
        pixels += d.readUInt16LE(4) * d.readUInt16LE(6);
        if (d[8]! & 0x80 && !(await r.skip(3 * 2 ** ((d[8]! & 7) + 1)))) return null;
        if (!(await r.read(1)) || !(await subBlocks())) return null;
      } else return null;
    }
  } finally {
    stream.destroy();
  }
}
