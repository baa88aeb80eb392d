/** GET /2/tweets/search/stream/rules (FACTS §6.1): the calling app's rules, by ids or paged by rule id. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { CURSORS, nextToken, readCursor } from '../../pipeline/pagination.js';
import { ruleView, sent } from './rule-views.js';

export const getRules = operation({
  operationId: 'getRules',
  rateLimit: { app: 450 },
  metering: meter.read('resource'),
  async handle(req) {
    const appId = appOf(req);
    const limit = (req.params.max_results as number | undefined) ?? 1000;
    const ids = req.params.ids as string[] | undefined;
    // The token is the rule id after which the next page starts.
    const after = readCursor(CURSORS.rules, req.params)?.key;
    const rows = await req.ctx.repos.streamRules.list(appId, { ids, afterId: after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const meta: Record<string, unknown> = { sent: sent(req), result_count: page.length };
    if (rows.length > limit) meta.next_token = nextToken(CURSORS.rules, page[page.length - 1]!.id);
    const body: Record<string, unknown> = {};
    if (page.length) body.data = page.map(ruleView);
    body.meta = meta;
    return { body };
  },
});
