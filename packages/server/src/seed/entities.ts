import { createRequire } from 'node:module';
import type { MentionEntity, PostEntities, TagEntity, UrlEntity } from '../data/rows.js';

/** The part of twitter-text the seeder uses. The package ships no types (and @types/twitter-text is not installed). */
interface TwitterTextEntity {
  indices: [number, number];
  url?: string;
  hashtag?: string;
  cashtag?: string;
  screenName?: string;
  listSlug?: string;
}
interface TwitterText {
  extractEntitiesWithIndices(text: string): TwitterTextEntity[];
  modifyIndicesFromUTF16ToUnicode(text: string, entities: TwitterTextEntity[]): void;
  parseTweet(text: string): { weightedLength: number; valid: boolean };
}

// A CommonJS module (babel output with module.exports = the API object).
export const twitterText = createRequire(import.meta.url)('twitter-text') as TwitterText;

/** What a short link in the stored text stands for (X's URL wrapping, FACTS §10). */
export interface LinkTarget {
  expandedUrl: string;
  displayUrl: string;
  /** Media links: one url entity per attached media, all at the same indices. */
  mediaKeys?: readonly string[];
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Entities exactly as twitter-text extracts them from `text`, with code-point indices (X's `start`/`end`),
 * short links resolved through `links`, and mention ids filled from `userIds` (lower-cased username → id)
 * when given. Returns null when the text has none.
 */
export function extractEntities(
  text: string,
  links: ReadonlyMap<string, LinkTarget> | null,
  userIds: ReadonlyMap<string, string> | null,
): PostEntities | null {
  const found = twitterText.extractEntitiesWithIndices(text);
  if (found.length === 0) return null;
  if (SURROGATE.test(text)) twitterText.modifyIndicesFromUTF16ToUnicode(text, found);
  let urls: UrlEntity[] | undefined;
  let hashtags: TagEntity[] | undefined;
  let cashtags: TagEntity[] | undefined;
  let mentions: MentionEntity[] | undefined;
  for (const e of found) {
    const [start, end] = e.indices;
    if (e.url !== undefined) {
      const link = links?.get(e.url);
      urls ??= [];
      if (link?.mediaKeys?.length) {
        for (const mediaKey of link.mediaKeys) {
          urls.push({ start, end, url: e.url, expanded_url: link.expandedUrl, display_url: link.displayUrl, media_key: mediaKey });
        }
      } else if (link) {
        urls.push({ start, end, url: e.url, expanded_url: link.expandedUrl, display_url: link.displayUrl });
      } else {
        const expanded = /^https?:\/\//i.test(e.url) ? e.url : `http://${e.url}`;
        urls.push({ start, end, url: e.url, expanded_url: expanded, display_url: displayUrl(expanded) });
      }
    } else if (e.hashtag !== undefined) {
      (hashtags ??= []).push({ start, end, tag: e.hashtag });
    } else if (e.cashtag !== undefined) {
      (cashtags ??= []).push({ start, end, tag: e.cashtag });
    } else if (e.screenName !== undefined && !e.listSlug) {
      const m: MentionEntity = { start, end, username: e.screenName };
      const id = userIds?.get(e.screenName.toLowerCase());
      if (id !== undefined) m.id = id;
      (mentions ??= []).push(m);
    }
  }
  const out: PostEntities = {};
  if (urls) out.urls = urls;
  if (hashtags) out.hashtags = hashtags;
  if (cashtags) out.cashtags = cashtags;
  if (mentions) out.mentions = mentions;
  return Object.keys(out).length ? out : null;
}

/** X's display form of a link: no scheme, no `www.`, cut with `…` past 30 characters. */
export function displayUrl(expanded: string): string {
  const bare = expanded.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  const cps = Array.from(bare);
  return cps.length > 30 ? `${cps.slice(0, 30).join('')}…` : bare;
}
