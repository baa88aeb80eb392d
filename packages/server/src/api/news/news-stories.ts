/** The stories of the world now (pipeline/news.ts), clustered from the recent public posts of a window. */
import { clusterStories, type Story } from '../../pipeline/news.js';
import { TREND_SOURCE_LIMIT } from '../../pipeline/trends.js';
import type { OperationRequest } from '../operation.js';

export async function storiesWithin(req: OperationRequest, maxAgeMs: number): Promise<Story[]> {
  const now = req.ctx.clock.now();
  const posts = await req.ctx.repos.trends.recent({ since: now - maxAgeMs, placeIds: null, limit: TREND_SOURCE_LIMIT });
  return clusterStories(posts, now);
}
