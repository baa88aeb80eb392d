/**
 * Requests for Community Notes in the demo world: people ask for a note on some of the week's posts, a few of
 * them suggesting another post as a source. Posts with enough requests (rules' `noteRequestThreshold`) are the
 * posts eligible for notes; the others have too few requests yet.
 */
import type { NoteRequestRow } from '../data/notes.js';
import type { Repos } from '../data/index.js';
import { Random } from './random.js';

const WEEK = 7 * 24 * 3_600_000;

export async function seedNoteRequests(repos: Repos, seed: number, accounts: readonly { id: string }[], now: number): Promise<number> {
  const r = new Random(seed).fork('note-requests');
  const posts = await repos.trends.recent({ since: now - WEEK, placeIds: null, limit: 50_000 });
  if (!posts.length || accounts.length < 2) return 0;
  const rows: NoteRequestRow[] = [];
  for (const p of posts) {
    if (!r.chance(0.1)) continue;
    const askers = new Set<string>();
    const want = Math.min(r.int(1, 12), accounts.length - 1);
    while (askers.size < want) {
      const a = r.pick(accounts).id;
      if (a !== p.authorId) askers.add(a);
    }
    for (const userId of askers) {
      const source = r.chance(0.3) ? r.pick(posts) : null;
      rows.push({ postId: p.id, userId, at: p.createdAt + r.int(0, Math.max(1, now - p.createdAt)), sourcePostId: source && source.id !== p.id ? source.id : null });
    }
  }
  await repos.notes.insertRequests(rows);
  return rows.length;
}
