import { dirname, join } from 'node:path';
import type { RawEnv } from './env.js';
import { DEMO_WORLD } from './seed/world.js';
import type { LimitOverride } from './limits/policy.js';
import { defaultKeyFile } from './auth/keyring.js';

export interface Config {
  host: string;
  port: number;
  /** SQLite file path, `:memory:`, or a postgres:// URL. */
  dbUrl: string;
  /** null: no demo world. Otherwise the seed number of the deterministic demo world. */
  seed: number | null;
  world: { users: number; posts: number };
  bearerToken: string | null;
  userToken: string | null;
  logLevel: string;
  publicUrl: string | null;
  workerId: number;
  /** Lifetime of the per-node row cache (ms); bounds how stale another node's writes may look. 0 disables. */
  cacheMs: number;
  /** ROOST_WRITE_BATCH (256): most writes per group-commit transaction; 1 commits every write alone. */
  writeBatch: number;
  /** ROOST_RATE_LIMITS (on): X's per-operation rate limits and 24-hour caps. */
  rateLimits: boolean;
  /** ROOST_LIMITER (sql): where counts live; `sql` survives restarts and is shared by nodes on one database. */
  limiter: 'memory' | 'sql';
  /**
   * ROOST_RATE_LIMIT_OVERRIDES (JSON): per-operation limits replacing FACTS §4.2's, e.g.
   * `{"getUsersMe":{"user":1000},"*":{"app":100000}}` (`*`: every operation). Keys: app, user, app24h, user24h.
   */
  limitOverrides: Record<string, LimitOverride>;
  /** ROOST_METERING (on): pay-per-use charges, credit balances (402) and the monthly post cap. */
  metering: boolean;
  /** ROOST_MONTHLY_POST_CAP (3000000): post reads per account per calendar month before 429 UsageCapExceeded. */
  monthlyPostCap: number;
  /** ROOST_STARTING_CREDITS_USD (1000): the balance an account gets the first time one of its apps calls. */
  startingCreditsUsd: number;
  /**
   * ROOST_TIER (self_serve): the access tier X's limits follow — query length (512 recent / 1,024 full-archive
   * self-serve, 4,096 enterprise), filtered-stream rule length (1,024 / 2,048), the default rule cap and
   * connection count, and enterprise-only operators.
   */
  tier: 'self_serve' | 'enterprise';
  /** ROOST_STREAM_MAX_RULES (1000 self-serve, 25000 enterprise): rules per app and per project (owner). */
  streamMaxRules: number;
  /** ROOST_STREAM_KEEPALIVE_MS (20000): interval of the bare `\r\n` keep-alive on every stream. */
  streamKeepaliveMs: number;
  /** ROOST_STREAM_BUFFER_BYTES (4194304): unsent bytes a stream may queue before it is dropped as a slow reader. */
  streamBufferBytes: number;
  /** ROOST_STREAM_CONNECTIONS (1 self-serve, 2 enterprise): concurrent connections per app and stream (and partition). */
  streamConnections: number;
  /**
   * ROOST_REDIS_URL (unset): scale-out. Rate limits, usage dedup, OAuth 1.0a nonces, stream connection slots, the
   * event bus (Redis Streams) and row-cache evictions are shared through this Redis (docs/scale-out.md). Every node
   * needs its own ROOST_WORKER_ID: it names the node's bus position and keeps snowflakes unique.
   */
  redisUrl: string | null;
  /**
   * ROOST_STREAM_SLOT_LEASE_MS (20000, with Redis): a stream's slot is a lease its node renews; a node that dies
   * holds its connections' slots until their leases run out (X's ~20 s of silence before a connection is dead).
   */
  streamSlotLeaseMs: number;
  /**
   * ROOST_REQUEST_TIMEOUT_MS (120000): time to receive a whole request, headers and body; a client that trickles
   * its body is cut off (408) instead of holding a socket for ever. Streams are unaffected: their requests end
   * at once and only their answers are long.
   */
  requestTimeoutMs: number;
  /** ROOST_HEADERS_TIMEOUT_MS (20000): time to receive a request's headers. */
  headersTimeoutMs: number;
  /** ROOST_KEEPALIVE_TIMEOUT_MS (72000): how long an idle keep-alive connection stays open (above load balancers' 60 s). */
  keepAliveTimeoutMs: number;
  /** ROOST_MAX_CONNECTIONS_PER_IP (1024): open connections one address may hold; more are closed at once. */
  maxConnectionsPerIp: number;
  /**
   * ROOST_SECRET_KEY: the key stored secrets are sealed under (at least 32 characters), kept out of the database.
   * Without it, the key file (ROOST_SECRET_KEY_FILE, default `<SQLite file>.key`, or `./data/roost.key` with
   * PostgreSQL) is read, or created 0600. Nodes sharing a database need the same key.
   */
  secretKey: string | null;
  secretKeyFile: string | null;
  /**
   * ROOST_MEDIA_DIR: where uploaded media bytes live (content-addressed blobs and upload segments). Default: a
   * `media` directory beside the SQLite file, or `./data/media` for PostgreSQL and in-memory databases.
   */
  mediaDir: string;
  /**
   * ROOST_ADMIN_TOKEN: turns on Roost's admin API under `/_roost/` (clock, faults, request log, users, tokens,
   * reset), for callers presenting this bearer token. Off (null): those paths answer 404 like any unknown path.
   */
  adminToken: string | null;
  /**
   * ROOST_RESETTABLE (off): take a snapshot of the database once started, so `POST /_roost/reset` can bring the
   * server back to it without a restart. SQLite only; needs the admin API.
   */
  resettable: boolean;
  /** ROOST_CLOCK_START / ROOST_CLOCK_FROZEN: where the controllable clock (admin API on) starts, and frozen or running. */
  clockStart: number | null;
  clockFrozen: boolean;
  /** Fixed credentials of the default app and @XDevelopers for CI (ROOST_CONSUMER_KEY, …); null: random, shown once. */
  fixed: FixedCredentials;
  /**
   * Zero-change mode (ROOST_TLS_PORT set; 0 = any free port): Roost also serves HTTPS there as api.x.com,
   * upload.x.com, x.com, api.twitter.com … with a certificate from its local CA in ROOST_TLS_DIR (default
   * `./data/tls`, made on first use; `roost trust` makes it and prints what clients need), and its plain port
   * accepts CONNECT to those hosts (an HTTPS proxy). null: off.
   */
  tls: { port: number; dir: string } | null;
  /** Webhooks, Account Activity, the X Activity API and compliance jobs (FACTS §12). */
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  /**
   * ROOST_WEBHOOK_ALLOW_LOOPBACK (off): webhook URLs may point at a loopback address (127.0.0.0/8, ::1, localhost)
   * over `http://` and with a port — local receivers. Otherwise only `https://` without a port, as at X.
   */
  allowLoopback: boolean;
  /** ROOST_WEBHOOK_TIMEOUT_MS (3000): how long a receiver has to answer a delivery (X: about 3 s). */
  timeoutMs: number;
  /** ROOST_WEBHOOK_CRC_TIMEOUT_MS (10000): how long a receiver has to answer a CRC check (X: 10 s). */
  crcTimeoutMs: number;
  /**
   * ROOST_WEBHOOK_RETRY_BASE_MS (3000): the delay before the first retry; each later retry waits ten times longer
   * (3 s, 30 s, 300 s, as X), less up to 20 % of jitter, and never past the retry window.
   */
  retryBaseMs: number;
  /** ROOST_WEBHOOK_RETRY_WINDOW_MS (300000): after this long without success a delivery is a dead letter (X: 5 min). */
  retryWindowMs: number;
  /** ROOST_WEBHOOK_CONCURRENCY (4): deliveries in flight at once to one webhook, per node. */
  concurrency: number;
  /**
   * ROOST_WEBHOOK_POLL_MS (500): how often the delivery engine looks for work it was not told about (other nodes'
   * events and deliveries, retries coming due, expired leases) and does its housekeeping (expiry of deliveries past
   * the retry window, ending replay jobs, pruning, the periodic CRC check).
   */
  pollMs: number;
  /** ROOST_WEBHOOKS_PER_APP (1 self-serve, 5 enterprise): registered webhooks per app (WebhookLimitExceeded). */
  perApp: number;
  /** ROOST_AAA_SUBSCRIPTIONS (3 self-serve, 5000 enterprise): Account Activity subscriptions per app. */
  aaaSubscriptions: number;
  /** ROOST_ACTIVITY_SUBSCRIPTIONS (2500 self-serve, 20000 enterprise): X Activity API subscriptions per app. */
  activitySubscriptions: number;
  /** ROOST_COMPLIANCE_PROCESS_MS (5000): how long a compliance job stays in_progress after its upload. */
  complianceProcessMs: number;
}

