/** The only reader of process.env. Everything else receives a validated Config. */
export interface RawEnv {
  ROOST_HOST?: string;
  ROOST_PORT?: string;
  ROOST_DB_URL?: string;
  ROOST_SEED?: string;
  ROOST_BEARER_TOKEN?: string;
  ROOST_USER_TOKEN?: string;
  ROOST_LOG_LEVEL?: string;
  ROOST_PUBLIC_URL?: string;
  ROOST_WORKER_ID?: string;
  ROOST_CACHE_MS?: string;
  ROOST_RATE_LIMITS?: string;
  ROOST_LIMITER?: string;
  ROOST_RATE_LIMIT_OVERRIDES?: string;
  ROOST_METERING?: string;
  ROOST_MONTHLY_POST_CAP?: string;
  ROOST_STARTING_CREDITS_USD?: string;
  ROOST_TIER?: string;
  ROOST_STREAM_MAX_RULES?: string;
  ROOST_STREAM_KEEPALIVE_MS?: string;
  ROOST_STREAM_BUFFER_BYTES?: string;
  ROOST_STREAM_CONNECTIONS?: string;
  ROOST_MEDIA_DIR?: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): RawEnv {
  const pick = (k: keyof RawEnv) => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  return {
    ROOST_HOST: pick('ROOST_HOST'),
    ROOST_PORT: pick('ROOST_PORT'),
    ROOST_DB_URL: pick('ROOST_DB_URL'),
    ROOST_SEED: pick('ROOST_SEED'),
    ROOST_BEARER_TOKEN: pick('ROOST_BEARER_TOKEN'),
    ROOST_USER_TOKEN: pick('ROOST_USER_TOKEN'),
    ROOST_LOG_LEVEL: pick('ROOST_LOG_LEVEL'),
    ROOST_PUBLIC_URL: pick('ROOST_PUBLIC_URL'),
    ROOST_WORKER_ID: pick('ROOST_WORKER_ID'),
    ROOST_CACHE_MS: pick('ROOST_CACHE_MS'),
    ROOST_RATE_LIMITS: pick('ROOST_RATE_LIMITS'),
    ROOST_LIMITER: pick('ROOST_LIMITER'),
    ROOST_RATE_LIMIT_OVERRIDES: pick('ROOST_RATE_LIMIT_OVERRIDES'),
    ROOST_METERING: pick('ROOST_METERING'),
    ROOST_MONTHLY_POST_CAP: pick('ROOST_MONTHLY_POST_CAP'),
    ROOST_STARTING_CREDITS_USD: pick('ROOST_STARTING_CREDITS_USD'),
    ROOST_TIER: pick('ROOST_TIER'),
    ROOST_STREAM_MAX_RULES: pick('ROOST_STREAM_MAX_RULES'),
    ROOST_STREAM_KEEPALIVE_MS: pick('ROOST_STREAM_KEEPALIVE_MS'),
    ROOST_STREAM_BUFFER_BYTES: pick('ROOST_STREAM_BUFFER_BYTES'),
    ROOST_STREAM_CONNECTIONS: pick('ROOST_STREAM_CONNECTIONS'),
    ROOST_MEDIA_DIR: pick('ROOST_MEDIA_DIR'),
  };
}
