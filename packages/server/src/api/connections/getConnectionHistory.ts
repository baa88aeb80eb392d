/** GET /2/connections (FACTS §6.3): the app's stream connections, active ones and those this node still remembers. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { CURSORS, nextToken, readCursor } from '../../pipeline/pagination.js';
import { appOf, str } from '../shared.js';
import { ALL_FIELDS, connectionView } from './connection-views.js';

export const getConnectionHistory = operation({
  operationId: 'getConnectionHistory',
  rateLimit: {},
  metering: meter.read('resource'),
  async handle(req) {
    const appId = appOf(req);
    const status = (str(req.params.status) ?? 'active') as 'active' | 'inactive' | 'all';
    const endpoints = req.params.endpoints as string[] | undefined;
    const asked = req.params['connection.fields'] as string[] | undefined;
    // Without connection.fields every field that applies is returned.
    const fields = new Set(asked ?? ALL_FIELDS);
    const limit = (req.params.max_results as number | undefined) ?? 10;
    const cursor = readCursor(CURSORS.connections, req.params);
    let list = req.ctx.streams.connections(appId, status);
    if (endpoints) list = list.filter((c) => endpoints.includes(c.endpoint));
    if (cursor) list = list.filter((c) => c.seq < cursor.key);
    const page = list.slice(0, limit);
    const meta: Record<string, unknown> = { result_count: page.length };
    if (list.length > limit) meta.next_token = nextToken(CURSORS.connections, page[page.length - 1]!.seq);
    const body: Record<string, unknown> = {};
    if (page.length) body.data = page.map((c) => connectionView(c, fields));
    body.meta = meta;
    return { body };
  },
});
