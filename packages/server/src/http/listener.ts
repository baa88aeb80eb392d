/**
 * The listening socket, bound before the database is opened or seeded: a port in use is found before any
 * credential is made (secrets shown once are never lost to EADDRINUSE), and the port stays the same while the
 * server behind it is rebuilt (the admin API's reset). Until a handler is attached, and between two, every request
 * gets X's 503 body.
 */
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { listenError } from '../startup.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Listener {
  readonly url: string;
  readonly server: Server;
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
  /** Settings and handlers of the server itself (timeouts, connection limits, malformed requests). */
  configure?: (server: Server) => void;
}

export async function bindListener(o: ListenOptions): Promise<Listener> {
  const { host, port } = o;
  let handler: RequestHandler = starting;
  const server = createServer(o.serverOptions ?? {}, (req, res) => handler(req, res));
  o.configure?.(server);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: unknown) => reject(listenError(err, host, port));
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const addr = server.address();
  let url = `http://${host}:${port}`;
  if (addr && typeof addr === 'object') url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  let closed: Promise<void> | null = null;
  return {
    url,
    server,
    attach(h) {
      handler = h ?? starting;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
