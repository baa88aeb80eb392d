import { Worker } from 'node:worker_threads';
import type { Store } from '../db/connect.js';
import { bulkLoad } from '../data/bulk-load.js';
import { createRepos, type Repos } from '../data/index.js';
import type { UserEntities, UserRow } from '../data/rows.js';
import { snowflakeAt, snowflakeBits, snowflakeTime } from '../util/snowflake.js';
import { displayUrl, extractEntities, type LinkTarget } from './entities.js';
import { PLACES, placeRow } from './places.js';
import { Random, WeightedSampler, zipfWeights } from './random.js';
import * as V from './vocab.js';
import { XDEVELOPERS_ID, XDEVELOPERS_PINNED_POST_ID, xdevelopersUser } from './anchor.js';
import { seedConversations } from './conversations.js';
import { seedLists } from './lists.js';
import { BatchComposer, type ComposeInput, type ComposedBatch } from './compose.js';
import type { ComposeWorkerData } from './compose-worker.js';
import { DAY, EPOCH_MS, HOUR, ORIGINAL, QUOTE, REPLY, REPOST, SEC, fill, shared, shortLink, type PlannedFollows, type PlannedPosts, type PlannedUsers } from './plan.js';

/**
 * The deterministic demo world. One seed number decides every row (ids included): the same seed, sizes and `now`
 * give byte-identical data on SQLite and PostgreSQL.
 *
 * Two passes keep a million posts cheap in memory and make every counter match its rows:
 * 1. plan — users, the follow graph and the *structure* of all posts (time, id, author, kind, target, likers)
 *    in typed arrays, so each counter is known before any row is written;
 * 2. write — users and follows, then posts in chronological batches with their text, entities, media, polls and
 *    places, then likes, all in one transaction (atomic: an interrupted seed leaves nothing behind). Big worlds
 *    compose posts in a worker thread (seed/compose.ts) while this thread writes them.
 * Every phase draws from its own fork of the seed, so changing how text is written leaves ids and graph alone.
 */

export const DEMO_WORLD = { users: 1000, posts: 20000 } as const;

export type SeedPhase = 'plan' | 'users' | 'follows' | 'posts' | 'likes' | 'indexes' | 'commit' | 'lists';

export interface SeedWorldOptions {
  seed: number;
  /** Accounts, @XDevelopers included. */
  users: number;
  /** Posts of every kind (originals, replies, quotes, reposts), @XDevelopers' pinned post included. */
  posts: number;
  /** Epoch ms: the newest post and like are at most this recent. Pass the clock's time, never Date.now() in domain code. */
  now: number;
  onProgress?: (done: number, total: number, phase: SeedPhase) => void;
  /** Posts composed and inserted per step (progress is reported per step). */
  batchSize?: number;
  /**
   * Compose posts in a worker thread while this one writes (same rows: one stream of draws either way). Default: for
   * worlds of COMPOSE_WORKER_FROM posts or more.
   */
  composeInWorker?: boolean;
}

/** From this many posts on, a worker thread composes them (below, starting it costs more than it saves). */
export const COMPOSE_WORKER_FROM = 50_000;

export interface WorldSummary {
  seed: number;
  now: number;
  users: number;
  protectedUsers: number;
  verifiedUsers: number;
  suspendedUsers: number;
  follows: number;
  posts: number;
  originals: number;
  replies: number;
  quotes: number;
  reposts: number;
  postsLast7Days: number;
  likes: number;
  /** Rows of `mentions`: (mentioned user, post) for every mention entity that names an existing account. */
  mentions: number;
  blocks: number;
  mutes: number;
  media: number;
  polls: number;
  places: number;
  postsWithGeo: number;
  elapsedMs: number;
}

/** Twitter's first account ids were handed out sequentially from here until snowflakes (Nov 2010). */
const FIRST_ACCOUNT_MS = Date.UTC(2006, 2, 21);
const LAST_SEQUENTIAL_ID = 210_000_000;
const ANCHOR_CREATED_AT = xdevelopersUser().createdAt;