/** Where `roost trust` and zero-change mode keep the local CA and certificate. */
export const tlsDir = (raw: RawEnv): string => raw.ROOST_TLS_DIR ?? join('.', 'data', 'tls');

export interface FixedCredentials {
  consumerKey: string | null;
  consumerSecret: string | null;
  accessToken: string | null;
  accessTokenSecret: string | null;
  clientId: string | null;
  clientSecret: string | null;
}

/** Whether a database URL names PostgreSQL (anything else is a SQLite file). */
export const usesPostgres = (dbUrl: string): boolean => /^postgres(ql)?:\/\//i.test(dbUrl);

/** The default media directory for a database URL. */
export function defaultMediaDir(dbUrl: string): string {
  if (usesPostgres(dbUrl) || dbUrl === ':memory:' || dbUrl === '') return join('.', 'data', 'media');
  return join(dirname(dbUrl), 'media');
}

export class ConfigError extends Error {}

/** Characters fixed credentials may use: safe in URLs, HTTP Basic and OAuth 1.0a signatures without escaping. */
const CREDENTIAL = /^[A-Za-z0-9_.~-]{8,200}$/;

function fixedCredentials(raw: RawEnv): FixedCredentials {
  const get = (k: keyof RawEnv): string | null => {
    const v = raw[k];
    if (v === undefined) return null;
    if (!CREDENTIAL.test(v)) throw new ConfigError(`${k} must be 8 to 200 characters of A-Z a-z 0-9 _ . ~ -`);
    return v;
  };
  const f: FixedCredentials = {
    consumerKey: get('ROOST_CONSUMER_KEY'),
    consumerSecret: get('ROOST_CONSUMER_SECRET'),
    accessToken: get('ROOST_ACCESS_TOKEN'),
    accessTokenSecret: get('ROOST_ACCESS_TOKEN_SECRET'),
    clientId: get('ROOST_CLIENT_ID'),
    clientSecret: get('ROOST_CLIENT_SECRET'),
  };
  const pair = (a: keyof FixedCredentials, b: keyof FixedCredentials, an: string, bn: string) => {
    if ((f[a] === null) !== (f[b] === null)) throw new ConfigError(`${an} and ${bn} go together: set both or neither`);
  };
  pair('consumerKey', 'consumerSecret', 'ROOST_CONSUMER_KEY', 'ROOST_CONSUMER_SECRET');
  pair('accessToken', 'accessTokenSecret', 'ROOST_ACCESS_TOKEN', 'ROOST_ACCESS_TOKEN_SECRET');
  pair('clientId', 'clientSecret', 'ROOST_CLIENT_ID', 'ROOST_CLIENT_SECRET');
  return f;
}

