/**
 * Post text rules through twitter-text (X's own library, FACTS §9): weighted length under config v3, validity,
 * entity extraction with code-point indices, and X's t.co wrapping of URLs (FACTS §10).
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
  modifyIndicesFromUTF16ToUnicode(text: string, entities: TtEntity[]): void;
}

// A CommonJS module; createRequire keeps this file ESM.
const tt = createRequire(import.meta.url)('twitter-text') as TwitterText;

export const MAX_WEIGHTED_LENGTH = 280;
/** Long posts (X Premium): up to 25,000 characters, the full text in `note_tweet` (FACTS §8.1). */
export const MAX_LONG_POST_CHARS = 25_000;

export interface TextCheck {
  weightedLength: number;
  /** twitter-text's verdict: 0 < length ≤ 280 and no invalid characters. */
  valid: boolean;
}

/** Weighted length under config v3 (the default of twitter-text 3): URLs 23, emoji 2, CJK 2, Latin 1. */
export function checkText(text: string): TextCheck {
  const r = tt.parseTweet(text);
  return { weightedLength: r.weightedLength, valid: r.valid };
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
  const text0 = input.normalize('NFC');
  const urls = tt.extractUrlsWithIndices(text0);
  const links = new Map<string, { expanded: string; display: string }>();
  let text = text0;
  // Replace from the end so earlier UTF-16 indices stay valid.
  for (const u of [...urls].sort((a, b) => b.indices[0] - a.indices[0])) {
    const raw = u.url!;
    const expanded = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    const short = /^https?:\/\/t\.co\/[A-Za-z0-9]+$/i.test(raw) ? raw : tcoFor(expanded);
    if (!links.has(short)) links.set(short, { expanded, display: displayUrlOf(expanded) });
    text = text.slice(0, u.indices[0]) + short + text.slice(u.indices[1]);
  }
  const entities = extractTextEntities(text, (url, start, end) => {
    const l = links.get(url);
    const expanded = l?.expanded ?? url;
    return [{ start, end, url, expanded_url: expanded, display_url: l?.display ?? displayUrlOf(expanded) }];
  });
  const mentioned: string[] = [];
  for (const m of entities?.mentions ?? []) {
    const lower = m.username.toLowerCase();
    if (!mentioned.includes(lower)) mentioned.push(lower);
  }
  return { text, entities, mentionedUsernames: mentioned, cashtagCount: entities?.cashtags?.length ?? 0 };
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
  const found = tt.extractEntitiesWithIndices(text);
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
