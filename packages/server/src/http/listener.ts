/**
 * The listening socket, bound before the database is opened or seeded: a port in use is found before any
 * credential is made (secrets shown once are never lost to EADDRINUSE), and the port stays the same while the
 * server behind it is rebuilt (the admin API's reset). Until a handler is attached, and between two, every request
 * gets X's 503 body.
 *
 * Zero-change mode adds a second, HTTPS socket (ROOST_TLS_PORT) answering through the same handler, with the
 * certificate that names X's hosts (tls/trust.ts). The plain socket is the same as without it.
 */
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { listenError } from '../startup.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Listener {
  readonly url: string;
  readonly server: Server;
  /** `https://ADDRESS:PORT` of the HTTPS socket of zero-change mode, or null. */
  readonly tlsUrl: string | null;
  readonly tlsServer: HttpsServer | null;
  /** Requests go to `handler` from now on; null answers 503 (starting, or being rebuilt). */
  attach(handler: RequestHandler | null): void;
  /** Stops accepting connections; in-flight requests finish, idle keep-alive connections close. */
  close(): Promise<void>;
}

const UNAVAILABLE = JSON.stringify({ title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 });

function starting(req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 503;
  res.setHeader('retry-after', '1');
  if (req.url === '/healthz' || req.url?.startsWith('/healthz?')) {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ status: 'starting' }));
    return;
  }
  res.setHeader('content-type', 'application/problem+json; charset=utf-8');
  res.end(UNAVAILABLE);
}

export interface ListenOptions {
  host: string;
  port: number;
  serverOptions?: ServerOptions;
  /** Zero-change mode: also serve HTTPS on this port with this certificate. */
  tls?: { port: number; cert: string; key: string };
  /** Settings and handlers of the servers themselves (timeouts, connection limits, malformed requests, CONNECT). */
  configure?: (server: Server, tlsServer: HttpsServer | null) => void;
}

async function listen(server: Server, host: string, port: number, setting?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: unknown) => reject(listenError(err, host, port, setting));
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function urlOf(server: Server, scheme: 'http' | 'https', host: string, port: number): string {
  const addr = server.address();
  if (addr && typeof addr === 'object') return `${scheme}://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  return `${scheme}://${host}:${port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export async function bindListener(o: ListenOptions): Promise<Listener> {
  const { host, port } = o;
  let handler: RequestHandler = starting;
  const answer = (req: IncomingMessage, res: ServerResponse) => handler(req, res);
  const server = createServer(o.serverOptions ?? {}, answer);
  const tlsServer = o.tls ? createHttpsServer({ ...o.serverOptions, cert: o.tls.cert, key: o.tls.key }, answer) : null;
  o.configure?.(server, tlsServer);
  await listen(server, host, port);
  if (tlsServer) {
    try {
      await listen(tlsServer, host, o.tls!.port, 'ROOST_TLS_PORT');
    } catch (err) {
      await closeServer(server);
      throw err;
    }
  }
  let closed: Promise<void> | null = null;
  return {
    url: urlOf(server, 'http', host, port),
    server,
    tlsUrl: tlsServer ? urlOf(tlsServer, 'https', host, o.tls!.port) : null,
    tlsServer,
    attach(h) {
      handler = h ?? starting;
    },
    close() {
      closed ??= Promise.all([closeServer(server), tlsServer ? closeServer(tlsServer) : undefined]).then(() => undefined);
      return closed;
    },
  };
}
