/**
 * Trends, computed (pure) from the recent posts data/ hands over: each post counts once for each hashtag,
 * cashtag and named entity (the keywords its annotations recognise: people, places, organisations, products)
 * it carries. A term's score decays with the age of its posts (half-life TREND_HALF_LIFE_MS), so a burst now
 * outranks a steady trickle over the week; its count is every post of the window.
 */
import type { TermSource } from '../data/trends.js';

export const TREND_WINDOW_MS = 7 * 24 * 3_600_000;
export const TREND_HALF_LIFE_MS = 3 * 3_600_000;
/** Posts read per request at most (the newest). */
export const TREND_SOURCE_LIMIT = 50_000;

const KEYWORD_TYPES = new Set(['Person', 'Place', 'Organization', 'Product']);

export interface TrendTerm {
  name: string;
  count: number;
  score: number;
  /** The oldest post of the window carrying it. */
  firstAt: number;
}

/** The terms a post counts for, by case-folded key, each with its display form. */
export function termsOf(p: TermSource): Map<string, string> {
  const out = new Map<string, string>();
  const add = (name: string) => {
    const key = name.toLowerCase();
    if (!out.has(key)) out.set(key, name);
  };
  for (const h of p.entities?.hashtags ?? []) add(`#${h.tag}`);
  for (const c of p.entities?.cashtags ?? []) add(`$${c.tag.toUpperCase()}`);
  for (const a of p.entities?.annotations ?? []) if (KEYWORD_TYPES.has(a.type)) add(a.normalized_text);
  return out;
}

/** A post's weight now: 1 when new, halving every TREND_HALF_LIFE_MS. */
export const decayed = (createdAt: number, now: number): number => 2 ** (-Math.max(0, now - createdAt) / TREND_HALF_LIFE_MS);

/** Terms by score, highest first (ties: more posts, then name). `posts` newest first. */
export function rankTerms(posts: readonly TermSource[], now: number): TrendTerm[] {
  const terms = new Map<string, TrendTerm>();
  for (const p of posts) {
    const weight = decayed(p.createdAt, now);
    for (const [key, name] of termsOf(p)) {
      const t = terms.get(key);
      if (t) {
        t.count++;
        t.score += weight;
        t.firstAt = Math.min(t.firstAt, p.createdAt);
      } else {
        // Newest first: the display form is the latest spelling.
        terms.set(key, { name, count: 1, score: weight, firstAt: p.createdAt });
      }
    }
  }
  return [...terms.values()].sort((a, b) => b.score - a.score || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** X's way of writing a count: `842 posts`, `1.2K posts`, `42K posts`, `3.1M posts`. */
export function postCountLabel(n: number): string {
  const short = (v: number, unit: string) => `${v >= 10 ? Math.floor(v) : Math.floor(v * 10) / 10}${unit}`;
  if (n >= 1_000_000) return `${short(n / 1_000_000, 'M')} posts`;
  if (n >= 1_000) return `${short(n / 1_000, 'K')} posts`;
  return `${n} ${n === 1 ? 'post' : 'posts'}`;
}

/** `Trending now` for a term that began within the hour, else how long ago (X's wording). */
export function trendingSinceLabel(firstAt: number, now: number): string {
  const hours = Math.floor((now - firstAt) / 3_600_000);
  if (hours < 1) return 'Trending now';
  if (hours < 24) return `${hours} ${hours === 1 ? 'hour' : 'hours'} ago`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

const CATEGORIES: readonly (readonly [RegExp, string])[] = [
  [/^#(nba|nfl|worldcup|laliga|fútbol|futebol|ligue1|bundesliga)$/i, 'Sports'],
  [/^#(ai|ia|ki|machinelearning)$/i, 'Artificial intelligence'],
  [/^#(javascript|typescript|python|rustlang|sqlite|webdev|devops|100daysofcode|opensource|gamedev|indiedev|programación|programação|développement|entwicklung|エンジニア|プログラミング|xapi)/i, 'Technology'],
  [/^\$/, 'Business & finance'],
];

/** The category X files a trend under: from the term itself, else `Trending`. */
export function trendCategory(name: string): string {
  return CATEGORIES.find(([re]) => re.test(name))?.[1] ?? 'Trending';
}
