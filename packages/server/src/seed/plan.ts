/**
 * What the world's planner (seed/world.ts) hands the post writer (seed/compose.ts), which may run in a worker thread
 * (seed/compose-worker.ts): the structure of users, follows and posts in typed arrays. The arrays a worker reads are
 * allocated on SharedArrayBuffers, so handing them over copies nothing.
 */
import type { UserRow } from '../data/rows.js';
import { SNOWFLAKE_EPOCH } from '../util/snowflake.js';
import { displayUrl, type LinkTarget } from './entities.js';
import type { Random } from './random.js';
import * as V from './vocab.js';

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const EPOCH_MS = Number(SNOWFLAKE_EPOCH);

export const ORIGINAL = 0;
export const REPLY = 1;
export const QUOTE = 2;
export const REPOST = 3;

/** A user as the planner sees it: hot fields in arrays, the row assembled once counters are known. */
export interface PlannedUsers {
  count: number;
  ids: string[];
  usernames: string[];
  langs: V.Lang[];
  created: Float64Array;
  protectedFlag: Uint8Array;
  popRank: Int32Array;
  rows: UserRow[];
}

export interface PlannedFollows {
  follower: Int32Array;
  followee: Int32Array;
  at: Float64Array;
  followers: Int32Array;
  following: Int32Array;
}

export interface PlannedPosts {
  count: number;
  special: number;
  time: Float64Array;
  /** Snowflake ids (as bigints: ten million strings would weigh on every collection of the heap). */
  ids: BigInt64Array;
  author: Int32Array;
  kind: Uint8Array;
  ref: Int32Array;
  root: Int32Array;
  replies: Int32Array;
  reposts: Int32Array;
  quotes: Int32Array;
  likeOffset: Int32Array;
  likers: Int32Array;
  tweetCount: Int32Array;
  likeCount: Int32Array;
  lastByAuthor: Int32Array;
  pinned: Int32Array;
}

type TypedArrayOf<T> = { new (buffer: SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number };

/** A zeroed typed array of `n` elements on a SharedArrayBuffer (a worker reads it in place). */
export function shared<T>(Type: TypedArrayOf<T>, n: number): T {
  return new Type(new SharedArrayBuffer(n * Type.BYTES_PER_ELEMENT));
}

export function fill(r: Random, template: string, lang: V.Lang): string {
  const slots = V.SLOTS[lang];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => r.pick(slots[k] ?? V.SLOTS.en[k] ?? ['something']));
}

/** Registers a wrapped link and returns its short form. */
export function shortLink(r: Random, links: Map<string, LinkTarget>, expanded: string): string {
  const short = `https://t.co/${r.alnum(10)}`;
  links.set(short, { expandedUrl: expanded, displayUrl: displayUrl(expanded) });
  return short;
}
