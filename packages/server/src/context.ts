import type { Logger } from 'pino';
import pino from 'pino';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { openStore, type Store } from './db/connect.js';
import { createRepos, type Repos } from './data/index.js';
import { Authenticator } from './auth/authenticate.js';
import { Snowflake } from './util/snowflake.js';
import { randomToken } from './auth/tokens.js';
import { LocalBus, type Bus } from './events/bus.js';

/** The composition root: everything a request handler may reach, built once per server. */
export interface Context {
  config: Config;
  clock: Clock;
  ids: Snowflake;
  store: Store;
  repos: Repos;
  auth: Authenticator;
  log: Logger;
  /** Server-wide secret (stored in the database) from which app bearer tokens are derived. */
  serverSecret: string;
  /** Where every committed write is published (streams and other consumers subscribe). */
  bus: Bus;
}

export interface ContextOptions {
  clock?: Clock;
  store?: Store;
  log?: Logger;
  bus?: Bus;
}

export async function createContext(config: Config, opts: ContextOptions = {}): Promise<Context> {
  const clock = opts.clock ?? systemClock;
  const store = opts.store ?? (await openStore(config.dbUrl));
  const repos = createRepos(store, { cacheMs: config.cacheMs });
  const serverSecret = await repos.apps.ensureSetting('server_secret', randomToken(32));
  const log = opts.log ?? pino({ level: config.logLevel });
  return {
    config,
    clock,
    ids: new Snowflake(clock, config.workerId),
    store,
    repos,
    auth: new Authenticator(repos, clock),
    log,
    serverSecret,
    bus: opts.bus ?? new LocalBus((err) => log.error({ err }, 'bus subscriber failed')),
  };
}
