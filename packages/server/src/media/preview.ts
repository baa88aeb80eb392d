/**
 * Preview images for videos and GIFs (`preview_image_url`). Roost does not decode video frames, so a preview is
 * a plain grey PNG of the media's dimensions, encoded here with node:zlib. Processing caps those dimensions
 * (video ≤1280×1024, GIF ≤1280×1080), so a preview is at most ~1.4 MB to build, and each size is built once.
 */
import { encodePng } from './png.js';

/** The largest side built (the largest video or GIF side processing accepts). */
const MAX_SIDE = 1280;
/** Previews kept, by size (each a few KB: a uniform image deflates ~1000:1). */
const CACHE_SIZE = 64;
const cache = new Map<string, Buffer>();

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
  const png = encodePng(w, h, 0, raw);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, png);
  return png;
}
