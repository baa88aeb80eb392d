import type { Logger } from 'pino';
import pino from 'pino';
import type { Config } from './config.js';
import { ControlledClock, systemClock, type Clock } from './clock.js';
import { createAdminState, type AdminState } from './admin/state.js';
import type { ResetJson } from './admin/protocol.js';
import { openStore, type Store } from './db/connect.js';
import { createRepos, type Repos } from './data/index.js';
import { configureWrites } from './domain/write.js';
import { Authenticator } from './auth/authenticate.js';
import { OAuth1Service } from './auth/oauth1.js';
import { Snowflake } from './util/snowflake.js';
import { randomToken } from './auth/tokens.js';
import { LocalBus, type Bus } from './events/bus.js';
import { Limits } from './limits/limits.js';
import { LimitPolicy } from './limits/policy.js';
import { MemoryLimiter } from './limits/memory-limiter.js';
import { WriteBehindLimiter } from './limits/write-behind-limiter.js';
import type { RateLimiter } from './limits/rate-limiter.js';
import { Pricing } from './limits/metering.js';
import { Billing } from './domain/billing.js';
import { UsageMeter } from './domain/usage.js';
import { MediaService } from './media/service.js';
import { operations } from './api/index.js';
import type { Operation } from './api/operation.js';
import { LOG_REDACT_PATHS, REDACTED } from './util/redact.js';
import { finishRotation, loadSecretKey, openServerSecret, type KeySource } from './auth/keyring.js';
import { SecretBox } from './auth/secret-box.js';
import { FsBlobStore } from './media/blob-store.js';
import { DeliveryEngine } from './delivery/engine.js';
import { StreamHub } from './streams/hub.js';
import { openRedisBackends, type RedisBackends } from './redis/index.js';

/** How far back a node new to the Redis bus reads: the streams' backfill window (FACTS §6.2). */
const BACKFILL_WINDOW_MS = 5 * 60_000;

/** The composition root: everything a request handler may reach, built once per server. */
export interface Context {
  config: Config;
  clock: Clock;
  ids: Snowflake;
  store: Store;
  repos: Repos;
  auth: Authenticator;
  log: Logger;
  /**
   * Server-wide secret from which app bearer tokens, consent tokens and session cookies are derived; stored in
   * the database sealed under the secret key, which is kept outside it (auth/keyring.ts).
   */
  serverSecret: string;
  /** Seals and opens stored secrets under the secret key. */
  box: SecretBox;
  /** Where the secret key comes from (for `roost secrets rotate`). */
  secretKey: KeySource;
  /** Where every committed write is published (streams and other consumers subscribe). */
  bus: Bus;
  /** Rate limits (limits/): per-operation buckets, 24-hour caps and their headers. */
  limits: Limits;
  /** Pay-per-use metering: prices (limits/metering.ts) applied to credits, the monthly post cap and usage (domain/billing.ts). */
  metering: Billing;
  /** Requests, errors and cost per app, day and endpoint, and rate-limit headroom (the Developer Console's usage). */
  usage: UsageMeter;
  /** Media uploads, processing and stored bytes (media/). */
  media: MediaService;
  /** Webhook deliveries: outbox fan-out, signed POSTs, retries, replays (delivery/engine.ts); started by the server. */
  delivery: DeliveryEngine;
  /** Every open stream connection of this node, fed from `bus` (streams/). Closed by the server's close(). */
  streams: StreamHub;
  /** The operations this server implements (api/index.ts). */
  operations: readonly Operation[];
  /** The admin API's state (clock control, faults, request log, reset); null unless ROOST_ADMIN_TOKEN is set. */
  admin: AdminState | null;
  /** The shared backends of scale-out (ROOST_REDIS_URL); null on a single node. Closed last, before the store. */
  redis: RedisBackends | null;
}

export interface ContextOptions {
  clock?: Clock;
  store?: Store;
  log?: Logger;
  bus?: Bus;
  /** A limiter backend instead of the one config.limiter names (tests, Redis later). */
  limiter?: RateLimiter;
  /** The admin API's reset (server.ts supplies it when the server keeps a start snapshot). */
  reset?: () => Promise<ResetJson>;
}

