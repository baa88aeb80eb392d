/**
 * Post text rules through twitter-text (X's own library, FACTS §9): weighted length under config v3, validity,
 * entity extraction with code-point indices, and X's t.co wrapping of URLs (FACTS §10). A post's text is analysed
 * once (`analyzeText`): its URLs are found once and serve the weighing, the t.co wrapping and the url entities.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { MentionEntity, PostEntities, TagEntity, UrlEntity } from '../data/rows.js';

/** The part of twitter-text used here; the package ships no types. */
interface TtEntity {
  indices: [number, number];
  url?: string;
  hashtag?: string;
  cashtag?: string;
  screenName?: string;
  listSlug?: string;
}
interface TtParse {
  weightedLength: number;
  valid: boolean;
  permillage: number;
  validRangeStart: number;
  validRangeEnd: number;
  displayRangeStart: number;
  displayRangeEnd: number;
}
interface TwitterText {
  parseTweet(text: string): TtParse;
  extractUrlsWithIndices(text: string): TtEntity[];
  extractEntitiesWithIndices(text: string): TtEntity[];
  extractMentionsOrListsWithIndices(text: string): TtEntity[];
  extractHashtagsWithIndices(text: string, options: { checkUrlOverlap: boolean }): TtEntity[];
  extractCashtagsWithIndices(text: string): TtEntity[];
  hasInvalidCharacters(text: string): boolean;
  modifyIndicesFromUTF16ToUnicode(text: string, entities: TtEntity[]): void;
  configs: { version3: WeightConfig };
}
interface WeightConfig {
  maxWeightedTweetLength: number;
  scale: number;
  defaultWeight: number;
  transformedURLLength: number;
  ranges: { start: number; end: number; weight: number }[];
}
/** twemoji-parser (twitter-text's own emoji finder): the emoji of a text with their UTF-16 indices. */
interface Twemoji {
  parse(text: string): { text: string; indices: [number, number] }[];
}

// A CommonJS module; createRequire keeps this file ESM.
const tt = createRequire(import.meta.url)('twitter-text') as TwitterText;
const twemoji = createRequire(import.meta.url)('twemoji-parser') as Twemoji;
const V3 = tt.configs.version3;

export const MAX_WEIGHTED_LENGTH = 280;
/** Long posts (X Premium): up to 25,000 characters, the full text in `note_tweet` (FACTS §8.1). */
export const MAX_LONG_POST_CHARS = 25_000;

