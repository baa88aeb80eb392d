/**
 * Pagination: every kind of page token Roost hands out, declared once in `CURSORS`, and the one place that
 * encodes them, decodes them and refuses malformed ones (before any query runs, with X's 400 naming the
 * parameter that carried the token). Handlers name a kind from the registry; they never see the wire form.
 *
 * Wire forms. Keyset tokens are `<n|p><tag>|<value>|…` in lowercase base32 plus a 10-bit checksum: the
 * direction, the kind (a followers token is refused by a timeline) and the keyset. Rule tokens are 16 hex
 * digits, the shape of X's own rule tokens. Tokens are opaque to clients; the forms are kept stable so tokens
 * handed out before an upgrade still work.
 */
import { InvalidRequest } from '../errors.js';
import type { Edge, EdgeKey } from '../data/edges.js';
import { idInRange } from '../util/snowflake.js';

/** The request parameters a token can arrive in. */
export type TokenParam = 'pagination_token' | 'next_token';

/** What each keyset shape carries. */
export interface KeysetShapes {
  /** A post or row id: newest first by id. */
  id: string;
  /** (time, id): relations walked newest first by when the edge was made. */
  edge: EdgeKey;
  /** An id and how many entries of the walk lie above it (walks with a volume cap). */
  ranked: RankedKey;
  /** A position in an order that is not a keyset (relevancy). */
  offset: number;
  /** A time in epoch ms (the end of the next page of counts). */
  time: number;
  /** A per-node sequence number (stream connections). */
  seq: number;
  /** A rule id, written as X's 16 hex digits. */
  hex: string;
}

export type KeysetShape = keyof KeysetShapes;

export interface RankedKey {
  id: string;
  rank: number;
}

export interface CursorKind<S extends KeysetShape = KeysetShape> {
  /** The registry key, for messages and tests. */
  readonly name: string;
  /** Written into keyset tokens; unique across kinds. */
  readonly tag: string;
  readonly shape: S;
  /** Parameters that carry the token, by precedence. */
  readonly params: readonly TokenParam[];
  /** Whether pages of this kind answer `previous_token` (and accept one back). */
  readonly previous: boolean;
}

export type Direction = 'next' | 'prev';

export interface Cursor<S extends KeysetShape = KeysetShape> {
  direction: Direction;
  key: KeysetShapes[S];
  /** The token as received and the parameter it came in: what a later refusal must name. */
  token: string;
  param: TokenParam;
}

const PAGINATION: readonly TokenParam[] = ['pagination_token'];
/** Search and counts take `next_token` and, per the spec, `pagination_token`; `next_token` wins. */
const SEARCH: readonly TokenParam[] = ['next_token', 'pagination_token'];

function kind<S extends KeysetShape>(name: string, tag: string, shape: S, opts: { params?: readonly TokenParam[]; previous?: boolean } = {}): CursorKind<S> {
  return Object.freeze({ name, tag, shape, params: opts.params ?? PAGINATION, previous: opts.previous ?? true });
}

