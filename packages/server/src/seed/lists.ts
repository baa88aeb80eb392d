/**
 * The demo world's lists, deterministic per seed: curated topic lists (public) and personal ones (private), with
 * members, followers and pins. @XDevelopers owns "API builders" — active, popular accounts, so
 * `GET /2/lists/:id/tweets` has posts to show on first start — and a private "Watchlist" of accounts it follows.
 *
 * Everything here obeys what the write path would allow: members are accounts their owner may list (not suspended,
 * not protected, no block either way), nobody follows or pins a private list but its owner, at most 5 pins per
 * user. Counters are the rows': `member_count`, `follower_count`, and every user's `listed_count` (public lists
 * only, as domain/lists.ts keeps it).
 */
import type { Repos } from '../data/index.js';
import type { ListRow, UserRow } from '../data/rows.js';
import { snowflakeAt } from '../util/snowflake.js';
import { XDEVELOPERS_ID } from './anchor.js';
import type { Random } from './random.js';
import type { Lang } from './vocab.js';

export interface ListSeedInput {
  /** Every user, with final counters (`tweetCount` tells who posts). */
  users: readonly UserRow[];
  langs: readonly Lang[];
  /** The follow graph, as indexes into `users`. */
  follows: { follower: Int32Array; followee: Int32Array };
  blocks: readonly { blockerId: string; blockedId: string }[];
  now: number;
}

type Pool = Lang | 'any' | 'verified' | 'new';

/** Curated topics: name (≤ 25 characters, as X requires), description, and who fits them. */
const TOPICS: readonly (readonly [string, string, Pool])[] = [
  ['Tech voices', 'Engineers and founders worth reading', 'en'],
  ['Verified accounts', 'Blue, business and government checks', 'verified'],
  ['Rising accounts', 'Joined recently, posting a lot', 'new'],
  ['日本のクリエイター', 'イラスト、写真、開発のアカウント', 'ja'],
  ['Voces en español', 'Cuentas en español que sigo de cerca', 'es'],
  ['Vozes em português', 'Contas em português para acompanhar', 'pt'],
  ['Voix francophones', 'Comptes francophones à suivre', 'fr'],
  ['Deutschsprachige Stimmen', 'Accounts auf Deutsch', 'de'],
  ['Open source', 'Maintainers and contributors', 'any'],
  ['Photography', 'Light, film and street', 'any'],
  ['Climate & science', 'Researchers and science writers', 'any'],
  ['Football', 'Match days and transfer rumours', 'any'],
  ['Indie hackers', 'Building in public', 'any'],
  ['Design', 'Type, UI and everything in between', 'any'],
];
const PRIVATE_NAMES: readonly string[] = ['Close friends', 'Read later', 'Inspiration', 'Competitors', 'Family'];

const DAY = 86_400_000;