export interface TextCheck {
  weightedLength: number;
  /** twitter-text's verdict: 0 < length ≤ 280 and no invalid characters. */
  valid: boolean;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The t.co code of a URL: 10 alphanumerics derived from the URL itself. Deterministic on purpose: the same link
 * always wraps to the same short link, so duplicate-content checks compare stored texts and test worlds stay
 * reproducible (real t.co mints a fresh code per post; clients cannot tell the difference).
 */
export function tcoFor(expandedUrl: string): string {
  const h = createHash('sha256').update(expandedUrl).digest();
  let code = '';
  for (let i = 0; i < 10; i++) code += ALNUM[h[i]! % ALNUM.length];
  return `https://t.co/${code}`;
}

/** `expanded_url` without its scheme, cut with an ellipsis when long (as X shows links). */
export function displayUrlOf(expanded: string): string {
  const bare = expanded.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  const cps = Array.from(bare);
  return cps.length > 30 ? `${cps.slice(0, 30).join('')}…` : bare;
}

export interface PreparedText {
  /** What is stored and returned: every URL replaced by its t.co link. */
  text: string;
  entities: PostEntities | null;
  /** Lower-cased usernames of the @mentions (resolve them to ids with `withMentionIds`). */
  mentionedUsernames: string[];
  cashtagCount: number;
}

/** Wraps URLs into t.co links and extracts the entities of the resulting text (indices in code points). */
export function prepareText(input: string): PreparedText {
  return analyzeText(input);
}

/** A post's text analysed once: its weighted length and validity, and the prepared (t.co-wrapped) text. */
export interface AnalyzedText extends PreparedText, TextCheck {}

/**
 * One pass of twitter-text over a post's text: the URLs are extracted once and used three times — weighed (23
 * each) as `parseTweet` weighs them, wrapped into t.co links, and given as the url entities of the wrapped text,
 * beside its mentions, hashtags and cashtags (overlaps resolved as `extractEntitiesWithIndices` does).
 */
export function analyzeText(input: string): AnalyzedText {
  const text0 = input.normalize('NFC');
  const urls = tt.extractUrlsWithIndices(text0);
  const { weightedLength, valid } = weigh(text0, urls);
  const links = new Map<string, { expanded: string; display: string }>();
  const wrapped: TtEntity[] = [];
  let text = '';
  let at = 0;
  for (const u of urls) {
    const raw = u.url!;
    const expanded = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    const short = /^https?:\/\/t\.co\/[A-Za-z0-9]+$/i.test(raw) ? raw : tcoFor(expanded);
    if (!links.has(short)) links.set(short, { expanded, display: displayUrlOf(expanded) });
    text += text0.slice(at, u.indices[0]);
    wrapped.push({ url: short, indices: [text.length, text.length + short.length] });
    text += short;
    at = u.indices[1];
  }
  text += text0.slice(at);
  const found = [
    ...wrapped,
    ...tt.extractMentionsOrListsWithIndices(text),
    ...tt.extractHashtagsWithIndices(text, { checkUrlOverlap: false }),
    ...tt.extractCashtagsWithIndices(text),
  ];
  const entities = entitiesFrom(text, withoutOverlaps(found), (url, start, end) => {
    const l = links.get(url);
    const expanded = l?.expanded ?? url;
    return [{ start, end, url, expanded_url: expanded, display_url: l?.display ?? displayUrlOf(expanded) }];
  });
  const mentioned: string[] = [];
  for (const m of entities?.mentions ?? []) {
    const lower = m.username.toLowerCase();
    if (!mentioned.includes(lower)) mentioned.push(lower);
  }
  return { weightedLength, valid, text, entities, mentionedUsernames: mentioned, cashtagCount: entities?.cashtags?.length ?? 0 };
}

/**
 * Weighted length and validity under config v3, given the text's URLs: a URL weighs 23, an emoji 2, a character
 * of the configured ranges (Latin and the like) 1, any other 2; valid is non-empty, at most 280 and free of
 * twitter-text's invalid characters. The same figures as `parseTweet`, without finding the URLs again.
 */
function weigh(text: string, urls: readonly TtEntity[]): TextCheck {
  const urlAt = new Map<number, number>();
  for (const u of urls) urlAt.set(u.indices[0], u.indices[1]);
  const emojiAt = new Map<number, number>();
  // Emoji are never ASCII: most posts skip the emoji parser.
  if (/[^\x00-\x7f]/.test(text)) for (const e of twemoji.parse(text)) emojiAt.set(e.indices[0], e.indices[0] + e.text.length);
  let weight = 0;
  for (let i = 0; i < text.length; i++) {
    const urlEnd = urlAt.get(i);
    if (urlEnd !== undefined) {
      weight += V3.transformedURLLength * V3.scale;
      i = urlEnd - 1;
      continue;
    }
    const emojiEnd = emojiAt.get(i);
    if (emojiEnd !== undefined) {
      weight += V3.defaultWeight;
      i = emojiEnd - 1;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A pair weighs what its low half does: no range reaches the surrogates.
        weight += V3.defaultWeight;
        i++;
        continue;
      }
    }
    weight += charWeight(c);
  }
  const weightedLength = weight / V3.scale;
  return { weightedLength, valid: weightedLength > 0 && weightedLength <= V3.maxWeightedTweetLength && !tt.hasInvalidCharacters(text) };
}

function charWeight(code: number): number {
  for (const r of V3.ranges) if (code >= r.start && code <= r.end) return r.weight;
  return V3.defaultWeight;
}

/** twitter-text's overlap rule: by start index, an entity overlapping the one kept before it is dropped. */
function withoutOverlaps(entities: TtEntity[]): TtEntity[] {
  entities.sort((a, b) => a.indices[0] - b.indices[0]);
  const out: TtEntity[] = [];
  for (const e of entities) if (out.length === 0 || out[out.length - 1]!.indices[1] <= e.indices[0]) out.push(e);
  return out;
}

