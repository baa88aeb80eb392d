import { meter } from '../../limits/metering.js';
import { spaceState } from '../../pipeline/present-spaces.js';
import { operation } from '../operation.js';
import { many } from '../shared.js';
import { renderSpaces } from './space-pages.js';

/** Titles are matched word by word (every word must occur, case-insensitively); at most this many are scanned. */
const SCAN = 5_000;

/**
 * GET /2/spaces/search — Spaces whose title holds the query's words, live and scheduled (`state`, default all;
 * ended Spaces are not searchable), newest first.
 */
export const searchSpaces = operation({
  operationId: 'searchSpaces',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('space'),
  async handle(req) {
    const words = String(req.params.query).toLowerCase().split(/\s+/).filter(Boolean);
    const want = String(req.params.state ?? 'all');
    const now = req.ctx.clock.now();
    const found = words.length ? await req.ctx.repos.spaces.byTitleWords(words, SCAN) : [];
    const spaces = found
      .filter((s) => {
        const state = spaceState(s, now);
        return state !== 'ended' && (want === 'all' || state === want);
      })
      .slice(0, Number(req.params.max_results ?? 100));
    const rendered = await renderSpaces(req, spaces, null);
    return many(rendered, { result_count: rendered.data.length });
  },
});
