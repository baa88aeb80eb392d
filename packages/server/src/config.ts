import type { RawEnv } from './env.js';
import { DEMO_WORLD } from './seed/world.js';

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
}

export class ConfigError extends Error {}

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
  const level = raw.ROOST_LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) throw new ConfigError(`ROOST_LOG_LEVEL: unknown level ${level}`);
  return {
    host: raw.ROOST_HOST ?? '127.0.0.1',
    port,
    dbUrl: raw.ROOST_DB_URL ?? './data/roost.db',
    seed,
    world: { ...DEMO_WORLD },
    bearerToken: raw.ROOST_BEARER_TOKEN ?? null,
    userToken: raw.ROOST_USER_TOKEN ?? null,
    logLevel: level,
    publicUrl: raw.ROOST_PUBLIC_URL ?? null,
    workerId,
    cacheMs,
    ...overrides,
  };
}
