/**
 * Direct Message media is private. Uploads of the `dm_image`, `dm_gif` and `dm_video` categories are never served
 * at the public `/media/…` paths and never shown by media lookups or posts: their bytes are served by
 * `GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}` to the participants of the conversation that
 * holds event `dm_id`. Their Media rows hold resource ids where other media hold URLs; `resolveDmMedia` turns them
 * into the URLs of one event. Pure: no storage, no clock.
 */
import { createHash } from 'node:crypto';
import type { MediaRow } from '../data/rows.js';

const PRIVATE_CATEGORIES: ReadonlySet<string> = new Set(['dm_image', 'dm_gif', 'dm_video']);

/** Whether uploads of this category are Direct Message media. */
export const isPrivateCategory = (category: string): boolean => PRIVATE_CATEGORIES.has(category);

/** The resource ids of a private media's file (`<token>.<ext>`) and preview image (`<token>-preview.png`). */
export function resourceIds(mediaKey: string, ext: string): { file: string; preview: string } {
  const token = createHash('sha256').update(`dm-media:${mediaKey}`).digest('base64url').slice(0, 12);
  return { file: `${token}.${ext}`, preview: `${token}-preview.png` };
}

export function dmMediaUrl(base: string, eventId: string, mediaId: string, resourceId: string): string {
  return `${base}/2/dm_conversations/media/${eventId}/${mediaId}/${encodeURIComponent(resourceId)}`;
}

/** A resource id, as private Media rows store them (a URL has a slash). */
const isResourceId = (v: string) => !v.includes('/');

/** A private Media row with its resource ids resolved to the URLs of one event (other rows are left as they are). */
export function resolveDmMedia(m: MediaRow, eventId: string, base: string): MediaRow {
  const url = (v: string | null) => (v !== null && isResourceId(v) ? dmMediaUrl(base, eventId, m.id, v) : v);
  return { ...m, url: url(m.url), previewImageUrl: url(m.previewImageUrl), variants: m.variants?.map((v) => ({ ...v, url: url(v.url)! })) ?? null };
}
