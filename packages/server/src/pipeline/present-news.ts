/**
 * The view of a News story (pure): `id` and `name` by default, the rest when asked, every value read off the
 * story's posts (pipeline/news.ts).
 */
import type { Story } from './news.js';
import { NEWS_CLUSTER_POSTS } from './news.js';
import { iso } from './present.js';

const DISCLAIMER = 'Roost gathers this story from posts that share a term; it changes as posts arrive.';
const HOOK_CHARS = 140;

/** The first sentence (or line) of the story's most engaging post, at most HOOK_CHARS characters. */
function hookOf(s: Story): string {
  const text = s.posts[0]!.text.replace(/https?:\/\/\S+/g, '').trim();
  const first = text.split(/(?<=[.!?])\s+|\n/)[0]!.trim() || text;
  const chars = [...first];
  return chars.length > HOOK_CHARS ? `${chars.slice(0, HOOK_CHARS - 1).join('')}…` : first;
}

function summaryOf(s: Story): string {
  const n = s.posts.length;
  const also = s.keywords.slice(0, 3).map(([k]) => k);
  return `${n} posts from ${s.authors} accounts about ${s.name} since ${iso(s.firstAt).slice(0, 10)}${also.length ? `, often with ${also.join(', ')}` : ''}.`;
}

export function presentStory(s: Story, fields: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: s.id, name: s.name };
  if (fields.has('category')) out.category = s.category;
  if (fields.has('cluster_posts_results')) out.cluster_posts_results = s.posts.slice(0, NEWS_CLUSTER_POSTS).map((p) => ({ post_id: p.id }));
  if (fields.has('contexts')) out.contexts = { topics: [s.category], ...(Object.keys(s.entities).length ? { entities: s.entities } : {}) };
  if (fields.has('disclaimer')) out.disclaimer = DISCLAIMER;
  if (fields.has('hook')) out.hook = hookOf(s);
  if (fields.has('keywords')) out.keywords = Object.fromEntries(s.keywords);
  if (fields.has('summary')) out.summary = summaryOf(s);
  if (fields.has('updated_at')) out.updated_at = iso(s.updatedAt);
  return out;
}

export const newsFields = (params: Record<string, unknown>): Set<string> => new Set(Array.isArray(params['news.fields']) ? (params['news.fields'] as string[]) : []);
