/**
 * Connections API (FACTS §6.3): list an app's stream connections (active ones, and closed ones this node still
 * remembers) and force-disconnect them — all, per endpoint, or by id — so a client whose half-dead connection
 * still holds the slot is not locked out. Killed streams get an operational-disconnect line (ForceDisconnect).
 */
import type { Operation } from './types.js';
import { validateBody } from '../http/body-validation.js';
import { decodeCursor, encodeCursor } from '../util/cursor.js';
import { streamHub, type ConnectionInfo, type EndpointName } from '../streams/hub.js';
import { appOf, str } from './shared.js';

const ALL_FIELDS = ['id', 'endpoint_name', 'client_ip', 'connected_at', 'disconnected_at', 'disconnect_reason'];

function view(i: ConnectionInfo, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: i.id };
  if (fields.has('endpoint_name')) out.endpoint_name = i.endpoint;
  if (fields.has('client_ip')) out.client_ip = i.clientIp;
  if (fields.has('connected_at')) out.connected_at = new Date(i.connectedAt).toISOString();
  if (fields.has('disconnected_at') && i.disconnectedAt !== null) out.disconnected_at = new Date(i.disconnectedAt).toISOString();
  if (fields.has('disconnect_reason') && i.disconnectReason !== null) out.disconnect_reason = i.disconnectReason;
  return out;
}

export const getConnectionHistory: Operation = {
  operationId: 'getConnectionHistory',
  async handle(req) {
    const appId = appOf(req);
    const status = (str(req.params.status) ?? 'active') as 'active' | 'inactive' | 'all';
    const endpoints = req.params.endpoints as string[] | undefined;
    const asked = req.params['connection.fields'] as string[] | undefined;
    // Without connection.fields every field that applies is returned.
    const fields = new Set(asked ?? ALL_FIELDS);
    const limit = (req.params.max_results as number | undefined) ?? 10;
    const token = str(req.params.pagination_token);
    let list = streamHub(req.ctx).connections(appId, status);
    if (endpoints) list = list.filter((c) => endpoints.includes(c.endpoint));
    if (token) {
      const before = Number(decodeCursor(token, 'conn').values[0]);
      list = list.filter((c) => c.seq < before);
    }
    const page = list.slice(0, limit);
    const meta: Record<string, unknown> = { result_count: page.length };
    if (list.length > limit) meta.next_token = encodeCursor('conn', 'next', [page[page.length - 1]!.seq]);
    const body: Record<string, unknown> = {};
    if (page.length) body.data = page.map((c) => view(c, fields));
    body.meta = meta;
    return { body };
  },
};

const killResult = (killed: string[], failed: { uuid: string; message: string }[] = []) => ({
  body: {
    data: {
      successful_kills: killed.length,
      failed_kills: failed.length,
      results: [
        ...killed.map((uuid) => ({ uuid, success: true })),
        ...failed.map((f) => ({ uuid: f.uuid, success: false, error_message: f.message })),
      ],
    },
  },
});

export const deleteAllConnections: Operation = {
  operationId: 'deleteAllConnections',
  async handle(req) {
    return killResult(streamHub(req.ctx).kill(appOf(req), () => true));
  },
};

export const deleteConnectionsByEndpoint: Operation = {
  operationId: 'deleteConnectionsByEndpoint',
  async handle(req) {
    const endpoint = str(req.params.endpoint_id) as EndpointName;
    return killResult(streamHub(req.ctx).kill(appOf(req), (c) => c.endpoint === endpoint));
  },
};

export const deleteConnectionsByUuids: Operation = {
  operationId: 'deleteConnectionsByUuids',
  async handle(req) {
    const appId = appOf(req);
    const { uuids } = validateBody<{ uuids: string[] }>('DeleteConnectionsByUuidsRequest', req.body);
    const wanted = new Set(uuids);
    const killed = streamHub(req.ctx).kill(appId, (c) => wanted.has(c.id));
    const done = new Set(killed);
    const failed = [...wanted].filter((u) => !done.has(u)).map((uuid) => ({ uuid, message: 'No active connection with this id' }));
    return killResult(killed, failed);
  },
};

export const connectionsOperations: readonly Operation[] = [
  getConnectionHistory,
  deleteAllConnections,
  deleteConnectionsByEndpoint,
  deleteConnectionsByUuids,
];
