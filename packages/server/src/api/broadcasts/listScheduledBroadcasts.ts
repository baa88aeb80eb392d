/**
 * GET /2/broadcasts/scheduled: the caller's broadcasts that have not ended, latest start first, optionally those
 * starting within [oldest_start_time, newest_start_time] (epoch milliseconds, or ISO 8601 date-times).
 */
import { operation } from '../operation.js';
import { InvalidRequest } from '../../errors.js';
import { CURSORS, listMeta, walkEdges } from '../../pipeline/pagination.js';
import { LIST, renderScheduledBroadcasts } from '../../pipeline/render.js';
import { many, renderEnv, str, userOf } from '../shared.js';
import { BROADCAST_LIMIT, BROADCAST_READ_PRICE } from './broadcast-requests.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A start-time bound of the request in epoch ms, or X's 400 naming it. */
function timeParam(params: Record<string, unknown>, name: string): number | undefined {
  const v = str(params[name]);
  if (v === undefined) return undefined;
  const ms = /^\d{1,15}$/.test(v) ? Number(v) : ISO.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw InvalidRequest.one(name, [v], `The \`${name}\` query parameter value [${v}] is not valid`);
  return ms;
}

export const listScheduledBroadcasts = operation({
  operationId: 'listScheduledBroadcasts',
  rateLimit: BROADCAST_LIMIT,
  metering: BROADCAST_READ_PRICE,
  async handle(req) {
    const me = userOf(req);
    const oldestStart = timeParam(req.params, 'oldest_start_time');
    const newestStart = timeParam(req.params, 'newest_start_time');
    if (oldestStart !== undefined && newestStart !== undefined && oldestStart > newestStart) {
      const v = String(req.params.newest_start_time);
      throw InvalidRequest.one('newest_start_time', [v], `The \`newest_start_time\` query parameter value [${v}] is before \`oldest_start_time\``);
    }
    const env = renderEnv(req);
    const page = await walkEdges(CURSORS.scheduledBroadcasts, req.params, Number(req.params.max_results ?? 100), (q) =>
      env.repos.broadcasts.owned({ ownerId: me, now: env.now, oldestStart, newestStart, ...q }),
    );
    const rendered = await renderScheduledBroadcasts(env, page.ids, LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
