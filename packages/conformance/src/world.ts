/**
 * What the flows need from the demo world, found over plain HTTP (the test's own view, not the client's):
 * a post of @XDevelopers that references another (so expansions have something to expand), a user to follow,
 * the full id list of a timeline, and the request parameters every client sends.
 */
import { XDEVELOPERS, type Roost } from './roost.js';

/** Lookup parameters shared by all clients (each client spells them its own way). */
export const USER_FIELDS = ['created_at', 'description', 'public_metrics', 'pinned_tweet_id', 'protected', 'verified'];
export const USER_EXPANSIONS = ['pinned_tweet_id'];
export const POST_FIELDS = ['created_at', 'author_id', 'conversation_id', 'referenced_tweets', 'public_metrics', 'entities', 'lang'];
export const POST_EXPANSIONS = ['author_id', 'referenced_tweets.id', 'referenced_tweets.id.author_id', 'in_reply_to_user_id'];
export const POST_USER_FIELDS = ['username', 'name', 'verified'];

/** A well-formed username no demo-world account has (a lookup answers 200 with a Not Found Error). */
export const MISSING_USERNAME = 'nosuchuser_042';

/** The override that makes the rate-limit flow reach a 429 after three calls (an operation no other flow uses). */
export const RATE_LIMITED_OPERATION = 'getPostsQuotedPosts';
export const RATE_LIMIT = 3;
export const RATE_LIMIT_ENV = { ROOST_RATE_LIMIT_OVERRIDES: JSON.stringify({ [RATE_LIMITED_OPERATION]: { app: RATE_LIMIT } }) };

export const userLookupQuery = () =>
  new URLSearchParams({ 'user.fields': USER_FIELDS.join(','), expansions: USER_EXPANSIONS.join(','), 'tweet.fields': 'created_at,public_metrics' });
export const postLookupQuery = () =>
  new URLSearchParams({ 'tweet.fields': POST_FIELDS.join(','), expansions: POST_EXPANSIONS.join(','), 'user.fields': POST_USER_FIELDS.join(',') });

/** A post by @XDevelopers that quotes or replies to another post, so every post expansion has something to return. */
export async function referencingPost(roost: Roost): Promise<{ id: string; referencedId: string }> {
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const q = new URLSearchParams({ max_results: '100', 'tweet.fields': 'referenced_tweets', exclude: 'retweets' });
    if (token) q.set('pagination_token', token);
    const r = await roost.api('GET', `/2/users/${XDEVELOPERS.id}/tweets?${q}`);
    if (r.status !== 200) throw new Error(`timeline: ${r.status} ${JSON.stringify(r.body)}`);
    for (const p of r.body.data ?? []) {
      const ref = (p.referenced_tweets ?? []).find((x: { type: string }) => x.type === 'quoted' || x.type === 'replied_to');
      if (!ref) continue;
      const target = await roost.api('GET', `/2/tweets/${ref.id}`);
      if (target.body.data) return { id: p.id, referencedId: ref.id };
    }
    token = r.body.meta?.next_token;
    if (!token) break;
  }
  throw new Error('the demo world has no post of @XDevelopers referencing a visible post');
}

/** Every post id of a user's timeline, newest first, read 100 at a time. */
export async function timelineIds(roost: Roost, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const q = new URLSearchParams({ max_results: '100' });
    if (token) q.set('pagination_token', token);
    const r = await roost.api('GET', `/2/users/${userId}/tweets?${q}`);
    if (r.status !== 200) throw new Error(`timeline: ${r.status} ${JSON.stringify(r.body)}`);
    ids.push(...(r.body.data ?? []).map((p: { id: string }) => p.id));
    token = r.body.meta?.next_token;
    if (!token) return ids;
  }
  throw new Error('timeline did not end within 100 pages');
}

/** Public, not yet followed by @XDevelopers: someone the follow flow can follow and unfollow. */
export async function followTarget(roost: Roost, avoid: string[] = []): Promise<{ id: string; username: string }> {
  const following = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const q = new URLSearchParams({ max_results: '1000' });
    if (token) q.set('pagination_token', token);
    const r = await roost.api('GET', `/2/users/${XDEVELOPERS.id}/following?${q}`);
    for (const u of r.body.data ?? []) following.add(u.id);
    token = r.body.meta?.next_token;
    if (!token) break;
  }
  const followers = await roost.api('GET', `/2/users/${XDEVELOPERS.id}/followers?max_results=1000&user.fields=protected`);
  const candidate = (followers.body.data ?? []).find(
    (u: { id: string; protected: boolean; username: string }) => !u.protected && !following.has(u.id) && !avoid.includes(u.id) && u.id !== XDEVELOPERS.id,
  );
  if (!candidate) throw new Error('no public user that @XDevelopers does not follow');
  return { id: candidate.id, username: candidate.username };
}

export async function followersCount(roost: Roost, userId: string): Promise<number> {
  const r = await roost.api('GET', `/2/users/${userId}?user.fields=public_metrics`);
  return r.body.data.public_metrics.followers_count;
}

/** The ids of the users who liked / reposted a post, as Roost reports them (these lists need a user context). */
export async function likers(roost: Roost, postId: string): Promise<string[]> {
  const r = await roost.api('GET', `/2/tweets/${postId}/liking_users`, { token: roost.userToken });
  return (r.body.data ?? []).map((u: { id: string }) => u.id);
}
export async function reposters(roost: Roost, postId: string): Promise<string[]> {
  const r = await roost.api('GET', `/2/tweets/${postId}/retweeted_by`, { token: roost.userToken });
  return (r.body.data ?? []).map((u: { id: string }) => u.id);
}

/** Whether a post can still be read (deleted posts answer 200 with a Not Found error and no data). */
export async function postExists(roost: Roost, postId: string): Promise<boolean> {
  const r = await roost.api('GET', `/2/tweets/${postId}`);
  return r.body.data?.id === postId;
}

/** snake_case keys → camelCase, recursively: what @xdevplatform/xdk does to every JSON answer. */
export function camelize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelize);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), camelize(x)]));
  }
  return v;
}

/**
 * A member for the lists flow: the first member of @XDevelopers' seeded "API builders" list (active accounts that
 * post), and its posts newest first — what a list holding only that member must answer.
 */
export async function listMember(roost: Roost): Promise<{ id: string; posts: string[] }> {
  const owned = await roost.api('GET', `/2/users/${XDEVELOPERS.id}/owned_lists`);
  const builders = (owned.body.data ?? []).find((l: { name: string }) => l.name === 'API builders');
  if (!builders) throw new Error(`the demo world has no "API builders" list of @XDevelopers: ${JSON.stringify(owned.body)}`);
  const members = await roost.api('GET', `/2/lists/${builders.id}/members?max_results=100`);
  for (const m of members.body.data ?? []) {
    const posts = await timelineIds(roost, m.id);
    if (posts.length > 20) return { id: m.id, posts };
  }
  throw new Error('no member of "API builders" with more than 20 posts');
}
