/**
 * The demo world's Communities: a fixed list of names and rules, each with a creator (its admin), a few
 * moderators and members drawn from the seed, and posts its members made there (each carries `community_id`; a
 * Closed Community's posts are for its members only). Community ids are snowflakes of their creation time.
 */
import type { Repos } from '../data/index.js';
import type { MemberRow } from '../data/communities.js';
import { snowflakeAt } from '../util/snowflake.js';
import { EXTRA_POST_WORKERS, extraPostRows, insertExtraPosts, type ExtraPost } from './extra-posts.js';
import { Random } from './random.js';

const DAY = 86_400_000;

const SPECS: readonly { name: string; description: string; access: 'Public' | 'Closed'; joinPolicy: string }[] = [
  { name: 'Build in Public', description: 'Founders sharing what they ship, numbers included.', access: 'Public', joinPolicy: 'Open' },
  { name: 'TypeScript Developers', description: 'Types, tooling and the occasional any.', access: 'Public', joinPolicy: 'Open' },
  { name: 'X API Developers', description: 'Questions and answers about building on the X API.', access: 'Public', joinPolicy: 'Open' },
  { name: 'Photography', description: 'Post your best shot of the week.', access: 'Public', joinPolicy: 'Open' },
  { name: 'Indie Game Devs', description: 'Devlogs, playtests and launch days.', access: 'Public', joinPolicy: 'RestrictedJoinRequestsRequireModeratorApproval' },
  { name: 'Coffee Nerds', description: 'Grinders, ratios and latte art.', access: 'Public', joinPolicy: 'Open' },
  { name: 'SQLite Enthusiasts', description: 'One file, zero servers.', access: 'Public', joinPolicy: 'Open' },
  { name: 'Football Tactics', description: 'Formations, pressing and xG.', access: 'Public', joinPolicy: 'RestrictedJoinRequestsRequireModeratorApproval' },
  { name: 'Remote Work', description: 'Working from anywhere, well.', access: 'Public', joinPolicy: 'Open' },
  { name: 'Machine Learning Papers', description: 'One paper a day, discussed.', access: 'Closed', joinPolicy: 'RestrictedJoinRequestsRequireModeratorApproval' },
  { name: 'Founders Backchannel', description: 'Invite-only: what founders say when nobody is listening.', access: 'Closed', joinPolicy: 'RestrictedJoinRequestsRequireModeratorApproval' },
];

/** What members post in a Community (`{c}`: its name). */
const POSTS: readonly string[] = [
  'Hello {c}! Glad to be here.',
  'Weekly thread for {c}: what are you working on?',
  'A question for {c}: how do you keep up with everything?',
  'Sharing my notes from this week with {c}.',
  'Reminder for {c}: be kind, stay on topic.',
  'Anyone in {c} around for a quick chat later today?',
  'Best thing I learned this month, courtesy of {c}.',
  'Unpopular opinion, {c}: less is more.',
];

export async function seedCommunities(repos: Repos, seed: number, accounts: readonly { id: string; createdAt: number }[], now: number): Promise<number> {
  if (accounts.length < 2) return 0;
  const r = new Random(seed).fork('communities');
  // A fork of its own for the posts, so the Communities are drawn as they were before they had any.
  const rp = new Random(seed).fork('community-posts');
  const posts: ExtraPost[] = [];
  for (const [i, spec] of SPECS.entries()) {
    const creator = r.pick(accounts);
    const createdAt = Math.max(creator.createdAt, Date.UTC(2021, 8, 8)) + r.int(0, 400) * DAY;
    const at = Math.min(createdAt, now - DAY);
    const id = snowflakeAt(at, 800 + i);
    await repos.communities.insert({ id, name: spec.name, description: spec.description, createdAt: at, access: spec.access, joinPolicy: spec.joinPolicy, creatorId: creator.id });
    const members = new Map<string, MemberRow>([[creator.id, { communityId: id, userId: creator.id, role: 'admin', at }]]);
    const n = Math.min(accounts.length - 1, Math.round(r.pareto(4, 1.2)));
    for (let k = 0; k < n; k++) {
      const u = r.pick(accounts);
      if (!members.has(u.id)) members.set(u.id, { communityId: id, userId: u.id, role: k < 2 ? 'moderator' : 'member', at: at + r.int(0, Math.max(1, now - at)) });
    }
    await repos.communities.insertMembers([...members.values()]);
    posts.push(...communityPosts(rp, id, spec.name, [...members.values()], now));
  }
  await insertExtraPosts(repos, extraPostRows(posts, EXTRA_POST_WORKERS.communities));
  return SPECS.length;
}

/**
 * A Community's posts: three to eight by its members, each after its author joined, over the last four weeks (so
 * recent search windows and timelines find some), oldest first.
 */
function communityPosts(r: Random, communityId: string, name: string, members: readonly MemberRow[], now: number): ExtraPost[] {
  const out: ExtraPost[] = [];
  const n = r.int(3, 8);
  for (let k = 0; k < n; k++) {
    const m = r.pick(members);
    const from = Math.max(m.at, now - 28 * DAY);
    if (from >= now - 60_000) continue;
    out.push({ authorId: m.userId, text: r.pick(POSTS).replace('{c}', name), at: from + r.int(0, now - 60_000 - from), extras: { community_id: communityId } });
  }
  return out.sort((a, b) => a.at - b.at);
}