export async function seedLists(repos: Repos, r: Random, input: ListSeedInput): Promise<void> {
  const { users, now } = input;
  const n = users.length;
  if (n < 3) return;
  // Who is blocked either way with whom (a few hundred pairs): owners without any are the rule, and their
  // candidates are filtered without a lookup per user (a list per 25 users, each filtering every user).
  const blocked = new Map<string, Set<string>>();
  const block = (a: string, b: string) => (blocked.get(a) ?? blocked.set(a, new Set()).get(a)!).add(b);
  for (const b of input.blocks) {
    block(b.blockerId, b.blockedId);
    block(b.blockedId, b.blockerId);
  }
  const notBlocked = (owner: UserRow): ((u: UserRow) => boolean) => {
    const theirs = blocked.get(owner.id);
    return theirs ? (u) => u.id !== owner.id && !theirs.has(u.id) : (u) => u.id !== owner.id;
  };
  const newest = [...users].sort((a, b) => b.createdAt - a.createdAt).slice(0, Math.max(10, Math.floor(n / 5)));
  const recent = new Set(newest.map((u) => u.id));
  const fits = (pool: Pool, i: number): boolean => {
    const u = users[i]!;
    if (pool === 'any') return true;
    if (pool === 'verified') return u.verified;
    if (pool === 'new') return recent.has(u.id);
    return input.langs[i] === pool;
  };

  const active = users.filter((u) => !u.suspended);
  const pools = new Map<Pool, UserRow[]>();
  const poolOf = (pool: Pool) => pools.get(pool) ?? pools.set(pool, users.filter((_, i) => fits(pool, i))).get(pool)!;

  const lists: ListRow[] = [];
  const members: { a: string; b: string; at: number }[] = [];
  const followers: { a: string; b: string; at: number }[] = [];
  const pins: { a: string; b: string; at: number }[] = [];
  const pinCount = new Map<string, number>();
  const ids = new Set<string>();

  const pin = (userId: string, listId: string, at: number) => {
    const c = pinCount.get(userId) ?? 0;
    if (c >= 5) return;
    pinCount.set(userId, c + 1);
    pins.push({ a: userId, b: listId, at });
  };
  const addList = (owner: UserRow, name: string, description: string, isPrivate: boolean, candidates: readonly UserRow[], size: number): void => {
    const from = Math.max(owner.createdAt, now - 730 * DAY);
    const createdAt = from + Math.floor(r.next() * Math.max(0, now - DAY - from));
    let id: string;
    do id = snowflakeAt(createdAt, r.int(0, 1023), r.int(0, 15));
    while (ids.has(id));
    ids.add(id);
    const open = notBlocked(owner);
    const chosen = r.shuffle(candidates.filter((u) => !u.suspended && !u.protected && open(u))).slice(0, size);
    const since = (at: number) => at + Math.floor(r.next() * (now - at));
    for (const u of chosen) members.push({ a: id, b: u.id, at: since(createdAt) });
    let followerTotal = 0;
    if (!isPrivate) {
      const fans = r.shuffle(active.filter(open));
      for (const u of fans.slice(0, r.int(0, Math.min(20, Math.floor(n / 10))))) {
        const at = since(createdAt);
        followers.push({ a: u.id, b: id, at });
        followerTotal++;
        if (r.chance(0.3)) pin(u.id, id, at);
      }
    }
    if (r.chance(0.5)) pin(owner.id, id, since(createdAt));
    lists.push({ id, ownerId: owner.id, name, description, private: isPrivate, memberCount: chosen.length, followerCount: followerTotal, createdAt });
  };

  // @XDevelopers: a public list of popular accounts that post, and a private one of accounts it follows.
  const anchor = users.find((u) => u.id === XDEVELOPERS_ID) ?? users[0]!;
  const posters = users.filter((u) => u.tweetCount >= 5).sort((a, b) => b.followersCount - a.followersCount || (a.id < b.id ? -1 : 1));
  addList(anchor, 'API builders', 'Developers building on the X API', false, posters.slice(0, 40), 25);
  const anchorIndex = users.indexOf(anchor);
  const followed: UserRow[] = [];
  for (let k = 0; k < input.follows.follower.length; k++) if (input.follows.follower[k] === anchorIndex) followed.push(users[input.follows.followee[k]!]!);
  addList(anchor, 'Watchlist', 'Accounts to keep an eye on', true, followed, 8);

  const count = Math.max(4, Math.floor(n / 25));
  for (let k = 0; k < count; k++) {
    let owner: UserRow;
    do owner = users[r.int(1, n - 1)]!;
    while (owner.suspended);
    if (r.chance(0.2)) {
      addList(owner, r.pick(PRIVATE_NAMES), '', true, users, r.int(2, 12));
      continue;
    }
    const [name, description, pool] = TOPICS[k % TOPICS.length]!;
    addList(owner, name, description, false, poolOf(pool), r.int(3, Math.max(3, Math.min(40, Math.floor(n / 4)))));
  }

  await repos.lists.insertMany(lists);
  await repos.lists.insertEdges('list_members', members);
  await repos.lists.insertEdges('list_followers', followers);
  await repos.lists.insertEdges('list_pins', pins);
  await repos.lists.recountListed();
}
