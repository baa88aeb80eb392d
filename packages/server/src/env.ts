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
  };
}
