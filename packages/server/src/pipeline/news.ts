/**
 * News stories (pure), clustered from the recent posts data/ hands over, as trends are: posts that share a term
 * (a hashtag, cashtag or named entity — trends.ts's `termsOf`) form one story once at least NEWS_MIN_POSTS posts
 * by NEWS_MIN_AUTHORS accounts carry it. A story's id is a hash of the term, so the same world names the same
 * story by the same id whatever the window it was found in; everything else in it is read off its posts.
 */
import { createHash } from 'node:crypto';
import type { RecentPost } from '../data/trends.js';
import { decayed, termsOf, trendCategory } from './trends.js';

export const NEWS_MIN_POSTS = 3;
export const NEWS_MIN_AUTHORS = 2;
/** Search's window unless `max_age_hours` says otherwise (168 hours). */
export const NEWS_DEFAULT_AGE_MS = 168 * 3_600_000;
/** The widest window a story is looked for in (`max_age_hours` goes up to 720). */
export const NEWS_MAX_AGE_MS = 720 * 3_600_000;
/** Posts named in a story's `cluster_posts_results`, most engaging first. */
export const NEWS_CLUSTER_POSTS = 20;
const KEYWORDS = 10;

export interface Story {
  id: string;
  /** The term's display form. */
  name: string;
  category: string;
  /** The story's posts, most engaging first (then newest). */
  posts: RecentPost[];
  authors: number;
  firstAt: number;
  updatedAt: number;
  /** Age-decayed weight of its posts: the order of search results. */
  score: number;
  /** Other terms its posts carry, with how many posts carry each, most first. */
  keywords: [string, number][];
  /** Named entities its posts' annotations recognise, by type. */
  entities: Record<string, string[]>;
}

/** A story's id: 60 bits of SHA-256 of its case-folded term, in decimal (at most 19 digits, like X's ids). */
export function storyId(termKey: string): string {
  return BigInt(`0x${createHash('sha256').update(`news:${termKey}`).digest('hex').slice(0, 15)}`).toString();
}

/** Stories of `posts` (newest first), highest score first (ties: more posts, then name). */
export function clusterStories(posts: readonly RecentPost[], now: number): Story[] {
  const groups = new Map<string, { name: string; posts: RecentPost[] }>();
  const terms = new Map<RecentPost, Map<string, string>>();
  for (const p of posts) {
    const t = termsOf(p);
    terms.set(p, t);
    for (const [key, name] of t) {
      const g = groups.get(key);
      if (g) g.posts.push(p);
      else groups.set(key, { name, posts: [p] });
    }
  }
  const out: Story[] = [];
  for (const [key, g] of groups) {
    const authors = new Set(g.posts.map((p) => p.authorId)).size;
    if (g.posts.length < NEWS_MIN_POSTS || authors < NEWS_MIN_AUTHORS) continue;
    const co = new Map<string, { name: string; n: number }>();
    const entities: Record<string, Set<string>> = {};
    let score = 0;
    for (const p of g.posts) {
      score += decayed(p.createdAt, now);
      for (const [k, name] of terms.get(p)!) {
        if (k === key) continue;
        const c = co.get(k);
        if (c) c.n++;
        else co.set(k, { name, n: 1 });
      }
      for (const a of p.entities?.annotations ?? []) (entities[a.type] ??= new Set()).add(a.normalized_text);
    }
    const ranked = [...g.posts].sort((a, b) => b.engagement - a.engagement || b.createdAt - a.createdAt || (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    out.push({
      id: storyId(key),
      name: g.name,
      category: trendCategory(g.name),
      posts: ranked,
      authors,
      firstAt: Math.min(...g.posts.map((p) => p.createdAt)),
      updatedAt: Math.max(...g.posts.map((p) => p.createdAt)),
      score,
      keywords: [...co.values()]
        .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .slice(0, KEYWORDS)
        .map((c) => [c.name, c.n]),
      entities: Object.fromEntries(Object.entries(entities).map(([type, names]) => [type, [...names].sort()])),
    });
  }
  return out.sort((a, b) => b.score - a.score || b.posts.length - a.posts.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
