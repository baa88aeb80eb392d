import { createRequire } from 'node:module';
import type { PostEntities } from '../data/rows.js';
import { displayUrlOf, extractTextEntities } from '../util/text.js';

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
  return extractTextEntities(
    text,
    (url, start, end) => {
      const link = links?.get(url);
      if (link?.mediaKeys?.length) {
        return link.mediaKeys.map((mediaKey) => ({ start, end, url, expanded_url: link.expandedUrl, display_url: link.displayUrl, media_key: mediaKey }));
      }
      if (link) return [{ start, end, url, expanded_url: link.expandedUrl, display_url: link.displayUrl }];
      const expanded = /^https?:\/\//i.test(url) ? url : `http://${url}`;
      return [{ start, end, url, expanded_url: expanded, display_url: displayUrl(expanded) }];
    },
    (lower) => userIds?.get(lower),
  );
}

/** X's display form of a link: no scheme, no `www.`, cut with `…` past 30 characters. */
export const displayUrl = displayUrlOf;