/** An instant as ISO 8601 or epoch milliseconds. */
export function parseInstant(v: string): number | null {
  if (/^-?\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

/** A database URL Roost can open: a SQLite path (or `:memory:`) or postgres://; any other scheme is refused. */
function checkDbUrl(url: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme && !/^postgres(ql)?$/i.test(scheme[1])) {
    throw new ConfigError(`ROOST_DB_URL: ${scheme[1]}:// is not supported; use a SQLite file path (e.g. ./data/roost.db) or a postgres:// URL`);
  }
}

export const DEFAULT_SEED = 1;

/** Validates raw settings (env or CLI flags) and fills defaults. */
export function buildConfig(raw: RawEnv, overrides: Partial<Config> = {}): Config {
  const port = raw.ROOST_PORT === undefined ? 8080 : Number(raw.ROOST_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`ROOST_PORT must be 0..65535, got ${raw.ROOST_PORT}`);
  let seed: number | null = DEFAULT_SEED;
  if (raw.ROOST_SEED !== undefined) {
    const v = raw.ROOST_SEED.toLowerCase();
    if (['off', 'false', 'no', 'none', '0'].includes(v)) seed = null;
    else if (['on', 'true', 'yes'].includes(v)) seed = DEFAULT_SEED;
    else if (/^\d+$/.test(v)) seed = Number(v);
    else throw new ConfigError(`ROOST_SEED must be on, off or a seed number, got ${raw.ROOST_SEED}`);
  }
  const workerId = raw.ROOST_WORKER_ID === undefined ? 0 : Number(raw.ROOST_WORKER_ID);
  if (!Number.isInteger(workerId) || workerId < 0 || workerId > 1023) throw new ConfigError('ROOST_WORKER_ID must be 0..1023');
  for (const k of ['ROOST_BEARER_TOKEN', 'ROOST_USER_TOKEN'] as const) {
    const v = raw[k];
    if (v !== undefined && (v.length < 16 || /\s/.test(v))) throw new ConfigError(`${k} must be at least 16 characters without spaces`);
  }
  const cacheMs = raw.ROOST_CACHE_MS === undefined ? 1000 : Number(raw.ROOST_CACHE_MS);
  if (!Number.isInteger(cacheMs) || cacheMs < 0) throw new ConfigError('ROOST_CACHE_MS must be a non-negative integer');
  const writeBatch = raw.ROOST_WRITE_BATCH === undefined ? 256 : Number(raw.ROOST_WRITE_BATCH);
  if (!Number.isInteger(writeBatch) || writeBatch < 1 || writeBatch > 10_000) throw new ConfigError('ROOST_WRITE_BATCH must be an integer in [1, 10000]');
  const limiter = (raw.ROOST_LIMITER ?? 'sql').toLowerCase();
  if (limiter !== 'memory' && limiter !== 'sql') throw new ConfigError(`ROOST_LIMITER must be memory or sql, got ${raw.ROOST_LIMITER}`);
  let limitOverrides: Record<string, LimitOverride> = {};
  if (raw.ROOST_RATE_LIMIT_OVERRIDES !== undefined) {
    try {
      limitOverrides = JSON.parse(raw.ROOST_RATE_LIMIT_OVERRIDES) as Record<string, LimitOverride>;
    } catch {
      throw new ConfigError('ROOST_RATE_LIMIT_OVERRIDES must be JSON like {"getUsersMe":{"user":1000}}');
    }
    for (const [op, o] of Object.entries(limitOverrides)) {
      for (const [k, v] of Object.entries(o ?? {})) {
        if (!['app', 'user', 'app24h', 'user24h'].includes(k) || !(v === null || (Number.isInteger(v) && (v as number) >= 0))) {
          throw new ConfigError(`ROOST_RATE_LIMIT_OVERRIDES: bad entry ${op}.${k}`);
        }
      }
    }
  }
  const monthlyPostCap = raw.ROOST_MONTHLY_POST_CAP === undefined ? 3_000_000 : Number(raw.ROOST_MONTHLY_POST_CAP);
  if (!Number.isInteger(monthlyPostCap) || monthlyPostCap < 0) throw new ConfigError('ROOST_MONTHLY_POST_CAP must be a non-negative integer');
  const startingCreditsUsd = raw.ROOST_STARTING_CREDITS_USD === undefined ? 1000 : Number(raw.ROOST_STARTING_CREDITS_USD);
  if (!Number.isFinite(startingCreditsUsd) || startingCreditsUsd < 0) throw new ConfigError('ROOST_STARTING_CREDITS_USD must be a non-negative number');
  const tier = (raw.ROOST_TIER ?? 'self_serve').toLowerCase().replace('-', '_');
  if (tier !== 'self_serve' && tier !== 'enterprise') throw new ConfigError(`ROOST_TIER must be self_serve or enterprise, got ${raw.ROOST_TIER}`);
  const posInt = (k: keyof RawEnv, dflt: number): number => {
    const v = raw[k] === undefined ? dflt : Number(raw[k]);
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(`${k} must be a positive integer, got ${raw[k]}`);
    return v;
  };
  const enterprise = tier === 'enterprise';
  const streamMaxRules = posInt('ROOST_STREAM_MAX_RULES', enterprise ? 25_000 : 1000);
  const streamKeepaliveMs = posInt('ROOST_STREAM_KEEPALIVE_MS', 20_000);
  const streamBufferBytes = posInt('ROOST_STREAM_BUFFER_BYTES', 4 * 1024 * 1024);
  const streamConnections = posInt('ROOST_STREAM_CONNECTIONS', enterprise ? 2 : 1);
  const streamSlotLeaseMs = posInt('ROOST_STREAM_SLOT_LEASE_MS', 20_000);
  const redisUrl = raw.ROOST_REDIS_URL ?? null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`ROOST_REDIS_URL must be a redis:// or rediss:// URL, got ${redisUrl}`);
  const requestTimeoutMs = posInt('ROOST_REQUEST_TIMEOUT_MS', 120_000);
  const headersTimeoutMs = posInt('ROOST_HEADERS_TIMEOUT_MS', 20_000);
  const keepAliveTimeoutMs = posInt('ROOST_KEEPALIVE_TIMEOUT_MS', 72_000);
  const maxConnectionsPerIp = posInt('ROOST_MAX_CONNECTIONS_PER_IP', 1024);
  const allowLoopback = (raw.ROOST_WEBHOOK_ALLOW_LOOPBACK ?? 'off').toLowerCase();
  if (!['on', 'true', 'yes', '1', 'off', 'false', 'no', '0'].includes(allowLoopback)) throw new ConfigError(`ROOST_WEBHOOK_ALLOW_LOOPBACK must be on or off, got ${raw.ROOST_WEBHOOK_ALLOW_LOOPBACK}`);
  const webhooks: WebhookSettings = {
    allowLoopback: ['on', 'true', 'yes', '1'].includes(allowLoopback),
    timeoutMs: posInt('ROOST_WEBHOOK_TIMEOUT_MS', 3000),
    crcTimeoutMs: posInt('ROOST_WEBHOOK_CRC_TIMEOUT_MS', 10_000),
    retryBaseMs: posInt('ROOST_WEBHOOK_RETRY_BASE_MS', 3000),
    retryWindowMs: posInt('ROOST_WEBHOOK_RETRY_WINDOW_MS', 300_000),
    concurrency: posInt('ROOST_WEBHOOK_CONCURRENCY', 4),
    pollMs: posInt('ROOST_WEBHOOK_POLL_MS', 500),
    perApp: posInt('ROOST_WEBHOOKS_PER_APP', enterprise ? 5 : 1),
    aaaSubscriptions: posInt('ROOST_AAA_SUBSCRIPTIONS', enterprise ? 5000 : 3),
    activitySubscriptions: posInt('ROOST_ACTIVITY_SUBSCRIPTIONS', enterprise ? 20_000 : 2500),
    complianceProcessMs: posInt('ROOST_COMPLIANCE_PROCESS_MS', 5000),
  };
  const level = raw.ROOST_LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) throw new ConfigError(`ROOST_LOG_LEVEL: unknown level ${level}`);
  let tls: Config['tls'] = null;
  if (raw.ROOST_TLS_PORT !== undefined) {
    const tlsPort = Number(raw.ROOST_TLS_PORT);
    if (!Number.isInteger(tlsPort) || tlsPort < 0 || tlsPort > 65535) throw new ConfigError(`ROOST_TLS_PORT must be 0..65535, got ${raw.ROOST_TLS_PORT}`);
    if (tlsPort !== 0 && tlsPort === port) throw new ConfigError('ROOST_TLS_PORT must differ from ROOST_PORT');
    tls = { port: tlsPort, dir: tlsDir(raw) };
  }
  const dbUrl = overrides.dbUrl ?? raw.ROOST_DB_URL ?? './data/roost.db';
  checkDbUrl(dbUrl);
  const adminToken = raw.ROOST_ADMIN_TOKEN ?? null;
  if (adminToken !== null && (adminToken.length < 16 || /\s/.test(adminToken))) throw new ConfigError('ROOST_ADMIN_TOKEN must be at least 16 characters without spaces');
  const onOff = (k: keyof RawEnv, dflt: boolean): boolean => {
    const v = raw[k]?.toLowerCase();
    if (v === undefined) return dflt;
    if (['on', 'true', 'yes', '1'].includes(v)) return true;
    if (['off', 'false', 'no', '0'].includes(v)) return false;
    throw new ConfigError(`${k} must be on or off, got ${raw[k]}`);
  };
  let clockStart: number | null = null;
  if (raw.ROOST_CLOCK_START !== undefined) {
    clockStart = parseInstant(raw.ROOST_CLOCK_START);
    if (clockStart === null) throw new ConfigError(`ROOST_CLOCK_START must be an ISO 8601 time or epoch milliseconds, got ${raw.ROOST_CLOCK_START}`);
  }
  return {
    host: raw.ROOST_HOST ?? '127.0.0.1',
    port,
    dbUrl,
    seed,
    world: { ...DEMO_WORLD },
    bearerToken: raw.ROOST_BEARER_TOKEN ?? null,
    userToken: raw.ROOST_USER_TOKEN ?? null,
    logLevel: level,
    publicUrl: raw.ROOST_PUBLIC_URL ?? null,
    workerId,
    cacheMs,
    writeBatch,
    rateLimits: onOff('ROOST_RATE_LIMITS', true),
    limiter,
    limitOverrides,
    metering: onOff('ROOST_METERING', true),
    monthlyPostCap,
    startingCreditsUsd,
    tier,
    streamMaxRules,
    streamKeepaliveMs,
    streamBufferBytes,
    streamConnections,
    redisUrl,
    streamSlotLeaseMs,
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs,
    maxConnectionsPerIp,
    secretKey: raw.ROOST_SECRET_KEY ?? null,
    secretKeyFile: raw.ROOST_SECRET_KEY_FILE ?? defaultKeyFile(dbUrl, usesPostgres(dbUrl)),
    mediaDir: raw.ROOST_MEDIA_DIR ?? defaultMediaDir(dbUrl),
    adminToken,
    resettable: onOff('ROOST_RESETTABLE', false),
    clockStart,
    clockFrozen: onOff('ROOST_CLOCK_FROZEN', false),
    fixed: fixedCredentials(raw),
    tls,
    webhooks,
    ...overrides,
  };
}
