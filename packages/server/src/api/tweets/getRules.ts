/** GET /2/tweets/search/stream/rules (FACTS §6.1): the calling app's rules, by ids or paged by rule id. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { InvalidRequest } from '../../errors.js';
import { appOf, str } from '../shared.js';
import { idInRange } from '../../util/snowflake.js';
import { ruleView, sent } from './rule-views.js';

/** 16 hex digits: the rule id after which the next page starts (X's tokens are 16 characters). */
const pageToken = (id: string) => BigInt(id).toString(16).padStart(16, '0');

function parsePageToken(token: string): string {
  // 16 hex digits reach 2^64-1; ids (and so tokens we hand out) stop at MAX_ID.
  const id = /^[0-9a-f]{16}$/.test(token) ? BigInt('0x' + token).toString() : null;
  if (id === null || !idInRange(id)) {
    throw InvalidRequest.one('pagination_token', [token], `The \`pagination_token\` query parameter value [${token}] is not valid`);
  }
  return id;
}

export const getRules = operation({
  operationId: 'getRules',
  rateLimit: { app: 450 },
  metering: meter.read('resource'),
  async handle(req) {
    const appId = appOf(req);
    const limit = (req.params.max_results as number | undefined) ?? 1000;
    const ids = req.params.ids as string[] | undefined;
    const token = str(req.params.pagination_token);
    const after = token ? parsePageToken(token) : undefined;
    const rows = await req.ctx.repos.streamRules.list(appId, { ids, afterId: after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const meta: Record<string, unknown> = { sent: sent(req), result_count: page.length };
    if (rows.length > limit) meta.next_token = pageToken(page[page.length - 1]!.id);
    const body: Record<string, unknown> = {};
    if (page.length) body.data = page.map(ruleView);
    body.meta = meta;
    return { body };
  },
});
