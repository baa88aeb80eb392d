/**
 * Media as a resource its owners manage and attach: which uploads a user may attach to a post, and the metadata
 * (alt text, sensitive-media warnings) and subtitles set on finalized uploads. The upload lifecycle itself —
 * sessions, segment files, blobs, probing, processing on the server clock — is media/service.ts (`ctx.media`),
 * which owns its own transaction (a finalized upload and its Media object are written together).
 */
import type { RequestBodies } from '@roost/contract';
import type { UploadRow, SubtitleRef } from '../data/media-uploads.js';
import type { MediaRow } from '../data/rows.js';
import { isPrivateCategory } from '../media/dm-urls.js';
import { InvalidRequest } from '../errors.js';
import { kindOfCategory, normalizeCategory, type MediaService } from '../media/service.js';
import { idInRange } from '../util/snowflake.js';
import { write, type DomainContext } from './write.js';

export type MediaContext = Pick<DomainContext, 'repos' | 'bus' | 'clock' | 'ids'> & { media: MediaService };

const invalid = (param: string, values: string[], message: string) => InvalidRequest.one(param, values, message);

export const MEDIA_INVALID = 'Your media IDs are invalid.';

/**
 * The media keys of `ids` for a new post by `me` (see `usableMedia`): up to 4 photos, or exactly one video or GIF;
 * tagged users must exist and only photos may carry them.
 */
export async function attachableMediaKeys(ctx: MediaContext, me: string, ids: readonly string[], tagged: readonly string[]): Promise<string[]> {
  const repos = ctx.repos;
  const found = await usableMedia(ctx, me, ids, 'post', 'media.media_ids');
  const kinds = found.map((m) => m.type);
  if (kinds.some((k) => k !== 'photo') && kinds.length > 1) {
    throw invalid('media.media_ids', [...ids], 'A post may have up to 4 photos, or one video or animated GIF.');
  }
  if (tagged.length) {
    if (kinds.some((k) => k !== 'photo')) throw invalid('media.tagged_user_ids', [...tagged], 'Users can only be tagged in photos.');
    const users = await repos.users.byIds(tagged);
    const missing = tagged.filter((t) => !users.has(t));
    if (missing.length) throw invalid('media.tagged_user_ids', missing, `The \`media.tagged_user_ids\` value [${missing.join(',')}] is not valid`);
  }
  return found.map((m) => m.mediaKey);
}

/**
 * The media keys of `ids` (distinct) that `me` may show publicly beside a post — an article's cover and images, a
 * broadcast's thumbnail — or X's "Your media IDs are invalid." for `param` (see `usableMedia`).
 */
export async function publicMediaKeys(ctx: MediaContext, me: string, ids: readonly string[], param: string): Promise<string[]> {
  if (!ids.every((id) => /^\d{1,19}$/.test(id) && idInRange(id))) throw invalid(param, [...ids], MEDIA_INVALID);
  return (await usableMedia(ctx, me, [...new Set(ids)], 'post', param)).map((m) => m.mediaKey);
}

/**
 * The Media rows of `ids`, in order, when `me` may attach every one of them (else X's "Your media IDs are invalid."
 * for `param`): each exists and is the author's (owner or `additional_owners`; seeded media: its owner); uploads
 * must have finished processing successfully and not have expired; posts take public media, Direct Messages only
 * media uploaded for them (`dm_*` categories, served to participants only).
 */
async function usableMedia(ctx: MediaContext, me: string, ids: readonly string[], use: 'post' | 'dm', param: string): Promise<MediaRow[]> {
  const [rows, uploads] = await Promise.all([ctx.repos.attachments.mediaByIds(ids), ctx.repos.mediaUploads.byIds(ids)]);
  const now = ctx.clock.now();
  const usable = (id: string): boolean => {
    const m = rows.get(id);
    if (!m) return false;
    const u = uploads.get(id);
    if (!u) return use === 'post' && m.ownerId === me;
    if (isPrivateCategory(u.mediaCategory) !== (use === 'dm')) return false;
    return (u.ownerId === me || u.additionalOwners.includes(me)) && ctx.media.isReady(u, now) && now < u.expiresAt;
  };
  if (ids.some((i) => !usable(i)) || new Set(ids).size !== ids.length) throw invalid(param, [...ids], MEDIA_INVALID);
  return ids.map((i) => rows.get(i)!);
}

/** A Direct Message carries at most one attachment (X's DM API). */
export const MAX_DM_ATTACHMENTS = 1;

/** The media keys of a Direct Message's attachments (`param`: where the request names them). */
export async function attachableDmMediaKeys(ctx: MediaContext, me: string, ids: readonly string[], param: string): Promise<string[]> {
  if (ids.length > MAX_DM_ATTACHMENTS) throw invalid(param, [...ids], `A Direct Message may carry at most ${MAX_DM_ATTACHMENTS} attachment.`);
  return (await usableMedia(ctx, me, ids, 'dm', param)).map((m) => m.mediaKey);
}

