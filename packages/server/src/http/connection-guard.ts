/**
 * Limits on connections, so slow or numerous clients cannot use up the process: one address holds at most
 * `maxConnectionsPerIp` open connections (more are closed as they arrive), whatever their state. Request and
 * header timeouts are set on the server itself (http/app.ts).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export function guardConnections(server: Server, maxPerIp: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '';
    const n = (open.get(ip) ?? 0) + 1;
    if (n > maxPerIp) {
      socket.destroy();
      return;
    }
    open.set(ip, n);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
  });
}
