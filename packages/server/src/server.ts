import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createContext, type Context, type ContextOptions } from './context.js';
import { buildApp } from './http/app.js';
import { operations } from './api/index.js';
import { bootstrap, type BootstrapReport } from './bootstrap.js';
import { closeStreams, streamHub } from './streams/hub.js';

export interface ServerHandle {
  url: string;
  app: FastifyInstance;
  ctx: Context;
  boot: BootstrapReport;
  close(): Promise<void>;
}

export interface StartOptions extends ContextOptions {
  /** false: build everything but do not bind a port (tests may use app.inject). */
  listen?: boolean;
  onProgress?: (done: number, total: number, phase: string) => void;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<ServerHandle> {
  const ctx = await createContext(config, opts);
  const boot = await bootstrap(ctx, { onProgress: opts.onProgress });
  await ctx.media.sweep();
  const app = buildApp(ctx, operations);
  // Subscribed from the start, so backfill_minutes can replay what happened before a client connected.
  streamHub(ctx);
  // Deliveries left by an earlier run (stored events, pending and interrupted attempts) go out from the start.
  ctx.delivery.start();
  let url = '';
  if (opts.listen !== false) {
    url = await app.listen({ host: config.host, port: config.port });
    const addr = app.server.address();
    if (addr && typeof addr === 'object') url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    if (!ctx.media.baseUrl) ctx.media.baseUrl = url;
  } else {
    await app.ready();
  }
  let closed = false;
  return {
    url,
    app,
    ctx,
    boot,
    async close() {
      if (closed) return;
      closed = true;
      // Streams first: open streaming responses would keep the HTTP server from closing.
      await closeStreams(ctx);
      await app.close();
      await ctx.delivery.stop();
      await ctx.metering.close();
      await ctx.limits.close();
      await ctx.store.close();
    },
  };
}