/** An upload `me` may manage: owner or additional owner, finalized. */
export async function managedUpload(ctx: MediaContext, me: string, id: string, param: string): Promise<UploadRow> {
  // DeleteMediaSubtitlesRequest gives `id` no pattern, so not every id reaching here was validated.
  const u = /^\d{1,19}$/.test(id) && idInRange(id) ? await ctx.repos.mediaUploads.byId(id) : null;
  if (!u || (u.ownerId !== me && !u.additionalOwners.includes(me))) throw invalid(param, [id], `The \`${param}\` value [${id}] is not a valid media id.`);
  if (u.status !== 'finalized') throw invalid(param, [id], `The media id [${id}] has not been finalized.`);
  return u;
}

/** A video `me` manages that subtitles may be attached to, named with a video category. */
export async function subtitledVideo(ctx: MediaContext, me: string, id: string | undefined, category: string | undefined): Promise<UploadRow> {
  if (!id) throw invalid('id', [], '$.id: is missing but it is required');
  if (!category) throw invalid('media_category', [], '$.media_category: is missing but it is required');
  const u = await managedUpload(ctx, me, id, 'id');
  if (kindOfCategory(u.mediaCategory) !== 'video') throw invalid('id', [id], `The media id [${id}] is not a video.`);
  const want = normalizeCategory(category);
  if (want !== 'tweet_video' && want !== 'amplify_video') {
    throw invalid('media_category', [category], `The \`media_category\` value [${category}] is not one of [AmplifyVideo,TweetVideo]`);
  }
  return u;
}

const SENSITIVE_KEYS = new Set(['adult_content', 'graphic_violence', 'other']);

export type MediaMetadata = NonNullable<RequestBodies['createMediaMetadata']['metadata']>;

/**
 * Merges metadata into an upload's; alt text also goes onto its Media object, in the same transaction (a lookup
 * never shows one without the other). Returns the merged metadata.
 */
export async function setMetadata(ctx: MediaContext, me: string, id: string, md: MediaMetadata): Promise<Record<string, unknown>> {
  const u = await managedUpload(ctx, me, id, 'id');
  const kind = kindOfCategory(u.mediaCategory);
  if (md.alt_text && kind !== 'image' && kind !== 'gif') throw invalid('metadata.alt_text', [], 'Alt text can only be set on images and animated GIFs.');
  for (const [k, v] of Object.entries(md.sensitive_media_warning ?? {})) {
    if (!SENSITIVE_KEYS.has(k) || typeof v !== 'boolean') {
      throw invalid('metadata.sensitive_media_warning', [k], `$.metadata.sensitive_media_warning.${k}: must be one of adult_content, graphic_violence, other with a boolean value`);
    }
  }
  const merged = { ...(u.metadata ?? {}), ...md };
  const alt = md.alt_text;
  await write(ctx, async (r) => {
    await r.mediaUploads.setMetadata(u.id, merged);
    if (alt) await r.attachments.setAltText(u.mediaKey, alt.text === '' ? null : alt.text);
  });
  return merged;
}

/** Attaches a processed subtitles file to a video (replacing the language's earlier one). Returns the list. */
export async function addSubtitles(ctx: MediaContext, me: string, video: UploadRow, s: { id?: string; language_code?: string; display_name?: string } | undefined): Promise<SubtitleRef[]> {
  if (!s?.id) throw invalid('subtitles.id', [], '$.subtitles.id: is missing but it is required');
  if (!s.language_code) throw invalid('subtitles.language_code', [], '$.subtitles.language_code: is missing but it is required');
  const sub = await managedUpload(ctx, me, s.id, 'subtitles.id');
  if (kindOfCategory(sub.mediaCategory) !== 'subtitles') throw invalid('subtitles.id', [s.id], `The media id [${s.id}] is not a subtitles file.`);
  if (!ctx.media.isReady(sub)) throw invalid('subtitles.id', [s.id], `The media id [${s.id}] is not a processed subtitles file.`);
  const entry: SubtitleRef = { id: s.id, language_code: s.language_code, ...(s.display_name ? { display_name: s.display_name } : {}) };
  const list = [...(video.subtitles ?? []).filter((x) => x.language_code !== s.language_code), entry];
  await write(ctx, (r) => r.mediaUploads.setSubtitles(video.id, list));
  return list;
}

/** Removes a language's subtitles from a video; true when there were some. */
export async function removeSubtitles(ctx: MediaContext, video: UploadRow, languageCode: string | undefined): Promise<boolean> {
  const before = video.subtitles ?? [];
  const after = before.filter((x) => x.language_code !== languageCode);
  if (after.length === before.length) return false;
  await write(ctx, (r) => r.mediaUploads.setSubtitles(video.id, after));
  return true;
}
