/**
 * The HTTPS proxy of zero-change mode. A client told to use Roost's plain address as its HTTPS proxy
 * (`HTTPS_PROXY`, honoured by Python's requests and most HTTP stacks) asks `CONNECT api.twitter.com:443`; Roost
 * answers 200 and hands the connection to its own HTTPS server, so the client's TLS handshake — with the
 * certificate naming that host — and its requests go exactly as they would with X. Only X's hosts (x.com,
 * twitter.com and their subdomains) on port 443 are tunnelled, and only into this process: Roost never dials out.
 * Any other CONNECT gets the 404 it always got.
 */
import type { IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { isXHost } from '../tls/trust.js';
import { onConnect } from './client-errors.js';

/** The host a CONNECT asks for, when it is one of X's on 443. */
export function tunnelHost(target: string | undefined): string | null {
  const m = /^([A-Za-z0-9.-]+):(\d+)$/.exec(target ?? '');
  if (!m || m[2] !== '443') return null;
  const host = m[1]!.toLowerCase();
  return isXHost(host) ? host : null;
}

/** The plain server's `connect` handler when the HTTPS server of zero-change mode runs. */
export function tunnelInto(tlsServer: HttpsServer) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!tunnelHost(req.url)) return onConnect(req, socket);
    socket.on('error', () => socket.destroy());
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    tlsServer.emit('connection', socket);
  };
}
