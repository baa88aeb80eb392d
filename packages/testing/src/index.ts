/**
 * @roost/testing — Roost inside your test suite. `startRoost()` runs a Roost server in a child process on a
 * throwaway SQLite database with fixed credentials and returns a handle to drive it through Roost's admin API:
 * reset between tests, time travel, users and tokens on demand, the request log to assert on, and fault injection.
 * It works the same from vitest, jest and node:test (ESM or CommonJS), and `stop()` ends the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminPath, adminRoutes, type AdminRouteId, type ClockJson, type FaultJson, type RequestLogEntry } from '@roost/server/admin-protocol';

// ---------------------------------------------------------------------------------------------------------------
// public types

/** Credentials of the default app and of @XDevelopers; fixed, so tests and clients can be configured up front. */
export interface RoostCredentials {
  /** App-only bearer token (OAuth 2.0 client credentials). */
  bearerToken: string;
  /** OAuth 1.0a consumer key and secret (also the API key/secret for `POST /oauth2/token`). */
  consumerKey: string;
  consumerSecret: string;
  /** OAuth 1.0a access token and secret of @XDevelopers. */
  accessToken: string;
  accessTokenSecret: string;
  /** OAuth 2.0 (PKCE) client of the default app, confidential. */
  clientId: string;
  clientSecret: string;
  /** OAuth 2.0 user access token of @XDevelopers with every scope. */
  userToken: string;
}

/** The credentials `startRoost()` uses unless told otherwise. */
export const DEFAULT_CREDENTIALS: Readonly<RoostCredentials> = Object.freeze({
  bearerToken: 'AAAAAAAAAAAAAAAAAAAAARoostTestingBearerToken000000000001',
  consumerKey: 'RoostTestingConsumerKey01',
  consumerSecret: 'RoostTestingConsumerSecret00000000000000000000001',
  accessToken: '2244994945-RoostTestingAccessToken000000000000000001',
  accessTokenSecret: 'RoostTestingAccessTokenSecret0000000000000001',
  clientId: 'RoostTestingOAuth2ClientId00000001',
  clientSecret: 'RoostTestingOAuth2ClientSecret0000000000000001',
  userToken: 'RoostTestingUserToken000000000000000000000001',
});

/** @XDevelopers: the default app's owner, and the user of the default user credentials. */
export const XDEVELOPERS = Object.freeze({ id: '2244994945', username: 'XDevelopers' });

export type RateLimitOverride = { app?: number; user?: number; app24h?: number; user24h?: number };

export interface StartRoostOptions {
  /** `empty` (default): only @XDevelopers and the default app. `demo`: the deterministic demo world (1,000 users, 20,000 posts). */
  world?: 'empty' | 'demo';
  /** Seed of the demo world (default 1): the same seed and `now` give the same world. */
  seed?: number;
  /** Credentials to use instead of DEFAULT_CREDENTIALS (any subset). */
  credentials?: Partial<RoostCredentials>;
  /** Where the server's clock starts (default: now). The demo world's newest posts are this recent. */
  now?: Date | number | string;
  /** Start with the clock frozen (default false: it runs, like the wall clock, until moved). */
  frozen?: boolean;
  /** Rate-limit overrides per operationId (`*`: all), e.g. `{ getUsersMe: { user: 3 } }`. */
  limits?: Record<string, RateLimitOverride>;
  /** Any other ROOST_* setting for the server (README: Settings). */
  env?: Record<string, string>;
  /** Listen port (default 0: a free one). */
  port?: number;
  /** Reuse a seeded demo world between runs from a cache directory (default true). */
  cache?: boolean;
  /** Pass the server's log lines to this process's stderr (default false). */
  log?: boolean;
  /** How long to wait for the server to be ready (default 180 s: a first demo seed on a slow machine). */
  startTimeoutMs?: number;
}

export interface ClockState {
  now: Date;
  frozen: boolean;
  /** How far the server's clock is from the wall clock (ms). */
  offsetMs: number;
}

export interface RoostClock {
  /** The server's time, from the last state the harness saw (it is the only one moving the clock). */
  now(): number;
  /** Reads the clock from the server. */
  get(): Promise<ClockState>;
  /** Moves the clock by `ms` (negative: back). */
  advance(ms: number): Promise<ClockState>;
  /** Jumps to an instant (a running clock runs on from there). */
  set(time: Date | number | string): Promise<ClockState>;
  /** Stops the clock (where it is, or at `time`). */
  freeze(time?: Date | number | string): Promise<ClockState>;
  /** Lets a frozen clock run again. */
  resume(): Promise<ClockState>;
}

export interface RoostUser {
  id: string;
  username: string;
  name: string;
}

