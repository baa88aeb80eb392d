import { copyFileSync, rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { ConfigError, usesPostgres } from './config.js';
import { checkpoint } from './db/connect.js';
import { createContext, type Context, type ContextOptions } from './context.js';
import { buildApp, configureHttpServer, httpServerOptions } from './http/app.js';
import { bindListener, type Listener } from './http/listener.js';
import { tunnelInto } from './http/x-tunnel.js';
import { serverCredentials } from './tls/trust.js';
import { operations } from './api/index.js';
import { bootstrap, type BootstrapReport } from './bootstrap.js';
import { databaseError, preflight } from './startup.js';
import { clockJson } from './admin/views.js';
import type { ResetJson } from './admin/protocol.js';
import type { SeedPhase } from './seed/world.js';

export interface ServerHandle {
  url: string;
  /** Zero-change mode's HTTPS address (ROOST_TLS_PORT), or null. */
  tlsUrl: string | null;
  /** The Fastify instance answering now (a reset builds a new one). */
  readonly app: FastifyInstance;
  readonly ctx: Context;
  /** What the first start made (credentials shown once). */
  boot: BootstrapReport;
  /** Back to the start snapshot (ROOST_RESETTABLE); throws when the server keeps none. */
  reset(): Promise<ResetJson>;
  close(): Promise<void>;
}

export type StartPhase = 'listening' | 'opening' | 'seeding' | 'preparing' | 'ready';

export interface StartOptions extends ContextOptions {
  /** false: build everything but do not bind a port (tests may use app.inject). */
  listen?: boolean;
  onProgress?: (done: number, total: number, phase: SeedPhase) => void;
  /**
   * Start-up progress: the port is bound, the database is being opened, the demo world is being written, the
   * credentials and routes are being made, ready.
   */
  onPhase?: (phase: StartPhase, detail: { url: string }) => void;
}

/** One build of the server behind the listener: a context and the app answering with it. */
interface Generation {
  ctx: Context;
  app: FastifyInstance;
  boot: BootstrapReport;
}

async function openGeneration(config: Config, opts: StartOptions, url: string, reset: ContextOptions['reset']): Promise<Generation> {
  opts.onPhase?.('opening', { url });
  let ctx: Context;
  try {
    ctx = await createContext(config, { ...opts, reset });
  } catch (err) {
    throw opts.store ? err : databaseError(err, config.dbUrl);
  }
  try {
    if (url && !ctx.media.baseUrl) ctx.media.baseUrl = url;
    const boot = await bootstrap(ctx, {
      onProgress: opts.onProgress,
      onSeeding: () => opts.onPhase?.('seeding', { url }),
      onSeeded: () => opts.onPhase?.('preparing', { url }),
    });
    await ctx.media.sweep();
    const app = buildApp(ctx, operations, { external: opts.listen !== false });
    await app.ready();
    // Deliveries left by an earlier run (stored events, pending and interrupted attempts) go out from the start.
    ctx.delivery.start();
    return { ctx, app, boot };
  } catch (err) {
    await ctx.streams.close();
    await closeContext(ctx);
    throw err;
  }
}

async function closeContext(ctx: Context): Promise<void> {
  await ctx.metering.close();
  await ctx.usage.close();
  await ctx.limits.close();
  await ctx.redis?.close();
  await ctx.store.close();
}

async function closeGeneration(g: Generation): Promise<void> {
  // Streams first: open streaming responses would keep the HTTP server from closing.
  await g.ctx.streams.close();
  await g.app.close();
  await g.ctx.delivery.stop();
  await closeContext(g.ctx);
}

const snapshotPath = (dbUrl: string) => `${dbUrl}.start-snapshot`;

/** A copy of the SQLite file as it is now (the write-ahead log folded in first), for reset. */
async function takeSnapshot(ctx: Context): Promise<string> {
  await checkpoint(ctx.store);
  const path = snapshotPath(ctx.config.dbUrl);
  copyFileSync(ctx.config.dbUrl, path);
  return path;
}

function restoreSnapshot(dbUrl: string, snapshot: string): void {
  // The store is closed (its WAL checkpointed and removed); leftovers of a crash would be replayed over the copy.
  rmSync(`${dbUrl}-wal`, { force: true });
  rmSync(`${dbUrl}-shm`, { force: true });
  copyFileSync(snapshot, dbUrl);
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<ServerHandle> {
  if (config.resettable) {
    if (!config.adminToken) throw new ConfigError('ROOST_RESETTABLE needs the admin API (ROOST_ADMIN_TOKEN)');
    if (usesPostgres(config.dbUrl) || config.dbUrl === ':memory:' || opts.store) throw new ConfigError('ROOST_RESETTABLE needs a SQLite database file');
  }
  if (!opts.store) preflight(config);
  // The port first: a port in use is found before any credential is made or the world is seeded.
  let listener: Listener | null = null;
  if (opts.listen !== false) {
    const credentials = config.tls ? serverCredentials(config.tls.dir) : null;
    listener = await bindListener({
      host: config.host,
      port: config.port,
      serverOptions: httpServerOptions(config),
      tls: credentials && config.tls ? { port: config.tls.port, cert: credentials.cert, key: credentials.key } : undefined,
      configure: (server, tlsServer) => {
        if (!tlsServer) return configureHttpServer(server, config);
        configureHttpServer(tlsServer, config);
        configureHttpServer(server, config, tunnelInto(tlsServer));
      },
    });
  }
  const url = listener?.url ?? '';
  opts.onPhase?.('listening', { url });

  let snapshot: string | null = null;
  let resetting: Promise<ResetJson> | null = null;
  let gen: Generation;

  const reset = async (): Promise<ResetJson> => {
    if (!snapshot) throw new ConfigError('this server keeps no start snapshot (ROOST_RESETTABLE)');
    // Reset requests arriving together share one reset.
    resetting ??= (async () => {
      const started = performance.now();
      listener?.attach(null);
      await closeGeneration(gen);
      restoreSnapshot(config.dbUrl, snapshot!);
      gen = await openGeneration(config, { ...opts, onPhase: undefined, onProgress: undefined }, url, reset);
      listener?.attach(gen.app.routing);
      return { reset: true as const, took_ms: Math.round(performance.now() - started), clock: clockJson(gen.ctx.clock) };
    })().finally(() => {
      resetting = null;
    });
    return resetting;
  };

  try {
    gen = await openGeneration(config, opts, url, config.resettable ? reset : undefined);
  } catch (err) {
    await listener?.close();
    throw err;
  }
  const boot = gen.boot;
  if (config.resettable) snapshot = await takeSnapshot(gen.ctx);
  listener?.attach(gen.app.routing);
  opts.onPhase?.('ready', { url });

  let closed = false;
  return {
    url,
    tlsUrl: listener?.tlsUrl ?? null,
    get app() {
      return gen.app;
    },
    get ctx() {
      return gen.ctx;
    },
    boot,
    reset,
    async close() {
      if (closed) return;
      closed = true;
      if (resetting) await resetting.catch(() => undefined);
      listener?.attach(null);
      await closeGeneration(gen);
      await listener?.close();
      if (snapshot) rmSync(snapshot, { force: true });
    },
  };
}
