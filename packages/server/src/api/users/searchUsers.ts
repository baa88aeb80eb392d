import type { UserRow } from '../../data/rows.js';
import { meter } from '../../limits/metering.js';
import { CURSORS, listMeta, walkOffset } from '../../pipeline/pagination.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection } from '../shared.js';

/** Accounts ranked per request, at most this many candidates (the most followed first). */
const CANDIDATES = 10_000;

/**
 * How well an account matches: its username is the query (0), starts with it (1), its name starts with it or a
 * word of its name starts with the query's first word (2), or the words only occur inside (3).
 */
export function matchTier(u: Pick<UserRow, 'username' | 'name'>, words: readonly string[]): number {
  const handle = u.username.toLowerCase();
  const name = u.name.toLowerCase();
  const phrase = words.join(' ');
  if (handle === words.join('')) return 0;
  if (handle.startsWith(words[0]!)) return 1;
  if (name.startsWith(phrase) || name.split(/\s+/).some((w) => w.startsWith(words[0]!))) return 2;
  return 3;
}

/**
 * GET /2/users/search — accounts whose username or name holds every word of the query, ranked by how they match
 * (matchTier), then by followers; suspended accounts never appear. Pages at an offset (`next_token`).
 */
export const searchUsers = operation({
  operationId: 'searchUsers',
  rateLimit: { app: 300, user: 900 },
  metering: meter.read('user'),
  async handle(req) {
    const words = String(req.params.query).toLowerCase().split(/\s+/).filter(Boolean);
    const env = renderEnv(req);
    const page = await walkOffset(CURSORS.userSearch, req.params, Number(req.params.max_results ?? 100), async (offset, n) => {
      const found = await env.repos.users.matching(words, CANDIDATES);
      const ranked = found
        .map((u, i) => ({ id: u.id, tier: matchTier(u, words), i }))
        .sort((a, b) => a.tier - b.tier || a.i - b.i);
      return ranked.slice(offset, offset + n).map((r) => r.id);
    });
    const rendered = await renderUsers(env, { ids: page.ids }, selection(req), LIST);
    const meta = listMeta(rendered.data.length, page);
    delete meta.result_count;
    return many(rendered, meta);
  },
});