/** Every page token Roost hands out. */
export const CURSORS = Object.freeze({
  followers: kind('followers', 'f', 'edge'),
  following: kind('following', 'g', 'edge'),
  blocking: kind('blocking', 'bk', 'edge'),
  muting: kind('muting', 'mu', 'edge'),
  likingUsers: kind('likingUsers', 'l', 'edge'),
  likedPosts: kind('likedPosts', 'k', 'edge'),
  bookmarks: kind('bookmarks', 'bm', 'edge'),
  folderBookmarks: kind('folderBookmarks', 'bff', 'edge'),
  userPosts: kind('userPosts', 't', 'id'),
  mentions: kind('mentions', 'm', 'id'),
  quotes: kind('quotes', 'q', 'id', { previous: false }),
  repostedBy: kind('repostedBy', 'r', 'id'),
  reposts: kind('reposts', 'rp', 'id'),
  repostsOfMe: kind('repostsOfMe', 'rm', 'id'),
  bookmarkFolders: kind('bookmarkFolders', 'bf', 'id'),
  listMembers: kind('listMembers', 'lm', 'edge'),
  listFollowers: kind('listFollowers', 'lf', 'edge'),
  listMemberships: kind('listMemberships', 'lms', 'edge'),
  followedLists: kind('followedLists', 'fl', 'edge'),
  ownedLists: kind('ownedLists', 'ol', 'id'),
  listPosts: kind('listPosts', 'lp', 'ranked'),
  home: kind('home', 'h', 'ranked'),
  searchRecent: kind('searchRecent', 'sr', 'id', { params: SEARCH, previous: false }),
  searchRelevant: kind('searchRelevant', 'sv', 'offset', { params: SEARCH, previous: false }),
  counts: kind('counts', 'ct', 'time', { params: SEARCH, previous: false }),
  connections: kind('connections', 'conn', 'seq', { previous: false }),
  rules: kind('rules', 'rule', 'hex', { previous: false }),
  spaceBuyers: kind('spaceBuyers', 'sb', 'edge'),
  spacePosts: kind('spacePosts', 'sp', 'id', { previous: false }),
  userSearch: kind('userSearch', 'us', 'offset', { params: ['next_token'], previous: false }),
  affiliates: kind('affiliates', 'af', 'edge'),
  communitySearch: kind('communitySearch', 'cs', 'offset', { params: SEARCH, previous: false }),
  activitySubscriptions: kind('activitySubscriptions', 'as', 'hex', { previous: false }),
  dmEvents: kind('dmEvents', 'dme', 'id'),
  dmConversationEvents: kind('dmConversationEvents', 'dmc', 'id'),
  dmParticipantEvents: kind('dmParticipantEvents', 'dmp', 'id'),
  /** The chat inbox, by each conversation's newest event id. Chat pages answer no previous_token. */
  chatConversations: kind('chatConversations', 'chc', 'id', { previous: false }),
  chatEvents: kind('chatEvents', 'che', 'id', { previous: false }),
  /** Community Notes: the writer's notes and the posts eligible for notes, newest first, next tokens only. */
  notesWritten: kind('notesWritten', 'nw', 'id', { previous: false }),
  notesEligible: kind('notesEligible', 'ne', 'id', { previous: false }),
  /** The caller's scheduled broadcasts, by (scheduled start, id), latest start first. */
  scheduledBroadcasts: kind('scheduledBroadcasts', 'sbc', 'edge'),
});

{
  // A tag used twice would let one endpoint's tokens pass for another's.
  const tags = new Set<string>();
  for (const k of Object.values(CURSORS)) {
    if (tags.has(k.tag)) throw new Error(`cursor tag ${k.tag} is declared twice`);
    tags.add(k.tag);
  }
}

// ---- wire forms ----

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';
const DIGITS = /^\d{1,19}$/;
const HEX16 = /^[0-9a-f]{16}$/;

function checksum(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0x3ff;
}

function toBase32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

function fromBase32(s: string): Buffer | null {
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

function keyValues(shape: KeysetShape, key: KeysetShapes[KeysetShape]): (string | number)[] {
  switch (shape) {
    case 'edge':
      return [(key as EdgeKey).at, (key as EdgeKey).id];
    case 'ranked':
      return [(key as RankedKey).id, (key as RankedKey).rank];
    default:
      return [key as string | number];
  }
}

/** Values are digits only (checked before), so a count is never negative; it must still be exact. */
const count = (v: string): number | null => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
};

/** The key a token's values stand for, or null when they do not fit the kind's shape. */
function keyFrom(shape: KeysetShape, values: string[]): KeysetShapes[KeysetShape] | null {
  const one = values.length === 1 ? values[0]! : null;
  switch (shape) {
    case 'id':
      return one;
    case 'offset':
    case 'time':
    case 'seq':
      return one === null ? null : count(one);
    case 'edge': {
      const at = values.length === 2 ? count(values[0]!) : null;
      return at === null ? null : { at, id: values[1]! };
    }
    case 'ranked': {
      const rank = values.length === 2 ? count(values[1]!) : null;
      return rank === null ? null : { id: values[0]!, rank };
    }
    case 'hex':
      return null;
  }
}