export interface CreateUserInput {
  username: string;
  name?: string;
  description?: string;
  protected?: boolean;
  verified?: boolean;
}

/** A user named by id, @username or username, or a user object. */
export type UserRef = string | { id: string };

export interface OAuth1Tokens {
  accessToken: string;
  accessTokenSecret: string;
}

export type AuthKind = 'oauth2-app' | 'oauth2-user' | 'oauth1-user' | 'basic' | 'none';

export interface LoggedRequest {
  seq: number;
  /** Server time when it was answered. */
  at: Date;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The X operation that answered (null: OAuth flows, media bytes, unknown paths). */
  operationId: string | null;
  auth: AuthKind;
  appId: string | null;
  userId: string | null;
  status: number;
  /** The parsed JSON or form body, for requests that sent one (up to 64 KB). */
  body?: unknown;
  /** The size of a body too large to keep in the log. */
  bodyBytes?: number;
  /** The id of the fault rule that answered or delayed it. */
  fault?: string;
  durationMs: number;
}

export interface RequestFilter {
  operationId?: string;
  method?: string;
  appId?: string;
  userId?: string;
  status?: number;
  /** Only entries after this sequence number. */
  since?: number;
  /** The newest `limit` entries. */
  limit?: number;
}

export type FaultKind =
  | 'rate-limit'
  | 'credits-depleted'
  | 'usage-cap'
  | 'unavailable'
  | 'latency'
  | 'stream-disconnect'
  | 'stream-stall'
  | 'too-many-connections';

export interface FaultRuleInput {
  fault: FaultKind;
  /** operationId(s) it applies to (default: all). */
  operation?: string | string[];
  /** Only calls of this app (id). */
  app?: string;
  /** Only calls of this user. */
  user?: UserRef;
  /** Chance 0–1 a matching call gets it (default 1), drawn from `seed`: the same sequence every run. */
  probability?: number;
  seed?: number;
  /** Fire at most this many times. */
  count?: number;
  /** latency: the delay; stream faults: how long the stream runs first (ms). */
  ms?: number;
  /** rate-limit: seconds until `x-rate-limit-reset` (default: the end of the 15-minute window). */
  resetInSeconds?: number;
  /** usage-cap: the period named in the body. */
  period?: 'Monthly' | 'Daily';
}

export interface FaultRule {
  id: string;
  fault: FaultKind;
  operation?: string[];
  app?: string;
  user?: string;
  probability: number;
  seed: number;
  count?: number;
  ms?: number;
  resetInSeconds?: number;
  period?: 'Monthly' | 'Daily';
  fired: number;
  active: boolean;
}

export interface Roost {
  /** Base URL of the server, e.g. `http://127.0.0.1:40123` (give it to your client as its base URL). */
  readonly url: string;
  readonly credentials: Readonly<RoostCredentials>;
  /** The default app's id. */
  readonly appId: string;
  readonly clock: RoostClock;
  readonly users: {
    create(input: string | CreateUserInput): Promise<RoostUser>;
  };
  readonly tokens: {
    /** An OAuth 1.0a access token pair for a user of the default app (or `app`). */
    oauth1(user: UserRef, opts?: { app?: string }): Promise<OAuth1Tokens>;
    /** An OAuth 2.0 user token with `scopes` (default: all) for a user of the default app (or `app`). */
    oauth2(user: UserRef, scopes?: string[], opts?: { app?: string; expiresInSeconds?: number }): Promise<string>;
  };
  readonly requests: {
    list(filter?: RequestFilter): Promise<LoggedRequest[]>;
    /** The newest matching entry. */
    last(filter?: RequestFilter): Promise<LoggedRequest | undefined>;
    clear(): Promise<void>;
  };
  readonly faults: {
    add(rule: FaultRuleInput): Promise<FaultRule>;
    list(): Promise<FaultRule[]>;
    remove(id: string): Promise<void>;
    clear(): Promise<void>;
  };
  /** Back to the start: the database, the clock, no faults, an empty request log (same URL, no restart). */
  reset(): Promise<void>;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A refusal from the admin API, with X's error body. */
export class RoostError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const b = body as { detail?: string; errors?: { message?: string }[] } | undefined;
    super(b?.errors?.map((e) => e.message).join('; ') || b?.detail || `HTTP ${status}`);
    this.name = 'RoostError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// the server process

/** The Roost CLI to run: the bundled server next to this module (published package), else the repository's. */
function serverEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const bundled = join(here, '..', 'server', 'roost.mjs');
  if (existsSync(bundled)) return bundled;
  const source = join(here, '..', '..', '..', 'server', 'bin', 'roost.js');
  if (existsSync(source)) return source;
  throw new Error(`@roost/testing: no Roost server found (looked for ${bundled})`);
}