export async function seedWorld(store: Store, opts: SeedWorldOptions): Promise<WorldSummary> {
  const started = performance.now();
  const nUsers = Math.max(1, Math.floor(opts.users));
  const nPosts = Math.max(1, Math.floor(opts.posts));
  const now = Math.floor(opts.now);
  const batchSize = Math.max(100, Math.floor(opts.batchSize ?? 1_000));
  const progress = opts.onProgress ?? (() => {});
  if (!Number.isFinite(now)) throw new Error('seedWorld: now must be a finite epoch-ms time');
  if ((await createRepos(store).users.count()) > 0) throw new Error('seedWorld: the store already holds users');

  const root = new Random(opts.seed);
  const users = planUsers(root.fork('users'), nUsers, now);
  const follows = planFollows(root.fork('follows'), users, now);
  const posts = planPosts(root.fork('posts'), users, follows, nPosts, now, progress);
  finishUsers(users, follows, posts);

  const { blocks, mutes } = planBlocksAndMutes(root.fork('blocks'), users, now);
  const d = store.dialect;
  const nFollows = follows.follower.length;
  const nLikes = posts.likers.length;
  const rank = idRanks(users.ids);
  const userIds = users.ids.map((id) => d.idParam(id));
  const counts = { media: 0, polls: 0, geo: 0, mentions: 0 };
  // Posts are composed from here on (in a worker for big worlds, meanwhile users and follows are written).
  const input: ComposeInput = {
    seed: opts.seed,
    now,
    dialect: d.name,
    users: { count: users.count, ids: users.ids, usernames: users.usernames, langs: users.langs, created: users.created, popRank: users.popRank },
    followers: follows.followers,
    posts: {
      special: posts.special,
      time: posts.time,
      ids: posts.ids,
      author: posts.author,
      kind: posts.kind,
      ref: posts.ref,
      root: posts.root,
      replies: posts.replies,
      reposts: posts.reposts,
      quotes: posts.quotes,
      likeOffset: posts.likeOffset,
      likers: posts.likers,
    },
  };
  const batches = composedBatches(input, batchSize, opts.composeInWorker ?? nPosts >= COMPOSE_WORKER_FROM);

  // One transaction for the whole world: a start interrupted while seeding (Ctrl-C, a crash, a full disk) leaves
  // an empty database, which the next start seeds again, never a half world. One commit is also the cheapest:
  // each commit rewrites every index page it touched. The load (data/bulk-load.ts) builds the secondary indexes of
  // the bulk tables after their rows, inside the same transaction, and rows go in primary-key order where the plan
  // allows (posts, follows, likes), so most B-trees only ever grow at their right edge.
  try {
    await bulkLoad(store, { tables: BULK_TABLES }, async (repos, load) => {
      // Users (with final counters) and places first: posts, likes and follows reference them.
      await repos.users.insertMany(users.rows);
      await repos.attachments.insertPlaces(PLACES.map(placeRow));
      progress(nUsers, nUsers, 'users');

      const followOrder = keyOrder(rank, follows.follower, follows.followee);
      for (let i = 0; i < nFollows; i += EDGE_CHUNK) {
        const end = Math.min(nFollows, i + EDGE_CHUNK);
        const values: unknown[] = [];
        for (let k = i; k < end; k++) {
          const f = followOrder[k]!;
          values.push(userIds[follows.follower[f]!], userIds[follows.followee[f]!], follows.at[f]);
        }
        await repos.bulk.follows(values);
        progress(end, nFollows, 'follows');
        await breathe();
      }
      if (nFollows === 0) progress(0, 0, 'follows');

      // A few hundred blocks and mutes so visibility rules have data; drawn from their own fork.
      await repos.timelines.insertBlocks(blocks);
      await repos.timelines.insertMutes(mutes);

      // Posts as composed, with their search documents (built with them: nothing is read back), media, polls and
      // mention rows; the statements are those of the write path (data/bulk.ts).
      const likeAt = new Float64Array(nLikes);
      for await (const b of batches) {
        await repos.bulk.media(b.media);
        await repos.bulk.posts(b.posts);
        await repos.bulk.polls(b.polls);
        await repos.bulk.searchDocs(b.search);
        await repos.bulk.mentions(b.mentions);
        likeAt.set(b.likeAt, posts.likeOffset[b.from]!);
        counts.media += b.counts.media;
        counts.polls += b.counts.polls;
        counts.geo += b.counts.geo;
        counts.mentions += b.counts.mentions;
        progress(b.to, nPosts, 'posts');
        await breathe();
      }

      // Likes once every post is in, in primary-key order (user, post): their times were drawn with the posts.
      const likePost = new Int32Array(nLikes);
      for (let i = 0; i < nPosts; i++) likePost.fill(i, posts.likeOffset[i]!, posts.likeOffset[i + 1]!);
      const likeOrder = keyOrder(rank, posts.likers);
      for (let i = 0; i < nLikes; i += EDGE_CHUNK) {
        const end = Math.min(nLikes, i + EDGE_CHUNK);
        const values: unknown[] = [];
        for (let k = i; k < end; k++) {
          const q = likeOrder[k]!;
          values.push(userIds[posts.likers[q]!], d.idParamOf(posts.ids[likePost[q]!]!), likeAt[q]);
        }
        await repos.bulk.likes(values);
        progress(end, nLikes, 'likes');
        await breathe();
      }
      if (nLikes === 0) progress(0, 0, 'likes');

      await load.restoreIndexes((done, total) => progress(done, total, 'indexes'));

      progress(0, 1, 'commit');
      await seedConversations(repos, root.fork('conversations'), users.rows, blocks, now);

      await repos.apps.ensureSetting('seed.world', JSON.stringify({ seed: opts.seed, users: nUsers, posts: nPosts, now }));
    });
  } finally {
    // Stops the worker if writing failed before every batch was taken.
    await batches.return(undefined);
  }
  progress(1, 1, 'commit');
  progress(0, 1, 'lists');
  await inTransaction(store, (repos) => seedLists(repos, root.fork('lists'), { users: users.rows, langs: users.langs, follows, blocks, now }));
  progress(1, 1, 'lists');

  let originals = 0;
  let replies = 0;
  let quotes = 0;
  let reposts = 0;
  let recent = 0;
  for (let i = 0; i < nPosts; i++) {
    const k = posts.kind[i];
    if (k === ORIGINAL) originals++;
    else if (k === REPLY) replies++;
    else if (k === QUOTE) quotes++;
    else reposts++;
    if (posts.time[i]! > now - 7 * DAY) recent++;
  }
  return {
    seed: opts.seed,
    now,
    users: nUsers,
    protectedUsers: users.rows.filter((u) => u.protected).length,
    verifiedUsers: users.rows.filter((u) => u.verified).length,
    suspendedUsers: users.rows.filter((u) => u.suspended).length,
    follows: nFollows,
    posts: nPosts,
    originals,
    replies,
    quotes,
    reposts,
    postsLast7Days: recent,
    likes: posts.likers.length,
    mentions: counts.mentions,
    blocks: blocks.length,
    mutes: mutes.length,
    media: counts.media,
    polls: counts.polls,
    places: PLACES.length,
    postsWithGeo: counts.geo,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * Lets the event loop run between batches: better-sqlite3 is synchronous, so without this a seed would hold off
 * signals (Ctrl-C), timers and the listener's 503 answers until the whole world is written.
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

async function inTransaction<T>(store: Store, fn: (repos: Repos) => Promise<T>): Promise<T> {
  return createRepos(store).transaction(fn);
}

/** Follows and likes per step. */
const EDGE_CHUNK = 50_000;
/** How many composed batches a worker may hold that are not written yet. */
const WORKER_AHEAD = 8;

/**
 * The world's posts, composed batch by batch in order: here, or in a worker thread (seed/compose-worker.ts) that
 * runs ahead of the writer. Returning early (the writer failed) stops the worker.
 */
async function* composedBatches(input: ComposeInput, batchSize: number, inWorker: boolean): AsyncGenerator<ComposedBatch, void, undefined> {
  const n = input.posts.time.length;
  if (!inWorker) {
    const composer = new BatchComposer(input);
    for (let from = 0; from < n; from += batchSize) yield composer.next(from, Math.min(n, from + batchSize));
    return;
  }
  const data: ComposeWorkerData = { input, batchSize, written: shared(Int32Array, 1), ahead: WORKER_AHEAD };
  // No execArgv of this thread's: the worker registers its TypeScript loader itself (compose-worker.mjs). A big young
  // generation: composing allocates fast and each batch lives until it is posted (with V8's default, collections
  // took a fifth of the worker's time).
  const worker = new Worker(new URL('./compose-worker.mjs', import.meta.url), { workerData: data, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 256 } });
  const queue: ComposedBatch[] = [];
  let failure: unknown = null;
  let exited = false;
  let wake: (() => void) | null = null;
  worker.on('message', (b: ComposedBatch) => {
    queue.push(b);
    wake?.();
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  try {
    for (let from = 0; from < n; from += batchSize) {
      while (!queue.length) {
        if (failure) throw failure;
        if (exited) throw new Error('seed: the composing worker stopped before composing every post');
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      yield queue.shift()!;
      Atomics.add(data.written, 0, 1);
      Atomics.notify(data.written, 0);
    }
  } finally {
    await worker.terminate();
  }
}

/** Tables whose secondary indexes are built after their rows (data/bulk-load.ts). */
const BULK_TABLES = ['posts', 'follows', 'likes'];

/** Each user's position in id order (ids are decimal strings of up to 19 digits: compared as BigInts). */
function idRanks(ids: readonly string[]): Int32Array {
  const big = ids.map((id) => BigInt(id));
  const order = Array.from(ids.keys()).sort((a, b) => (big[a]! < big[b]! ? -1 : big[a]! > big[b]! ? 1 : 0));
  const rank = new Int32Array(ids.length);
  order.forEach((u, k) => (rank[u] = k));
  return rank;
}

/**
 * The positions of rows keyed by (first user, second user) in key order, where `rank` orders users by id: what
 * inserting in a (user, user) primary key's order takes. Without `second`, rows of one first user keep their order
 * (likes are planned post by post, so they stay in post order). Counting sorts: linear in the rows.
 */
function keyOrder(rank: Int32Array, first: Int32Array, second?: Int32Array): Int32Array {
  const stable = (keys: Int32Array, input: Int32Array): Int32Array => {
    const counts = new Int32Array(rank.length + 1);
    for (let k = 0; k < input.length; k++) counts[rank[keys[input[k]!]!]! + 1]!++;
    for (let u = 0; u < rank.length; u++) counts[u + 1]! += counts[u]!;
    const out = new Int32Array(input.length);
    for (let k = 0; k < input.length; k++) out[counts[rank[keys[input[k]!]!]!]!++] = input[k]!;
    return out;
  };
  let order: Int32Array = new Int32Array(first.length);
  for (let k = 0; k < order.length; k++) order[k] = k;
  if (second) order = stable(second, order);
  return stable(first, order);
}

// ---------------------------------------------------------------------------------------------------------------
// Users

function planUsers(r: Random, n: number, now: number): PlannedUsers {
  const firstMs = Math.min(Date.UTC(2008, 0, 1), now - 365 * DAY);
  const lastMs = now - HOUR;
  const created = new Float64Array(n);
  created[0] = ANCHOR_CREATED_AT;
  const others: number[] = [];
  for (let i = 1; i < n; i++) others.push(Math.floor((firstMs + r.next() * (lastMs - firstMs)) / SEC) * SEC);
  others.sort((a, b) => a - b);
  for (let i = 1; i < n; i++) created[i] = others[i - 1]!;

  // Ids: sequential before snowflakes existed, snowflakes of created_at after (FACTS §8.4).
  const ids: string[] = new Array(n);
  ids[0] = XDEVELOPERS_ID;
  const seen = new Set<string>([XDEVELOPERS_ID]);
  let prevSequential = 11;
  for (let i = 1; i < n; i++) {
    const t = created[i]!;
    let id: string;
    if (t < EPOCH_MS) {
      const guess = 12 + Math.floor(((t - FIRST_ACCOUNT_MS) / (EPOCH_MS - FIRST_ACCOUNT_MS)) * LAST_SEQUENTIAL_ID);
      prevSequential = Math.max(guess, prevSequential + 1);
      id = String(prevSequential);
    } else {
      do id = snowflakeAt(t, r.int(0, 1023), r.int(0, 15));
      while (seen.has(id));
    }
    seen.add(id);
    ids[i] = id;
  }

  const langs: V.Lang[] = new Array(n);
  langs[0] = 'en';
  for (let i = 1; i < n; i++) langs[i] = r.weightedPair(V.LANGS);

  // Popularity rank 0 = most followed. @XDevelopers leads; everyone else is shuffled.
  const popRank = new Int32Array(n);
  const perm = r.permutation(n - 1);
  for (let i = 1; i < n; i++) popRank[i] = perm[i - 1]! + 1;

  // Names and unique usernames.
  const taken = new Set<string>([xdevelopersUser().username.toLowerCase()]);
  const names: string[] = new Array(n);
  const usernames: string[] = new Array(n);
  names[0] = xdevelopersUser().name;
  usernames[0] = xdevelopersUser().username;
  for (let i = 1; i < n; i++) {
    const [name, base] = personOrOrg(r, langs[i]!);
    names[i] = name;
    usernames[i] = uniqueUsername(r, base, taken);
  }

  const protectedFlag = new Uint8Array(n);
  const rows: UserRow[] = new Array(n);
  const suspendedCount = n >= 20 ? Math.max(2, Math.round(n * 0.0004)) : 0;
  const suspended = new Set<number>();
  while (suspended.size < suspendedCount) {
    const i = r.int(1, n - 1);
    if (popRank[i]! > n / 2) suspended.add(i);
  }
  const withheld = n > 20 ? r.int(1, n - 1) : -1;

  for (let i = 0; i < n; i++) {
    if (i === 0) {
      rows[0] = xdevelopersUser({ pinnedPostId: XDEVELOPERS_PINNED_POST_ID, profileBannerUrl: `https://pbs.twimg.com/profile_banners/${XDEVELOPERS_ID}/1690213128` });
      continue;
    }
    const lang = langs[i]!;
    const t = created[i]!;
    const top = popRank[i]! < Math.max(3, n * 0.02);
    let verifiedType = 'none';
    const v = r.next();
    if (top ? v < 0.6 : v < 0.076) {
      verifiedType = r.weightedPair(top ? ([['blue', 50], ['business', 38], ['government', 12]] as const) : ([['blue', 92], ['business', 6], ['government', 2]] as const));
    }
    const isProtected = verifiedType !== 'business' && verifiedType !== 'government' && !suspended.has(i) && r.chance(0.05);
    protectedFlag[i] = isProtected ? 1 : 0;

    const links = new Map<string, LinkTarget>();
    let description = '';
    if (r.chance(0.85)) {
      description = fill(r, r.pick(V.DESCRIPTIONS[lang]), lang);
      if (r.chance(0.2)) description += ` ${r.pick(V.HASHTAGS[lang])}`;
      if (r.chance(0.1)) description += ` ${lang === 'en' ? 'Previously ' : ''}@${usernames[r.int(0, i - 1)]}`;
      if (r.chance(0.1)) description += ` ${shortLink(r, links, personalUrl(r, usernames[i]!))}`;
    }
    let url: string | null = null;
    const entities: UserEntities = {};
    if (r.chance(0.25)) {
      const expanded = personalUrl(r, usernames[i]!);
      url = `https://t.co/${r.alnum(10)}`;
      entities.url = { urls: [{ start: 0, end: url.length, url, expanded_url: expanded, display_url: displayUrl(expanded) }] };
    }
    const descEntities = description ? extractEntities(description, links, null) : null;
    if (descEntities) entities.description = descEntities;

    let location: string | null = null;
    if (r.chance(0.45)) {
      const local = PLACES.filter((p) => p.lang === lang && p.placeType === 'city');
      location = local.length && r.chance(0.5) ? r.pick(local).fullName : r.pick(V.LOCATIONS[lang]);
    }
    const imageAt = Math.max(t, EPOCH_MS + DAY) + Math.floor(r.next() * Math.max(0, now - Math.max(t, EPOCH_MS + DAY)));
    rows[i] = {
      id: ids[i]!,
      username: usernames[i]!,
      name: names[i]!,
      description,
      location,
      url,
      profileImageUrl: `https://pbs.twimg.com/profile_images/${snowflakeAt(imageAt, r.int(0, 1023), 0)}/${r.alnum(8)}_normal.jpg`,
      profileBannerUrl: r.chance(0.4) ? `https://pbs.twimg.com/profile_banners/${ids[i]}/${Math.floor(imageAt / SEC)}` : null,
      protected: isProtected,
      verified: verifiedType !== 'none',
      verifiedType,
      suspended: suspended.has(i),
      createdAt: t,
      pinnedPostId: null,
      mostRecentPostId: null,
      followersCount: 0,
      followingCount: 0,
      tweetCount: 0,
      listedCount: 0,
      likeCount: 0,
      entities: Object.keys(entities).length ? entities : null,
      withheld: i === withheld ? { country_codes: ['DE'] } : null,
    };
  }
  return { count: n, ids, usernames, langs, created, protectedFlag, popRank, rows };
}

function romanize(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_]/g, '');
}

function namePart(p: V.NamePart): [display: string, roman: string] {
  return typeof p === 'string' ? [p, romanize(p)] : [p[0], p[1]];
}

const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** A display name and a username stem. */
function personOrOrg(r: Random, lang: V.Lang): [string, string] {
  if (r.chance(0.015)) {
    const [name, handle] = r.pick(V.ORG_NAMES);
    return [name, r.weightedPair<string>([[handle, 4], [`${handle}hq`, 1], [`${handle}_app`, 1], [`get${handle}`, 1]])];
  }
  const [first, firstRoman] = namePart(r.pick(V.FIRST_NAMES[lang]));
  const [last, lastRoman] = namePart(r.pick(V.LAST_NAMES[lang]));
  let name: string;
  if (lang === 'ja') {
    name = r.weightedPair<string>([
      [`${last}${first}`, 4],
      [`${last} ${first}`, 2],
      [`${first}${r.pick(V.EMOJI)}`, 2],
      [`${cap(firstRoman)} ${cap(lastRoman)}`, 1],
    ]);
  } else {
    name = r.weightedPair<string>([
      [`${first} ${last}`, 12],
      [first, 2],
      [`${first} ${last} ${r.pick(V.EMOJI)}`, 2],
      [`${first} ${last[0]}.`, 1],
      [`${first.toLowerCase()} ${last.toLowerCase()}`, 1],
    ]);
  }
  const f = firstRoman.toLowerCase();
  const l = lastRoman.toLowerCase();
  const stem = r.weightedPair<string>([
    [`${f}${l}`, 5],
    [`${f}_${l}`, 3],
    [`${f}${r.int(1, 9999)}`, 3],
    [`${f[0] ?? 'x'}${l}`, 3],
    [`${cap(f)}${cap(l)}`, 3],
    [`${l}${f}`, 1],
    [`the${f}`, 1],
    [`${f}_${r.pick(['dev', 'codes', 'writes', 'photo', 'art', 'irl', 'online'])}`, 2],
    [`${f}${l}${r.int(10, 99)}`, 2],
  ]);
  return [name, stem];
}

function uniqueUsername(r: Random, stem: string, taken: Set<string>): string {
  let base = stem.replace(/[^A-Za-z0-9_]/g, '').slice(0, 15) || `user${r.int(1, 99999)}`;
  let name = base;
  for (let attempt = 0; taken.has(name.toLowerCase()); attempt++) {
    const suffix = String(r.int(1, attempt < 5 ? 999 : 999_999));
    base = base.slice(0, 15 - suffix.length);
    name = `${base}${suffix}`;
  }
  taken.add(name.toLowerCase());
  return name;
}

function personalUrl(r: Random, username: string): string {
  const u = username.toLowerCase();
  return r.pick([
    `https://github.com/${username}`,
    `https://${u.replace(/_/g, '')}.dev`,
    `https://www.youtube.com/@${username}`,
    `https://linktr.ee/${u}`,
    `https://${u.replace(/_/g, '-')}.substack.com`,
    `https://www.linkedin.com/in/${u.replace(/_/g, '-')}`,
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Follow graph: out-degree log-normal, targets drawn by a Zipf law over popularity rank, so in-degree is a power law.

function planFollows(r: Random, users: PlannedUsers, now: number): PlannedFollows {
  const n = users.count;
  const followers = new Int32Array(n);
  const following = new Int32Array(n);
  if (n < 2) return { follower: new Int32Array(0), followee: new Int32Array(0), at: new Float64Array(0), followers, following };

  const byRank = zipfWeights(n, 1.0, 4);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = byRank[users.popRank[i]!]!;
  weights[0] = byRank[0]! * 2.5; // @XDevelopers: the most followed account in any world
  const sampler = new WeightedSampler(weights);

  const mean = Math.min(60, Math.max(5, Math.sqrt(n) * 0.6));
  const sigma = 1.0;
  const median = mean / Math.exp((sigma * sigma) / 2);
  const src: number[] = [];
  const dst: number[] = [];
  const at: number[] = [];
  const stamp = new Int32Array(n).fill(-1);
  for (let a = 0; a < n; a++) {
    const want = Math.min(n - 1, Math.round(a === 0 ? 30 : r.logNormal(median, sigma)));
    let got = 0;
    stamp[a] = a;
    for (let tries = 0; got < want && tries < want * 4 + 20; tries++) {
      const b = sampler.sample(r);
      if (stamp[b] === a) continue;
      stamp[b] = a;
      got++;
      const lo = Math.max(users.created[a]!, users.created[b]!);
      src.push(a);
      dst.push(b);
      at.push(lo + Math.floor(r.next() * (now - lo)));
      followers[b]!++;
      following[a]!++;
    }
  }
  return { follower: Int32Array.from(src), followee: Int32Array.from(dst), at: Float64Array.from(at), followers, following };
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks and mutes

/**
 * About one account in five blocks and one in five mutes someone, capped at 300 each; @XDevelopers is left out
 * both ways so the anchor account's views stay predictable.
 */
function planBlocksAndMutes(r: Random, users: PlannedUsers, now: number) {
  const n = users.count;
  const blocks: { blockerId: string; blockedId: string; at: number }[] = [];
  const mutes: { muterId: string; mutedId: string; at: number }[] = [];
  if (n < 3) return { blocks, mutes };
  const want = Math.min(300, Math.floor(n / 5));
  const draw = (taken: Set<string>): [number, number, number] | null => {
    for (let tries = 0; tries < 20; tries++) {
      const a = r.int(1, n - 1);
      const b = r.int(1, n - 1);
      if (a === b || taken.has(`${a}:${b}`)) continue;
      taken.add(`${a}:${b}`);
      const lo = Math.max(users.created[a]!, users.created[b]!);
      return [a, b, lo + Math.floor(r.next() * (now - lo))];
    }
    return null;
  };
  const blocked = new Set<string>();
  for (let k = 0; k < want; k++) {
    const d = draw(blocked);
    if (d) blocks.push({ blockerId: users.ids[d[0]]!, blockedId: users.ids[d[1]]!, at: d[2] });
  }
  const muted = new Set<string>();
  for (let k = 0; k < want; k++) {
    const d = draw(muted);
    if (d) mutes.push({ muterId: users.ids[d[0]]!, mutedId: users.ids[d[1]]!, at: d[2] });
  }
  return { blocks, mutes };
}

// ---------------------------------------------------------------------------------------------------------------
// Post structure

function planPosts(
  r: Random,
  users: PlannedUsers,
  follows: PlannedFollows,
  n: number,
  now: number,
  progress: (done: number, total: number, phase: SeedPhase) => void,
): PlannedPosts {
  const nu = users.count;
  const specialMs = snowflakeTime(XDEVELOPERS_PINNED_POST_ID);

  // Times: 20% spread over the last 7 days, the rest over two years with density ∝ age^-1/2 (rising toward now).
  const window = 730 * DAY;
  const gen = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    const age = r.chance(0.2) ? r.next() * 7 * DAY : window * r.next() * r.next();
    let t = now - Math.floor(age);
    if (t === specialMs) t = t + 1 <= now ? t + 1 : t - 1;
    gen[k] = t;
  }
  gen.sort();
  let special = 0;
  while (special < gen.length && gen[special]! <= specialMs) special++;
  const time = shared(Float64Array, n);
  time.set(gen.subarray(0, special), 0);
  time[special] = specialMs;
  time.set(gen.subarray(special), special + 1);

  // Ids: snowflakes of the times; posts sharing a millisecond get ascending worker/sequence bits.
  const ids = shared(BigInt64Array, n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && time[j] === time[i]) j++;
    if (i === special && j - i === 1) ids[i] = BigInt(XDEVELOPERS_PINNED_POST_ID);
    else {
      const workers: number[] = [];
      for (let k = i; k < j; k++) workers.push(r.int(0, 1023));
      workers.sort((a, b) => a - b);
      let seq = 0;
      for (let k = i; k < j; k++) {
        seq = k > i && workers[k - i] === workers[k - i - 1] ? seq + 1 : 0;
        ids[k] = snowflakeBits(time[k]!, workers[k - i]!, seq);
      }
    }
    i = j;
  }

  // Authorship: a Zipf law over a shuffled activity rank; @XDevelopers posts at a steady, modest rate.
  const actRank = r.permutation(nu);
  const actByRank = zipfWeights(nu, 0.95, 3);
  const actWeights = new Float64Array(nu);
  for (let u = 0; u < nu; u++) actWeights[u] = actByRank[actRank[u]!]!;
  if (nu > 1) actWeights[0] = actByRank[Math.min(nu - 1, 25)]!;
  const authorSampler = new WeightedSampler(actWeights);
  const popWeights = new Float64Array(nu);
  const popByRank = zipfWeights(nu, 1.1, 2);
  for (let u = 0; u < nu; u++) popWeights[u] = popByRank[users.popRank[u]!]!;
  const popSampler = new WeightedSampler(popWeights);
  let earliestUser = 0;
  for (let u = 1; u < nu; u++) if (users.created[u]! < users.created[earliestUser]!) earliestUser = u;

  // What the post writer reads (seed/compose.ts, maybe in a worker) is shared; the rest stays here.
  const author = shared(Int32Array, n);
  const kind = shared(Uint8Array, n);
  const ref = shared(Int32Array, n).fill(-1);
  const root = shared(Int32Array, n);
  const replies = shared(Int32Array, n);
  const reposts = shared(Int32Array, n);
  const quotes = shared(Int32Array, n);
  const prevByAuthor = new Int32Array(n).fill(-1);
  const lastByAuthor = new Int32Array(nu).fill(-1);
  const tweetCount = new Int32Array(nu);
  const repostPairs = new Set<number>();
  const recentMean = Math.max(20, n / 5000);

  const pickAuthor = (t: number): number => {
    for (let k = 0; k < 8; k++) {
      const u = authorSampler.sample(r);
      if (users.created[u]! <= t) return u;
    }
    return earliestUser;
  };
  /** A recent-ish, non-repost post of `u`, or -1. */
  const postOf = (u: number, skip: number): number => {
    let p = lastByAuthor[u]!;
    while (p >= 0 && kind[p] === REPOST) p = prevByAuthor[p]!;
    for (let s = 0; s < skip && p >= 0; s++) {
      let q = prevByAuthor[p]!;
      while (q >= 0 && kind[q] === REPOST) q = prevByAuthor[q]!;
      if (q < 0) break;
      p = q;
    }
    return p;
  };
  const pickTarget = (i: number, popularShare: number): number => {
    if (i > special && r.chance(0.002)) return special;
    if (r.chance(popularShare)) {
      const p = postOf(popSampler.sample(r), r.geometric(0.35));
      if (p >= 0) return p;
    }
    let j = i - 1 - Math.floor(r.exponential(recentMean));
    if (j < 0) j = r.int(0, i - 1);
    for (let s = 0; s < 8 && j >= 0 && kind[j] === REPOST; s++) j--;
    return j >= 0 && kind[j] !== REPOST ? j : -1;
  };

  for (let i = 0; i < n; i++) {
    if (i % 100_000 === 0) progress(i, n, 'plan');
    const t = time[i]!;
    let a: number;
    let k = ORIGINAL;
    let target = -1;
    if (i === special) {
      a = 0;
    } else {
      const roll = i === 0 ? 1 : r.next();
      a = pickAuthor(t);
      if (roll < 0.12) {
        for (let tries = 0; tries < 3 && target < 0; tries++) {
          const j = pickTarget(i, 0.7);
          if (j < 0) continue;
          const ta = author[j]!;
          const key = j * nu + a;
          if (ta === a || users.protectedFlag[ta] || repostPairs.has(key)) continue;
          repostPairs.add(key);
          target = j;
        }
        if (target >= 0) k = REPOST;
      } else if (roll < 0.37) {
        if (r.chance(0.2)) {
          // A self-thread: the author continues their own latest post.
          const own = postOf(a, 0);
          if (own >= 0 && t - time[own]! < 3 * DAY) target = own;
        }
        if (target < 0) target = pickTarget(i, 0.5);
        if (target >= 0) k = REPLY;
      } else if (roll < 0.42) {
        for (let tries = 0; tries < 3 && target < 0; tries++) {
          const j = pickTarget(i, 0.7);
          if (j >= 0 && !users.protectedFlag[author[j]!]) target = j;
        }
        if (target >= 0) k = QUOTE;
      }
    }
    author[i] = a;
    kind[i] = k;
    ref[i] = target;
    root[i] = k === REPLY ? root[target]! : i;
    if (k === REPLY) replies[target]!++;
    else if (k === QUOTE) quotes[target]!++;
    else if (k === REPOST) reposts[target]!++;
    prevByAuthor[i] = lastByAuthor[a]!;
    lastByAuthor[a] = i;
    tweetCount[a]!++;
  }

  // Likes: a heavy-tailed score per post (author reach × log-normal luck), scaled to ~1.2 likes per post overall.
  const score = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (kind[i] === REPOST || (i !== special && r.chance(0.35))) continue;
    const reach = Math.pow(1 + follows.followers[author[i]!]!, 0.7);
    score[i] = reach * r.logNormal(1, 1.1) * (kind[i] === REPLY ? 0.25 : 1) * (i === special ? 200 : 1);
    total += score[i]!;
  }
  const wanted = Math.round(n * 1.2);
  const maxLikes = Math.floor((nu - 1) * 0.8);
  const likeOffset = shared(Int32Array, n + 1);
  for (let i = 0; i < n; i++) {
    const k = total > 0 ? Math.min(maxLikes, Math.floor((score[i]! * wanted) / total + r.next())) : 0;
    likeOffset[i + 1] = likeOffset[i]! + Math.max(0, k);
  }
  const likers = shared(Int32Array, likeOffset[n]!);
  const likeCount = new Int32Array(nu);
  const likerRank = r.permutation(nu);
  const likerByRank = zipfWeights(nu, 0.8, 5);
  const likerWeights = new Float64Array(nu);
  for (let u = 0; u < nu; u++) likerWeights[u] = likerByRank[likerRank[u]!]!;
  const likerSampler = new WeightedSampler(likerWeights);
  const stamp = new Int32Array(nu).fill(-1);
  for (let i = 0; i < n; i++) {
    const from = likeOffset[i]!;
    const want = likeOffset[i + 1]! - from;
    let got = 0;
    for (let tries = 0; got < want && tries < want * 6 + 20; tries++) {
      const u = likerSampler.sample(r);
      if (stamp[u] === i) continue;
      stamp[u] = i;
      likers[from + got++] = u;
    }
    // Rare: a post liked by most of a small world; finish with a sweep.
    for (let u = 0; got < want && u < nu; u++) {
      if (stamp[u] === i) continue;
      stamp[u] = i;
      likers[from + got++] = u;
    }
    for (let k = 0; k < want; k++) likeCount[likers[from + k]!]!++;
  }

  // Pinned posts: @XDevelopers' fixed one; ~12% of other posting users pin an original or quote of theirs.
  const pinned = new Int32Array(nu).fill(-1);
  pinned[0] = special;
  for (let u = 1; u < nu; u++) {
    if (lastByAuthor[u]! < 0 || !r.chance(0.12)) continue;
    let p = lastByAuthor[u]!;
    let steps = r.geometric(0.3);
    let pick = -1;
    while (p >= 0) {
      if (kind[p] === ORIGINAL || kind[p] === QUOTE) {
        pick = p;
        if (steps-- <= 0) break;
      }
      p = prevByAuthor[p]!;
    }
    pinned[u] = pick;
  }
  progress(n, n, 'plan');

  return { count: n, special, time, ids, author, kind, ref, root, replies, reposts, quotes, likeOffset, likers, tweetCount, likeCount, lastByAuthor, pinned };
}

/** Counters from the plan; `listedCount` comes from the seeded lists (seed/lists.ts). */
function finishUsers(users: PlannedUsers, follows: PlannedFollows, posts: PlannedPosts): void {
  for (let u = 0; u < users.count; u++) {
    const row = users.rows[u]!;
    row.followersCount = follows.followers[u]!;
    row.followingCount = follows.following[u]!;
    row.tweetCount = posts.tweetCount[u]!;
    row.likeCount = posts.likeCount[u]!;
    const last = posts.lastByAuthor[u]!;
    row.mostRecentPostId = last >= 0 ? String(posts.ids[last]!) : null;
    const pin = posts.pinned[u]!;
    row.pinnedPostId = pin >= 0 ? String(posts.ids[pin]!) : null;
  }
}
