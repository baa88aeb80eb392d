/** Wire forms of the Connections API (FACTS §6.3): a connection as listed, and the answer of a kill. */
import type { ConnectionInfo } from '../../streams/hub.js';

export const ALL_FIELDS = ['id', 'endpoint_name', 'client_ip', 'connected_at', 'disconnected_at', 'disconnect_reason'];

export function connectionView(i: ConnectionInfo, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: i.id };
  if (fields.has('endpoint_name')) out.endpoint_name = i.endpoint;
  if (fields.has('client_ip')) out.client_ip = i.clientIp;
  if (fields.has('connected_at')) out.connected_at = new Date(i.connectedAt).toISOString();
  if (fields.has('disconnected_at') && i.disconnectedAt !== null) out.disconnected_at = new Date(i.disconnectedAt).toISOString();
  if (fields.has('disconnect_reason') && i.disconnectReason !== null) out.disconnect_reason = i.disconnectReason;
  return out;
}

export const killResult = (killed: string[], failed: { uuid: string; message: string }[] = []) => ({
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