/** A token of this kind for this position. */
export function encodeToken<S extends KeysetShape>(k: CursorKind<S>, direction: Direction, key: KeysetShapes[S]): string {
  if (k.shape === 'hex') return BigInt(key as string).toString(16).padStart(16, '0');
  const payload = `${direction === 'next' ? 'n' : 'p'}${k.tag}|${keyValues(k.shape, key).join('|')}`;
  const sum = checksum(payload);
  return toBase32(Buffer.from(payload, 'utf8')) + ALPHABET[sum >> 5] + ALPHABET[sum & 31];
}

/** A `next_token` of this kind. */
export const nextToken = <S extends KeysetShape>(k: CursorKind<S>, key: KeysetShapes[S]): string => encodeToken(k, 'next', key);

/** X's 400 for a page token it cannot use, naming the parameter that carried it. */
export function invalidToken(param: TokenParam, token: string): InvalidRequest {
  return InvalidRequest.one(param, [token], `The \`${param}\` query parameter value [${token}] is not valid`);
}

/** Decodes a token of this kind, or throws X's 400 for `param`. */
export function decodeToken<S extends KeysetShape>(k: CursorKind<S>, token: string, param: TokenParam = k.params[0]!): Cursor<S> {
  const bad = () => invalidToken(param, token);
  if (k.shape === 'hex') {
    // 16 hex digits reach 2^64-1; the ids (and so the tokens handed out) stop at the id columns' maximum.
    const id = HEX16.test(token) ? BigInt('0x' + token).toString() : null;
    if (id === null || !idInRange(id)) throw bad();
    return { direction: 'next', key: id as KeysetShapes[S], token, param };
  }
  if (token.length < 4 || token.length > 512) throw bad();
  const body = fromBase32(token.slice(0, -2));
  if (!body) throw bad();
  const payload = body.toString('utf8');
  const sum = checksum(payload);
  if (token.slice(-2) !== ALPHABET[sum >> 5] + ALPHABET[sum & 31]) throw bad();
  const dir = payload[0];
  const [tag, ...values] = payload.slice(1).split('|');
  if ((dir !== 'n' && dir !== 'p') || tag !== k.tag || values.some((v) => !DIGITS.test(v))) throw bad();
  const direction: Direction = dir === 'n' ? 'next' : 'prev';
  // A kind that hands out no previous tokens takes none back.
  if (direction === 'prev' && !k.previous) throw bad();
  const key = keyFrom(k.shape, values);
  if (key === null) throw bad();
  return { direction, key: key as KeysetShapes[S], token, param };
}

type Params = Readonly<Record<string, unknown>>;

/** The cursor a request carries for this kind (in the first of the kind's parameters present), if any. */
export function readCursor<S extends KeysetShape>(k: CursorKind<S>, params: Params): Cursor<S> | undefined {
  for (const param of k.params) {
    const v = params[param];
    if (v !== undefined && v !== '') return decodeToken(k, String(v), param);
  }
  return undefined;
}

// ---- walking ----

/** A skeleton page: the ids to hydrate, in order, and the tokens around them. */
export interface Page {
  ids: string[];
  next?: string;
  prev?: string;
}

export interface WalkQuery<K> {
  /** Exclusive: rows strictly beyond this key in the walking direction; absent on the first page. */
  from?: K;
  /** false: newest first (next pages); true: oldest first from `from` (previous pages). */
  ascending: boolean;
  limit: number;
}

/**
 * The one walker of newest-first keyset pages. It reads one more row than the page holds to know whether
 * another page follows; a previous page is read oldest first from the token's key and turned around. `cap`
 * bounds the entries of one walk (ranked kinds: tokens carry how many entries lie above them).
 */
async function walk<S extends 'id' | 'edge' | 'ranked', R>(
  k: CursorKind<S>,
  params: Params,
  limit: number,
  fetch: (q: WalkQuery<KeysetShapes[S]>) => Promise<R[]>,
  keyOf: (row: R, rank: number) => KeysetShapes[S],
  idOf: (row: R) => string,
  cap = Infinity,
): Promise<Page> {
  const cursor = readCursor(k, params);
  const ascending = cursor?.direction === 'prev';
  const above = cursor && k.shape === 'ranked' ? (cursor.key as RankedKey).rank : 0;
  const room = ascending ? limit : Math.min(limit, cap - above);
  if (room <= 0) return { ids: [] };
  const got = await fetch({ from: cursor?.key, ascending, limit: room + 1 });
  const more = got.length > room;
  const rows = got.slice(0, room);
  if (ascending) rows.reverse();
  const page: Page = { ids: rows.map(idOf) };
  if (rows.length) {
    const top = ascending ? Math.max(0, above - rows.length) : above;
    const bottom = top + rows.length;
    if (ascending || (more && bottom < cap)) page.next = encodeToken(k, 'next', keyOf(rows[rows.length - 1]!, bottom));
    if (k.previous && (ascending ? more : !!cursor)) page.prev = encodeToken(k, 'prev', keyOf(rows[0]!, top));
  }
  return page;
}

