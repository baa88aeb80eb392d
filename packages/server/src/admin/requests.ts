/** The request log: what reached X's paths, oldest first, filtered; and clearing it. */
import type { RequestLogJson } from './protocol.js';
import { adminRoute } from './route.js';

export const listRequests = adminRoute({
  id: 'listRequests',
  summary: 'Requests that reached X paths (newest last), with operation, auth, app, user, status and body.',
  auth: 'admin',
  query: {
    since: { type: 'integer', min: 0, description: 'only entries after this seq' },
    operation: { type: 'string', description: 'only this operationId' },
    app: { type: 'string', description: 'only this app id' },
    user: { type: 'string', description: 'only this user id' },
    method: { type: 'string', description: 'only this HTTP method' },
    status: { type: 'integer', min: 100, max: 599, description: 'only answers with this status' },
    limit: { type: 'integer', min: 1, max: 10_000, description: 'at most this many (the newest)' },
  },
  async handle({ admin, query }) {
    const data = admin.requests.list(query);
    const body: RequestLogJson = { data, meta: { result_count: data.length, last_seq: admin.requests.lastSeq } };
    return { body };
  },
});

export const clearRequests = adminRoute({
  id: 'clearRequests',
  summary: 'Empties the request log (sequence numbers keep increasing).',
  auth: 'admin',
  async handle({ admin }) {
    admin.requests.clear();
    return { body: { data: { cleared: true } } };
  },
});
