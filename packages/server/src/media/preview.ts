/**
 * Preview images for videos and GIFs (`preview_image_url`). Roost does not decode video frames, so a preview is
 * a plain grey PNG of the media's dimensions, encoded here with node:zlib. Processing caps those dimensions
 * (video ≤1280×1024, GIF ≤1280×1080), so a preview is at most ~1.4 MB to build, and each size is built once.
 */
import { crc32, deflateSync } from 'node:zlib';

/** The largest side built (the largest video or GIF side processing accepts). */
const MAX_SIDE = 1280;
/** Previews kept, by size (each a few KB: a uniform image deflates ~1000:1). */
const CACHE_SIZE = 64;
const cache = new Map<string, Buffer>();

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A mid-grey 8-bit greyscale PNG of `width`×`height` (both clamped to 1..1280), cached by size. */
export function greyPng(width: number, height: number): Buffer {
  const w = Math.max(1, Math.min(MAX_SIDE, Math.round(width)));
  const h = Math.max(1, Math.min(MAX_SIDE, Math.round(height)));
  const key = `${w}x${h}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // Each row: filter byte 0, then w grey samples.
  const row = Buffer.alloc(1 + w, 128);
  row[0] = 0;
  const raw = Buffer.alloc(row.length * h);
  for (let y = 0; y < h; y++) row.copy(raw, y * row.length);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, png);
  return png;
}
