/**
 * The search document as migration 008 builds it, frozen: the rules of search/doc.ts and the search tokenizer of
 * query/tokens.ts as they were when 008 was written, over raw `posts` rows. Migrations must not import live code
 * (a database migrated today has to end up as one migrated the day 008 shipped); when indexing changes,
 * `roost reindex` rebuilds documents with the current code. Never edit this file to follow search/doc.ts.
 */
import { createHash } from 'node:crypto';

const TOKEN_RE =
  /(?:\p{Regional_Indicator}{2})|(?:\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u20E3|\u200D\p{Extended_Pictographic}\uFE0F?)*)|[\p{L}\p{M}\p{N}]+/gu;

const caseFold = (s: string): string => s.normalize('NFC').toLowerCase();
const accentFold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

function searchTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of accentFold(caseFold(text)).matchAll(TOKEN_RE)) out.push(m[0].replace(/\uFE0F/g, ''));
  return out;
}

const PLAIN = /^[a-z0-9]+$/;

function enc(t: string): string {
  if (t.length <= 200 && PLAIN.test(t)) return t;
  const hex = Buffer.from(t, 'utf8').toString('hex');
  if (hex.length <= 400) return '_x' + hex;
  return '_y' + createHash('sha256').update(t, 'utf8').digest('hex');
}

const feature = (kind: string, value: string): string => '_' + kind + enc(value);
const SEP = '_s';

interface Entities {
  hashtags?: { tag: string }[];
  cashtags?: { tag: string }[];
  mentions?: { username: string }[];
  urls?: { url: string; expanded_url?: string }[];
  annotations?: { normalized_text: string }[];
}

/** The columns of a `posts` row the document reads (as stored: JSON text, ids as integers or text). */
export interface PostDocRow {
  text: string;
  note_text: string | null;
  entities: string | null;
  note_entities: string | null;
  reposted_post_id: unknown;
  media_keys: string | null;
  place_id: string | null;
  geo_coordinates: string | null;
  extras: string | null;
}

export interface PlaceDocRow {
  id: string;
  full_name: string;
  name: string;
  country_code: string;
  bbox: string;
}

export interface FrozenDoc {
  tokens: string[];
  geo: { lon: number | null; lat: number | null; bbox: [number, number, number, number] | null } | null;
}

const parse = <T>(v: string | null): T | null => (v === null ? null : (JSON.parse(v) as T));

export function frozenSearchDoc(row: PostDocRow, place: PlaceDocRow | null, mediaTypes: readonly string[]): FrozenDoc {
  const out: string[] = [];
  const retweet = row.reposted_post_id !== null;
  const text = row.note_text ?? row.text;
  const entities = parse<Entities>(row.note_entities) ?? parse<Entities>(row.entities);
  const mediaKeys = parse<string[]>(row.media_keys);
  const coords = parse<[number, number]>(row.geo_coordinates);
  const extras = parse<{ nullcast?: unknown }>(row.extras);
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
  segment((entities?.annotations ?? []).map((a) => feature('a', accentFold(caseFold(a.normalized_text)))));

  const flags: string[] = [];
  if ((entities?.hashtags?.length ?? 0) > 0) flags.push('_fhashtags');
  if ((entities?.cashtags?.length ?? 0) > 0) flags.push('_fcashtags');
  if ((entities?.mentions?.length ?? 0) > 0) flags.push('_fmentions');
  if (urls.length > 0) flags.push('_flinks');
  if ((mediaKeys?.length ?? 0) > 0 || mediaTypes.length > 0) flags.push('_fmedia');
  if (mediaTypes.includes('photo')) flags.push('_fimages');
  if (mediaTypes.includes('video')) flags.push('_fvideo_link');
  if (!retweet && (coords !== null || row.place_id !== null)) flags.push('_fgeo');
  if (extras?.nullcast === true) flags.push('_fnullcast');
  segment(flags);

  let geo: FrozenDoc['geo'] = null;
  const p = row.place_id !== null ? place : null;
  if (!retweet) {
    if (p) {
      segment([feature('i', p.id)]);
      segment(searchTokens(p.full_name).map((t) => feature('p', t)));
      segment(searchTokens(p.name).map((t) => feature('p', t)));
      segment([feature('c', p.country_code.toUpperCase())]);
    }
    if (coords || p) {
      geo = { lon: coords ? coords[0] : null, lat: coords ? coords[1] : null, bbox: p ? parse<[number, number, number, number]>(p.bbox) : null };
    }
  }
  return { tokens: out, geo };
}
