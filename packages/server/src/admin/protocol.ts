/**
 * Roost's own HTTP API, outside X's paths: where each route is and what goes over the wire. Imported by the
 * route declarations (admin/*.ts), the CLI's admin client and @roost/testing, so no route string is typed twice.
 * Types only and constants: nothing here imports the server.
 */

/** Every admin path starts here; X serves nothing under it. */
export const ADMIN_PREFIX = '/_roost';

export const adminRoutes = {
  /** Liveness and readiness, without auth (load balancers, the testing harness). */
  getHealth: { method: 'GET', path: '/healthz' },
  getInfo: { method: 'GET', path: `${ADMIN_PREFIX}/info` },
  getClock: { method: 'GET', path: `${ADMIN_PREFIX}/clock` },
  advanceClock: { method: 'POST', path: `${ADMIN_PREFIX}/clock/advance` },
  setClock: { method: 'POST', path: `${ADMIN_PREFIX}/clock/set` },
  freezeClock: { method: 'POST', path: `${ADMIN_PREFIX}/clock/freeze` },
  resumeClock: { method: 'POST', path: `${ADMIN_PREFIX}/clock/resume` },
  listFaults: { method: 'GET', path: `${ADMIN_PREFIX}/faults` },
  addFault: { method: 'POST', path: `${ADMIN_PREFIX}/faults` },
  clearFaults: { method: 'DELETE', path: `${ADMIN_PREFIX}/faults` },
  removeFault: { method: 'DELETE', path: `${ADMIN_PREFIX}/faults/:id` },
  listRequests: { method: 'GET', path: `${ADMIN_PREFIX}/requests` },
  clearRequests: { method: 'DELETE', path: `${ADMIN_PREFIX}/requests` },
  createUser: { method: 'POST', path: `${ADMIN_PREFIX}/users` },
  createOAuth2Token: { method: 'POST', path: `${ADMIN_PREFIX}/tokens/oauth2` },
  createOAuth1Token: { method: 'POST', path: `${ADMIN_PREFIX}/tokens/oauth1` },
  listApps: { method: 'GET', path: `${ADMIN_PREFIX}/apps` },
  getApp: { method: 'GET', path: `${ADMIN_PREFIX}/apps/:id` },
  reset: { method: 'POST', path: `${ADMIN_PREFIX}/reset` },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'DELETE'; path: string }>;

export type AdminRouteId = keyof typeof adminRoutes;

/** The concrete path of a route, with its `:params` filled in (URL-encoded). */
export function adminPath(id: AdminRouteId, params: Record<string, string> = {}): string {
  return adminRoutes[id].path.replace(/:([a-z_]+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`admin route ${id} needs :${k}`);
    return encodeURIComponent(v);
  });
}

export interface ClockJson {
  /** The server's time, ISO 8601. */
  now: string;
  now_ms: number;
  frozen: boolean;
  /** How far the clock is from the wall clock (ms; positive = in the future). */
  offset_ms: number;
}

export interface HealthJson {
  status: 'ok' | 'starting';
}

export interface InfoJson {
  version: string;
  url: string;
  admin: true;
  resettable: boolean;
  clock: ClockJson;
  default_app_id: string;
  world: { seed: number; users: number; posts: number } | null;
  database: 'sqlite' | 'postgres';
}

/** Faults a rule can inject (README "Fault injection"). */
export const FAULT_KINDS = [
  'rate-limit',
  'credits-depleted',
  'usage-cap',
  'unavailable',
  'latency',
  'stream-disconnect',
  'stream-stall',
  'too-many-connections',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault rule as added (POST /_roost/faults). Unset matchers match anything. */
export interface FaultInput {
  fault: FaultKind;
  /** operationIds (one or several) the rule applies to. */
  operation?: string | string[];
  /** The calling app's id. */
  app?: string;
  /** The calling user's id or @username (user-context requests only). */
  user?: string;
  /** Chance that a matching request gets the fault (0–1, default 1), drawn from `seed`: the same sequence every run. */
  probability?: number;
  seed?: number;
  /** How many times the fault fires before the rule retires (default: no limit). */
  count?: number;
  /** latency: added delay; stream-disconnect / stream-stall: how long the stream runs first (default 0). */
  ms?: number;
  /** rate-limit: seconds until `x-rate-limit-reset` (default: the end of the operation's 15-minute window). */
  reset_in_s?: number;
  /** usage-cap: `Monthly` (default) or `Daily`. */
  period?: 'Monthly' | 'Daily';
}

export interface FaultJson extends Omit<FaultInput, 'operation' | 'user' | 'probability' | 'seed'> {
  id: string;
  probability: number;
  seed: number;
  operation?: string[];
  /** The user id the rule matches (a username given when adding is resolved). */
  user?: string;
  /** How many times it fired so far. */
  fired: number;
  /** Still armed (false once `count` is used up). */
  active: boolean;
}

export type AuthKind = 'oauth2-app' | 'oauth2-user' | 'oauth1-user' | 'basic' | 'none';

export interface RequestLogEntry {
  /** Increasing number; `?since=` takes entries after it. */
  seq: number;
  /** Server clock at arrival, ISO 8601. */
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The X operation that answered (null: OAuth flows, media bytes, unknown paths). */
  operation_id: string | null;
  /** How the request authenticated (what it presented when it failed). */
  auth: AuthKind;
  app_id: string | null;
  user_id: string | null;
  status: number;
  /** The parsed body of requests that carry one (JSON or form, up to 64 KB; multipart parts are not kept). */
  body?: unknown;
  /** The size of a body too large to keep. */
  body_bytes?: number;
  /** A fault rule that answered or delayed it. */
  fault?: string;
  duration_ms: number;
}

export interface RequestLogJson {
  data: RequestLogEntry[];
  meta: { result_count: number; last_seq: number };
}

export interface UserInput {
  username: string;
  name?: string;
  description?: string;
  protected?: boolean;
  verified?: boolean;
}

export interface UserJson {
  id: string;
  username: string;
  name: string;
}

export interface OAuth2TokenJson {
  access_token: string;
  token_type: 'bearer';
  scope: string;
  user_id: string;
  app_id: string;
}

export interface OAuth1TokenJson {
  oauth_token: string;
  oauth_token_secret: string;
  user_id: string;
  screen_name: string;
  app_id: string;
}

export interface AppJson {
  id: string;
  name: string;
  owner_id: string;
  owner_username: string | null;
  consumer_key: string;
  permission: string;
  created_at: string;
  default: boolean;
  oauth2_client: { client_id: string; client_type: string; redirect_uris: string[] } | null;
}

export interface ResetJson {
  reset: true;
  took_ms: number;
  clock: ClockJson;
}
