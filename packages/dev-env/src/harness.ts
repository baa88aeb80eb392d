/**
 * Test harness: a real Roost server on a loopback port, over a temp SQLite file (or a given database URL),
 * with a seeded world, a manual clock and token minting. Every JSON response passes the contract's schema check.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig, ControlledClock, ManualClock, mintUserToken, startServer, XDEVELOPERS_ID, type Config, type ServerHandle } from '@roost/server';
import { checkErrorBody, checkResponse } from './schema-check.js';
import { recordApiHit } from './api-hits.js';

/** 2026-11-01T00:00:00Z: the fixed "now" of test worlds. */
export const TEST_NOW = Date.UTC(2026, 10, 1);

export interface TestServerOptions {
  seed?: number | null;
  users?: number;
  posts?: number;
  now?: number;
  dbUrl?: string;
  /**
   * Rate-limit overrides per operationId (`*`: every operation), for tests that legitimately send more requests
   * than X allows in one 15-minute window (the test clock does not move unless a test moves it).
   */
  limits?: Config['limitOverrides'];
  /** Any other configuration (e.g. `{ limiter: 'memory' }`, `{ metering: false }`, `{ monthlyPostCap: 10 }`). */
  config?: Partial<Config>;
}

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string | null;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Skip the schema check (for tests that send deliberately odd requests to non-contract routes). */
  raw?: boolean;
}

export interface TestServer {
  url: string;
  handle: ServerHandle;
  /** Frozen at `now`; with the admin API on (`config.adminToken`), the same clock the admin API moves. */
  clock: ManualClock | ControlledClock;
  /** The default app's app-only bearer token. */
  bearer: string;
  /** A user token for @XDevelopers with every scope. */
  userToken: string;
  appId: string;
  userTokenFor(userId: string, scopes?: readonly string[]): Promise<string>;
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<TestResponse<T>>;
  get<T = any>(path: string, opts?: RequestOptions): Promise<TestResponse<T>>;
  close(): Promise<void>;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-test-'));
  const now = opts.now ?? TEST_NOW;
  // With the admin API the server makes its clock (frozen at `now`), so a reset brings it back there too.
  const admin = !!opts.config?.adminToken;
  const manual = admin ? null : new ManualClock(now);
  const config = buildConfig(
    { ROOST_PORT: '0', ROOST_LOG_LEVEL: 'warn' },
    {
      dbUrl: opts.dbUrl ?? join(dir, 'roost.db'),
      seed: opts.seed === undefined ? 7 : opts.seed,
      world: { users: opts.users ?? 120, posts: opts.posts ?? 1500 },
      logLevel: 'silent',
      ...(opts.limits ? { limitOverrides: opts.limits } : {}),
      // Media bytes live beside a SQLite file (a restart with the same dbUrl finds them); with PostgreSQL, here.
      // A PostgreSQL database outlives this directory (tests restart servers on it): its key is kept by URL.
      ...(opts.dbUrl && /^postgres(ql)?:/.test(opts.dbUrl)
        ? { mediaDir: join(dir, 'media'), secretKeyFile: join(tmpdir(), 'roost-test-keys', `${createHash('sha256').update(opts.dbUrl).digest('hex').slice(0, 16)}.key`) }
        : {}),
      ...(admin ? { clockStart: now, clockFrozen: true } : {}),
      ...(opts.config ?? {}),
    },
  );
  const handle = await startServer(config, manual ? { clock: manual } : {});
  const ctx = handle.ctx;
  const userToken = await mintUserToken(ctx, { appId: handle.boot.appId, userId: XDEVELOPERS_ID });

  const request = async <T>(method: string, path: string, o: RequestOptions = {}): Promise<TestResponse<T>> => {
    const u = new URL(path, handle.url);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const token = o.token === undefined ? handle.boot.bearerToken : o.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | Uint8Array | undefined;
    if (o.body instanceof FormData || o.body instanceof Uint8Array) {
      // Multipart (fetch sets the boundary) or raw bytes: sent as they are.
      body = o.body;
    } else if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(u, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    recordApiHit(method, u.pathname, res.status);
    if (!o.raw) {
      checkResponse(method, u.pathname, res.status, parsed);
      checkErrorBody(res.status, parsed);
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };

  return {
    url: handle.url,
    handle,
    get clock() {
      return manual ?? (handle.ctx.clock as ControlledClock);
    },
    bearer: handle.boot.bearerToken,
    userToken,
    appId: handle.boot.appId,
    userTokenFor: (userId, scopes) => mintUserToken(ctx, { appId: handle.boot.appId, userId, scopes }),
    request,
    get: (path, o) => request('GET', path, o),
    async close() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
