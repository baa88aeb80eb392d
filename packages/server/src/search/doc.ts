/**
 * The search document of a post: everything search can ask about a post that never changes after the post is
 * written, as one sequence of index tokens, built with the in-memory matcher's own rules (query/matcher.ts header,
 * search mode). The SQL executor asks the full-text index for these tokens; what changes (counters, author
 * fields) stays in columns.
 *
 * Token alphabet: every index token is `[a-z0-9_]+`, so SQLite's FTS5 `ascii` tokenizer (with `_` as a token
 * character) and a PostgreSQL tsvector both keep it whole and compare it exactly. A plain word token (`[a-z0-9]+`)
 * is itself; anything else is `_x` + the hex of its UTF-8 (or `_y` + its SHA-256 when long). Feature tokens are
 * `_` + a kind letter + the encoded value:
 *
 *   (text)  own text tokens (not on retweets)       _h  hashtag (not on retweets)   _k  cashtag   _m  mention
 *   _u  url / expanded_url tokens                    _a  annotation normalized_text  _f  flag (has:*, is:nullcast)
 *   _i  place id (not on retweets)                   _p  place full_name / name tokens   _c  place country code
 *   _s  segment separator: a phrase never matches across it.
 *
 * Plain tokens never start with `_`, and a kind letter is never `x`/`y`/`s`, so the mapping is injective.
 */
import { createHash } from 'node:crypto';
import { accentFold, caseFold, searchTokens } from '../query/tokens.js';
import type { MediaRow, PlaceRow, PostEntities, PostRow } from '../data/rows.js';

const PLAIN = /^[a-z0-9]+$/;

/** Index form of one token (see the header). */
export function enc(t: string): string {
  if (t.length <= 200 && PLAIN.test(t)) return t;
  const hex = Buffer.from(t, 'utf8').toString('hex');
  if (hex.length <= 400) return '_x' + hex;
  return '_y' + createHash('sha256').update(t, 'utf8').digest('hex');
}

export const SEP = '_s';

export type FeatureKind = 'h' | 'k' | 'm' | 'u' | 'a' | 'f' | 'i' | 'p' | 'c';

export function feature(kind: FeatureKind, value: string): string {
  return '_' + kind + enc(value);
}

/** Entity-value folding used by `entity:` in search mode. */
export function entityFold(s: string): string {
  return accentFold(caseFold(s));
}

export type Flag = 'hashtags' | 'cashtags' | 'mentions' | 'links' | 'media' | 'images' | 'video_link' | 'geo' | 'nullcast';

export function flag(f: Flag): string {
  return '_f' + f;
}

export interface SearchDoc {
  /** Index tokens in order (positions matter for phrases). */
  tokens: string[];
  /** Geo facts for point_radius / bounding_box (never for retweets); null when the post has none. */
  geo: { lon: number | null; lat: number | null; bbox: [number, number, number, number] | null } | null;
}

export interface DocContext {
  place: PlaceRow | null;
  /** The post's media rows (types only matter). */
  media: readonly Pick<MediaRow, 'type'>[];
}

function contentOf(p: PostRow): { text: string; entities: PostEntities | null } {
  return { text: p.noteText ?? p.text, entities: p.noteEntities ?? p.entities };
}

/** Builds a post's search document (pure; `ctx` carries its place and media rows). */
export function buildSearchDoc(post: PostRow, ctx: DocContext): SearchDoc {
  const out: string[] = [];
  const retweet = post.repostedPostId !== null;
  const { text, entities } = contentOf(post);
  const segment = (toks: readonly string[]) => {
    if (toks.length === 0) return;
    if (out.length) out.push(SEP);
    for (const t of toks) out.push(t);
  };
  if (!retweet) {
    segment(searchTokens(text).map(enc));
    segment([
      ...(entities?.hashtags ?? []).map((h) => feature('h', caseFold(h.tag))),
      ...(entities?.cashtags ?? []).map((h) => feature('k', caseFold(h.tag))),
      ...(entities?.mentions ?? []).map((m) => feature('m', caseFold(m.username))),
    ]);
  }
  const urls = entities?.urls ?? [];
  for (const u of urls) {
    segment(searchTokens(u.url).map((t) => feature('u', t)));
    if (u.expanded_url && u.expanded_url !== u.url) segment(searchTokens(u.expanded_url).map((t) => feature('u', t)));
  }
  segment((entities?.annotations ?? []).map((a) => feature('a', entityFold(a.normalized_text))));

  const flags: string[] = [];
  if ((entities?.hashtags?.length ?? 0) > 0) flags.push(flag('hashtags'));
  if ((entities?.cashtags?.length ?? 0) > 0) flags.push(flag('cashtags'));
  if ((entities?.mentions?.length ?? 0) > 0) flags.push(flag('mentions'));
  if (urls.length > 0) flags.push(flag('links'));
  if ((post.mediaKeys?.length ?? 0) > 0 || ctx.media.length > 0) flags.push(flag('media'));
  if (ctx.media.some((m) => m.type === 'photo')) flags.push(flag('images'));
  if (ctx.media.some((m) => m.type === 'video')) flags.push(flag('video_link'));
  if (!retweet && (post.geoCoordinates !== null || post.placeId !== null)) flags.push(flag('geo'));
  if (post.extras?.nullcast === true) flags.push(flag('nullcast'));
  segment(flags);

  let geo: SearchDoc['geo'] = null;
  const place = post.placeId !== null ? ctx.place : null;
  if (!retweet) {
    if (place) {
      segment([feature('i', place.id)]);
      segment(searchTokens(place.fullName).map((t) => feature('p', t)));
      segment(searchTokens(place.name).map((t) => feature('p', t)));
      segment([feature('c', place.countryCode.toUpperCase())]);
    }
    if (post.geoCoordinates || place) {
      geo = {
        lon: post.geoCoordinates ? post.geoCoordinates[0] : null,
        lat: post.geoCoordinates ? post.geoCoordinates[1] : null,
        bbox: place ? place.bbox : null,
      };
    }
  }
  return { tokens: out, geo };
}