/** The clock a server runs on: a test's, else a controllable one when the admin API is on, else the system's. */
export function clockFor(config: Config): Clock {
  if (!config.adminToken) return systemClock;
  return new ControlledClock({ at: config.clockStart ?? undefined, frozen: config.clockFrozen });
}

/** Roost's logger: pino at `level`, with secrets redacted (util/redact.ts). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const opts = { level, redact: { paths: LOG_REDACT_PATHS, censor: REDACTED } };
  return destination ? pino(opts, destination) : pino(opts);
}

export async function createContext(config: Config, opts: ContextOptions = {}): Promise<Context> {
  const clock = opts.clock ?? clockFor(config);
  const store = opts.store ?? (await openStore(config.dbUrl));
  const log = opts.log ?? createLogger(config.logLevel);
  const redis = config.redisUrl
    ? await openRedisBackends({
        url: config.redisUrl,
        node: String(config.workerId),
        slotLeaseMs: config.streamSlotLeaseMs,
        onError: (err, what) => log.error({ err }, `redis: ${what} failed`),
      })
    : null;
  const repos = createRepos(store, { cacheMs: config.cacheMs, invalidation: redis?.invalidation });
  configureWrites(repos, { maxBatch: config.writeBatch });
  // A rotation a crash interrupted is finished before the key is read.
  if (config.secretKey === null) await finishRotation(repos, config.secretKeyFile);
  const secretKey = loadSecretKey({ envKey: config.secretKey, file: config.secretKeyFile });
  const box = new SecretBox(secretKey.key);
  const serverSecret = await openServerSecret(repos, box);
  const auth = new Authenticator(repos, clock);
  auth.oauth1 = new OAuth1Service({ repos, clock, box, config, nonces: redis?.nonces });
  const limiter = opts.limiter ?? redis?.limiter ?? (config.limiter === 'sql' ? new WriteBehindLimiter(repos.rateLimits) : new MemoryLimiter());
  const limits = new Limits(config.rateLimits, limiter, new LimitPolicy(new Map(operations.map((o) => [o.operationId, o.rateLimit])), config.limitOverrides), clock, repos.rateLimits);
  const pricing = new Pricing((postId, userId) => repos.mentions.mentions(postId, userId), redis?.dedup);
  const metering = new Billing(repos.billing, async (appId) => (await repos.apps.byId(appId))?.ownerUserId, pricing, clock, {
    enabled: config.metering,
    startingCreditsUsd: config.startingCreditsUsd,
    monthlyPostCap: config.monthlyPostCap,
  }, repos.console);
  const usage = new UsageMeter(repos.console, clock);
  const ids = new Snowflake(clock, config.workerId);
  const media = new MediaService(config.mediaDir, new FsBlobStore(config.mediaDir), repos, clock, ids);
  if (config.publicUrl) media.baseUrl = config.publicUrl.replace(/\/+$/, '');
  const bus = opts.bus ?? redis?.bus ?? new LocalBus((err) => log.error({ err }, 'bus subscriber failed'));
  // Subscribed from the start, so backfill_minutes can replay what happened before a client connected.
  const streams = new StreamHub({ config, clock, repos, bus, ids, log, slots: redis?.slots, metering });
  // A node on the Redis bus first catches up (from its stored position, or over the backfill window when new),
  // so a restarted node's streams can backfill what was published while it was down.
  if (redis && bus === redis.bus) await redis.bus.start(clock.now() - BACKFILL_WINDOW_MS);
  const base = {
    config,
    clock,
    ids,
    store,
    repos,
    auth,
    log,
    serverSecret,
    box,
    secretKey,
    bus,
    limits,
    metering,
    usage,
    media,
    streams,
    operations,
    admin: config.adminToken ? createAdminState(config.adminToken, clock, opts.reset ?? null) : null,
    redis,
  };
  return Object.assign(base, { delivery: new DeliveryEngine(base) });
}