const instant = (t: Date | number | string): string => (t instanceof Date ? t.toISOString() : String(t));

/** The newest modification among a server's files: the bundle itself, or every source file of a checkout. */
function buildStamp(entry: string): string {
  if (entry.endsWith('.mjs')) {
    const st = statSync(entry);
    return `${st.size}:${st.mtimeMs}`;
  }
  let newest = 0;
  const src = join(entry, '..', '..', 'src');
  for (const f of readdirSync(src, { recursive: true }) as string[]) newest = Math.max(newest, statSync(join(src, f)).mtimeMs);
  return `src:${newest}`;
}

/** Seeded demo worlds kept between runs: keyed by the server build, the seed and the day (or the given `now`). */
function cachePath(entry: string, seed: number, now: string | null): string {
  const day = new Date().toISOString().slice(0, 10);
  const key = createHash('sha256').update(JSON.stringify([entry, buildStamp(entry), seed, now ?? day])).digest('hex').slice(0, 20);
  return join(tmpdir(), 'roost-testing-cache', `demo-${key}.db`);
}

const live = new Set<ChildProcess>();
let exitHook = false;
function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHook) return;
  exitHook = true;
  // A test process that ends without stop() takes its servers with it (they also stop when the IPC channel closes).
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

interface Started {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

function spawnServer(entry: string, env: Record<string, string>, opts: { log: boolean; timeoutMs: number }): Promise<Started> {
  const child = spawn(process.execPath, [entry, 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  killOnExit(child);
  let stderr = '';
  child.stdout!.on('data', () => undefined);
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
    if (opts.log) process.stderr.write(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`@roost/testing: Roost did not start within ${opts.timeoutMs} ms${stderr ? `:\n${stderr}` : ''}`));
    }, opts.timeoutMs);
    child.on('message', (m: { roost?: string; url?: string }) => {
      if (m?.roost !== 'ready' || !m.url) return;
      clearTimeout(timer);
      resolve({ child, url: m.url, exited });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`@roost/testing: Roost exited (${code}) before it was ready${stderr ? `:\n${stderr.trim()}` : ''}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// admin API client

type Fetcher = <T>(id: AdminRouteId, o?: { params?: Record<string, string>; query?: Record<string, string | number | undefined>; body?: unknown }) => Promise<T>;

function adminClient(url: string, token: string): Fetcher {
  return async <T>(id: AdminRouteId, o: { params?: Record<string, string>; query?: Record<string, string | number | undefined>; body?: unknown } = {}) => {
    const u = new URL(adminPath(id, o.params), url);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(u, { method: adminRoutes[id].method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    const text = await res.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new RoostError(res.status, body);
    return body as T;
  };
}

type ClockWire = ClockJson;
type FaultWire = FaultJson;
type LogWire = RequestLogEntry;

const fromLog = (e: LogWire): LoggedRequest => ({
  seq: e.seq,
  at: new Date(e.at),
  method: e.method,
  path: e.path,
  query: e.query,
  operationId: e.operation_id,
  auth: e.auth,
  appId: e.app_id,
  userId: e.user_id,
  status: e.status,
  ...(e.body !== undefined ? { body: e.body } : {}),
  ...(e.body_bytes !== undefined ? { bodyBytes: e.body_bytes } : {}),
  ...(e.fault !== undefined ? { fault: e.fault } : {}),
  durationMs: e.duration_ms,
});

const fromFault = ({ reset_in_s, ...f }: FaultWire): FaultRule => (reset_in_s === undefined ? f : { ...f, resetInSeconds: reset_in_s });

const userRef = (u: UserRef): string => (typeof u === 'string' ? u : u.id);

// ---------------------------------------------------------------------------------------------------------------
// startRoost

export async function startRoost(options: StartRoostOptions = {}): Promise<Roost> {
  const credentials: RoostCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const adminToken = `roost-testing-${randomBytes(18).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'roost-testing-'));
  const dbPath = join(dir, 'roost.db');
  const entry = serverEntry();
  const demo = options.world === 'demo';
  const seed = options.seed ?? 1;
  const now = options.now === undefined ? null : instant(options.now);
  const cache = demo && options.cache !== false ? cachePath(entry, seed, now) : null;
  const cached = cache !== null && existsSync(cache);
  if (cached) copyFileSync(cache, dbPath);

  const env: Record<string, string> = {
    ROOST_HOST: '127.0.0.1',
    ROOST_PORT: String(options.port ?? 0),
    ROOST_DB_URL: dbPath,
    ROOST_SEED: demo ? String(seed) : 'off',
    ROOST_ADMIN_TOKEN: adminToken,
    ROOST_RESETTABLE: 'on',
    // One key for every harness server: a cached demo world opens under the key it was sealed with.
    ROOST_SECRET_KEY: 'roost-testing-secret-key-not-for-production-0001',
    ROOST_LIMITER: 'memory',
    ROOST_LOG_LEVEL: options.log ? 'info' : 'warn',
    ROOST_BEARER_TOKEN: credentials.bearerToken,
    ROOST_USER_TOKEN: credentials.userToken,
    ROOST_CONSUMER_KEY: credentials.consumerKey,
    ROOST_CONSUMER_SECRET: credentials.consumerSecret,
    ROOST_ACCESS_TOKEN: credentials.accessToken,
    ROOST_ACCESS_TOKEN_SECRET: credentials.accessTokenSecret,
    ROOST_CLIENT_ID: credentials.clientId,
    ROOST_CLIENT_SECRET: credentials.clientSecret,
    ...(now !== null ? { ROOST_CLOCK_START: now } : {}),
    ...(options.frozen ? { ROOST_CLOCK_FROZEN: 'on' } : {}),
    ...(options.limits ? { ROOST_RATE_LIMIT_OVERRIDES: JSON.stringify(options.limits) } : {}),
    ...(options.env ?? {}),
  };

  let started: Started;
  try {
    started = await spawnServer(entry, env, { log: options.log === true, timeoutMs: options.startTimeoutMs ?? 180_000 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const { child, url, exited } = started;
  if (cache !== null && !cached) {
    // The server keeps a snapshot of its start: the seeded world, for the next run.
    mkdirSync(join(cache, '..'), { recursive: true });
    const tmp = `${cache}.${process.pid}.${randomBytes(4).toString('hex')}`;
    copyFileSync(`${dbPath}.start-snapshot`, tmp);
    renameSync(tmp, cache);
  }

  const call = adminClient(url, adminToken);
  let clockState: ClockWire = await call<ClockWire>('getClock');
  const track = (c: ClockWire): ClockState => {
    clockState = c;
    return { now: new Date(c.now_ms), frozen: c.frozen, offsetMs: c.offset_ms };
  };
  const info = await call<{ default_app_id: string }>('getInfo');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const requestsList = async (f: RequestFilter = {}) => {
    const r = await call<{ data: LogWire[] }>('listRequests', {
      query: { operation: f.operationId, method: f.method, app: f.appId, user: f.userId, status: f.status, since: f.since, limit: f.limit },
    });
    return r.data.map(fromLog);
  };

  return {
    url,
    credentials: Object.freeze({ ...credentials }),
    appId: info.default_app_id,
    clock: {
      now: () => (clockState.frozen ? clockState.now_ms : Date.now() + clockState.offset_ms),
      get: async () => track(await call<ClockWire>('getClock')),
      advance: async (ms) => track(await call<ClockWire>('advanceClock', { body: { ms: Math.round(ms) } })),
      set: async (time) => track(await call<ClockWire>('setClock', { body: { time: instant(time) } })),
      freeze: async (time) => track(await call<ClockWire>('freezeClock', { body: time === undefined ? {} : { time: instant(time) } })),
      resume: async () => track(await call<ClockWire>('resumeClock')),
    },
    users: {
      async create(input) {
        const body = typeof input === 'string' ? { username: input } : input;
        return (await call<{ data: RoostUser }>('createUser', { body })).data;
      },
    },
    tokens: {
      async oauth1(user, opts = {}) {
        const r = await call<{ oauth_token: string; oauth_token_secret: string }>('createOAuth1Token', { body: { user: userRef(user), app: opts.app } });
        return { accessToken: r.oauth_token, accessTokenSecret: r.oauth_token_secret };
      },
      async oauth2(user, scopes, opts = {}) {
        const r = await call<{ access_token: string }>('createOAuth2Token', {
          body: { user: userRef(user), scopes, app: opts.app, expires_in_s: opts.expiresInSeconds },
        });
        return r.access_token;
      },
    },
    requests: {
      list: requestsList,
      last: async (f = {}) => (await requestsList({ ...f, limit: 1 }))[0],
      clear: async () => {
        await call('clearRequests');
      },
    },
    faults: {
      async add(rule) {
        const { resetInSeconds, user, ...rest } = rule;
        const body = { ...rest, ...(user !== undefined ? { user: userRef(user) } : {}), ...(resetInSeconds !== undefined ? { reset_in_s: resetInSeconds } : {}) };
        return fromFault((await call<{ data: FaultWire }>('addFault', { body })).data);
      },
      list: async () => (await call<{ data: FaultWire[] }>('listFaults')).data.map(fromFault),
      remove: async (id) => {
        await call('removeFault', { params: { id } });
      },
      clear: async () => {
        await call('clearFaults');
      },
    },
    async reset() {
      const r = await call<{ clock: ClockWire }>('reset');
      track(r.clock);
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