/**
 * The entities twitter-text finds in `text`, with code-point indices (X's `start`/`end`): the url entities `urls`
 * makes of each link (a media link stands for one per attachment), hashtags, cashtags, and mentions of accounts
 * (not of lists) with the id `mentionId` gives a lower-cased username, when it knows one. Null when there are none.
 */
export function extractTextEntities(
  text: string,
  urls: (url: string, start: number, end: number) => UrlEntity[],
  mentionId: (lowerUsername: string) => string | undefined = () => undefined,
): PostEntities | null {
  return entitiesFrom(text, tt.extractEntitiesWithIndices(text), urls, mentionId);
}

/** X's entities of `text` from twitter-text's `found` ones (UTF-16 indices, no overlaps), in code points. */
function entitiesFrom(
  text: string,
  found: TtEntity[],
  urls: (url: string, start: number, end: number) => UrlEntity[],
  mentionId: (lowerUsername: string) => string | undefined = () => undefined,
): PostEntities | null {
  if (found.length === 0) return null;
  if (/[\uD800-\uDFFF]/.test(text)) tt.modifyIndicesFromUTF16ToUnicode(text, found);
  let urlsOut: UrlEntity[] | undefined;
  let hashtags: TagEntity[] | undefined;
  let cashtags: TagEntity[] | undefined;
  let mentions: MentionEntity[] | undefined;
  for (const e of found) {
    const [start, end] = e.indices;
    if (e.url !== undefined) {
      (urlsOut ??= []).push(...urls(e.url, start, end));
    } else if (e.hashtag !== undefined) {
      (hashtags ??= []).push({ start, end, tag: e.hashtag });
    } else if (e.cashtag !== undefined) {
      (cashtags ??= []).push({ start, end, tag: e.cashtag });
    } else if (e.screenName !== undefined && !e.listSlug) {
      const m: MentionEntity = { start, end, username: e.screenName };
      const id = mentionId(e.screenName.toLowerCase());
      if (id !== undefined) m.id = id;
      (mentions ??= []).push(m);
    }
  }
  const entities: PostEntities = {};
  if (urlsOut) entities.urls = urlsOut;
  if (hashtags) entities.hashtags = hashtags;
  if (cashtags) entities.cashtags = cashtags;
  if (mentions) entities.mentions = mentions;
  return Object.keys(entities).length ? entities : null;
}

/** Fills mention ids (and keeps the account's own capitalisation out: X echoes the text as written). */
export function withMentionIds(entities: PostEntities | null, ids: ReadonlyMap<string, string>): PostEntities | null {
  if (!entities?.mentions) return entities;
  return {
    ...entities,
    mentions: entities.mentions.map((m) => {
      const id = ids.get(m.username.toLowerCase());
      return id === undefined ? m : { ...m, id };
    }),
  };
}

/**
 * The displayed part of a long post: the longest prefix of `text` (already t.co-wrapped) whose weighted length
 * is at most 280, never cutting through an entity; the entities that fall inside it come along.
 */
export function displayPrefix(text: string, entities: PostEntities | null): { text: string; entities: PostEntities | null } {
  const cps = Array.from(text);
  const spans = [...(entities?.urls ?? []), ...(entities?.hashtags ?? []), ...(entities?.cashtags ?? []), ...(entities?.mentions ?? [])];
  // Binary search on code points: weighted length grows with the prefix.
  let lo = 0;
  let hi = cps.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tt.parseTweet(cps.slice(0, mid).join('')).weightedLength <= MAX_WEIGHTED_LENGTH) lo = mid;
    else hi = mid - 1;
  }
  let end = lo;
  for (const e of spans) if (e.start < end && e.end > end) end = Math.min(end, e.start);
  const keep = <T extends { end: number }>(list: T[] | undefined) => list?.filter((e) => e.end <= end);
  const out: PostEntities = {};
  const u = keep(entities?.urls);
  const h = keep(entities?.hashtags);
  const c = keep(entities?.cashtags);
  const m = keep(entities?.mentions);
  if (u?.length) out.urls = u;
  if (h?.length) out.hashtags = h;
  if (c?.length) out.cashtags = c;
  if (m?.length) out.mentions = m;
  return { text: cps.slice(0, end).join('').trimEnd(), entities: Object.keys(out).length ? out : null };
}