/** An exclusive id window (since_id/until_id, times mapped onto ids). */
export interface IdWindow {
  after?: string;
  before?: string;
}

export interface IdWalkQuery extends IdWindow {
  ascending: boolean;
  limit: number;
}

const minId = (a: string | undefined, b: string) => (a === undefined || BigInt(b) < BigInt(a) ? b : a);
const maxId = (a: string | undefined, b: string) => (a === undefined || BigInt(b) > BigInt(a) ? b : a);

/** The window narrowed to the rows beyond a token's id. */
function beyond(window: IdWindow, from: string | undefined, ascending: boolean): IdWindow {
  if (from === undefined) return window;
  return ascending ? { after: maxId(window.after, from), before: window.before } : { after: window.after, before: minId(window.before, from) };
}

const same = (id: string) => id;

/** Pages of ids newest first within `window`; `fetch` answers ids in the asked order, at most `limit`. */
export function walkIds(k: CursorKind<'id'>, params: Params, limit: number, window: IdWindow, fetch: (q: IdWalkQuery) => Promise<string[]>): Promise<Page> {
  return walk(k, params, limit, (q) => fetch({ ...beyond(window, q.from, q.ascending), ascending: q.ascending, limit: q.limit }), same, same);
}

/** Pages of a relation newest first by (time, id); `fetch` is one of data/'s relation walkers. */
export function walkEdges(k: CursorKind<'edge'>, params: Params, limit: number, fetch: (q: WalkQuery<EdgeKey>) => Promise<Edge[]>): Promise<Page> {
  return walk(k, params, limit, fetch, (e) => ({ at: e.at, id: e.id }), (e) => e.id);
}

/** Pages of ids newest first within `window`, at most `cap` entries in one walk (FACTS §3.4 volume caps). */
export function walkRanked(
  k: CursorKind<'ranked'>,
  params: Params,
  limit: number,
  cap: number,
  window: IdWindow,
  fetch: (q: IdWalkQuery) => Promise<string[]>,
): Promise<Page> {
  return walk(k, params, limit, (q) => fetch({ ...beyond(window, q.from?.id, q.ascending), ascending: q.ascending, limit: q.limit }), (id, rank) => ({ id, rank }), same, cap);
}

/** Pages at an offset (orders that are no keyset, such as relevancy): next tokens only. */
export async function walkOffset(k: CursorKind<'offset'>, params: Params, limit: number, fetch: (offset: number, limit: number) => Promise<string[]>): Promise<Page> {
  const offset = readCursor(k, params)?.key ?? 0;
  const got = await fetch(offset, limit + 1);
  const page: Page = { ids: got.slice(0, limit) };
  if (got.length > limit) page.next = nextToken(k, offset + limit);
  return page;
}

// ---- meta ----

/** Meta of lists of users or posts without id bounds: count and tokens (FACTS §3.2). */
export function listMeta(count: number, page: Pick<Page, 'next' | 'prev'>): Record<string, unknown> {
  const meta: Record<string, unknown> = { result_count: count };
  if (page.next) meta.next_token = page.next;
  if (page.prev) meta.previous_token = page.prev;
  return meta;
}

/** Meta of post timelines and search: newest and oldest ids shown, count and tokens (FACTS §3.2). */
export function postListMeta(shown: readonly Record<string, unknown>[], page: Pick<Page, 'next' | 'prev'>): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (shown.length) {
    meta.newest_id = String(shown[0]!.id);
    meta.oldest_id = String(shown[shown.length - 1]!.id);
  }
  meta.result_count = shown.length;
  if (page.next) meta.next_token = page.next;
  if (page.prev) meta.previous_token = page.prev;
  return meta;
}
