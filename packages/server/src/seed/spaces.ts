/**
 * The demo world's Spaces and the topic catalogue, drawn from the seed after the accounts exist: some ended, some
 * live now (ending later), some scheduled (going live later), a few ticketed with buyers. Their state is never
 * stored, so the same seed shows Spaces going live and ending as the server clock moves. Each Space is shared in
 * posts, as X shows a Space in a post: its link `https://x.com/i/spaces/<id>` (wrapped in t.co, the Space's URL as
 * `expanded_url`) — by its creator when it is announced and, once it is live, by some of its hosts and speakers.
 */
import type { Repos } from '../data/index.js';
import type { SpaceRow, TopicRow } from '../data/spaces.js';
import { spaceIdOf } from '../domain/spaces.js';
import { snowflakeAt } from '../util/snowflake.js';
import { EXTRA_POST_WORKERS, extraPostRows, insertExtraPosts, type ExtraPost } from './extra-posts.js';
import { Random } from './random.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A fixed slice of X's topic catalogue (ids as X gives them). */
export const TOPICS: readonly TopicRow[] = [
  { id: '848920371311001600', name: 'Technology', description: 'Technology and computing' },
  { id: '848921413196984320', name: 'Computer programming', description: 'Computer programming' },
  { id: '898661583827615744', name: 'Artificial intelligence', description: 'Artificial intelligence' },
  { id: '847878884917886977', name: 'Music', description: 'Music' },
  { id: '847900493514891265', name: 'Sports', description: 'Sports' },
  { id: '839544274442858496', name: 'Gaming', description: 'Gaming' },
  { id: '847868745150119936', name: 'Business & finance', description: 'Business and finance' },
  { id: '849075668352499712', name: 'Science', description: 'Science' },
];

const SUBJECTS: readonly (readonly [string, number])[] = [
  ['Building in public', 0], ['TypeScript office hours', 1], ['What is new in the X API', 0], ['AI agents and you', 2],
  ['Late night lo-fi', 3], ['Matchday live', 4], ['Indie game devs hangout', 5], ['Markets open', 6],
  ['Ask a scientist', 7], ['SQLite tips and tricks', 1], ['Startup pitch practice', 6], ['Open source maintainers', 1],
];
const SUFFIXES = ['', ' #2', ' weekly', ' AMA', ': community call', ' (recorded)'];

export interface SpaceSeed {
  spaces: SpaceRow[];
  buyers: { spaceId: string; userId: string; at: number }[];
  /** Posts sharing the Spaces' links. */
  posts: ExtraPost[];
}

/** A Space's link, as posts share it (getSpacesPosts finds posts by it). */
export const spaceUrl = (id: string): string => `https://x.com/i/spaces/${id}`;

/** The Spaces of a world with these accounts (ids by id order), all relative to `now`. */
export function planSpaces(seed: number, accounts: readonly { id: string }[], now: number): SpaceSeed {
  const r = new Random(seed).fork('spaces');
  // A fork of its own for the sharing posts, so the Spaces are drawn as they were before there were any.
  const rp = new Random(seed).fork('space-posts');
  const out: SpaceSeed = { spaces: [], buyers: [], posts: [] };
  if (accounts.length < 2) return out;
  const n = Math.max(9, Math.min(60, Math.floor(accounts.length / 15)));
  const pickUsers = (k: number) => [...new Set(Array.from({ length: k }, () => r.pick(accounts).id))];
  for (let i = 0; i < n; i++) {
    const phase = i % 3; // 0 ended, 1 live, 2 scheduled: every world has all three
    const creator = r.pick(accounts).id;
    const [subject, topic] = r.pick(SUBJECTS);
    let createdAt: number;
    let scheduledStart: number | null = null;
    let liveAt: number;
    let endAt: number | null;
    if (phase === 0) {
      liveAt = now - r.int(2 * HOUR, 20 * DAY);
      endAt = liveAt + r.int(20 * MIN, 3 * HOUR);
      createdAt = liveAt - (r.chance(0.5) ? r.int(MIN, 2 * DAY) : 0);
      if (createdAt < liveAt) scheduledStart = liveAt;
    } else if (phase === 1) {
      liveAt = now - r.int(5 * MIN, 90 * MIN);
      endAt = r.chance(0.7) ? now + r.int(30 * MIN, 3 * HOUR) : null;
      createdAt = liveAt;
    } else {
      scheduledStart = now + r.int(30 * MIN, 6 * DAY);
      liveAt = scheduledStart;
      endAt = liveAt + r.int(30 * MIN, 2 * HOUR);
      createdAt = now - r.int(MIN, 3 * DAY);
    }
    const ticketed = r.chance(0.25);
    const id = spaceIdOf(snowflakeAt(createdAt, i));
    const speakers = pickUsers(r.int(0, 4)).filter((u) => u !== creator);
    out.spaces.push({
      id,
      creatorId: creator,
      title: `${subject}${r.pick(SUFFIXES)}`,
      lang: 'en',
      isTicketed: ticketed,
      createdAt,
      scheduledStart,
      liveAt,
      endAt,
      hostIds: [creator, ...pickUsers(r.int(0, 2)).filter((u) => u !== creator)],
      speakerIds: speakers,
      invitedUserIds: phase === 2 ? pickUsers(r.int(0, 3)) : [],
      topicIds: [TOPICS[topic]!.id, ...(r.chance(0.4) ? [r.pick(TOPICS).id] : [])].filter((t, k, a) => a.indexOf(t) === k),
      participantCount: phase === 2 ? 0 : r.int(3, 2000),
      subscriberCount: phase === 2 ? r.int(0, 300) : 0,
    });
    if (ticketed) {
      for (const u of pickUsers(r.int(1, 12))) if (u !== creator) out.buyers.push({ spaceId: id, userId: u, at: createdAt + r.int(0, Math.max(1, Math.min(liveAt, now) - createdAt)) });
    }
    const space = out.spaces[out.spaces.length - 1]!;
    out.posts.push(...sharingPosts(rp, space, now));
  }
  return out;
}

/**
 * The posts sharing a Space: its creator announces it when it is created (a reminder for a scheduled one); once it
 * has gone live, each other host and speaker shares it with a chance of one half, some minutes after it started.
 */
function sharingPosts(r: Random, sp: SpaceRow, now: number): ExtraPost[] {
  const link = spaceUrl(sp.id);
  const out: ExtraPost[] = [];
  const liveAt = sp.liveAt ?? Infinity;
  const announce = sp.scheduledStart !== null && sp.createdAt < liveAt ? `Set a reminder: ${sp.title} ${link}` : `We're live: ${sp.title} ${link}`;
  if (sp.createdAt < now) out.push({ authorId: sp.creatorId, text: announce, at: sp.createdAt });
  if (liveAt < now) {
    for (const u of new Set([...sp.hostIds, ...sp.speakerIds])) {
      if (u === sp.creatorId || !r.chance(0.5)) continue;
      const at = Math.min(now - 1000, liveAt + r.int(MIN, 20 * MIN));
      out.push({ authorId: u, text: `Tune in: ${sp.title} ${link}`, at });
    }
  }
  return out;
}

export async function seedSpaces(repos: Repos, seed: number, accounts: readonly { id: string }[], now: number): Promise<number> {
  const plan = planSpaces(seed, accounts, now);
  await repos.spaces.insertTopics(TOPICS);
  await repos.spaces.insertMany(plan.spaces);
  await repos.spaces.insertBuyers(plan.buyers);
  await insertExtraPosts(repos, extraPostRows(plan.posts, EXTRA_POST_WORKERS.spaces));
  return plan.spaces.length;
}
