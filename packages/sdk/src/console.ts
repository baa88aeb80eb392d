/**
 * `@roost/sdk/console`: Roost's Developer Console API — developer accounts, apps and their credentials, usage and
 * billing — which lives beside X's API (under `/console/api`, never on X's paths). The table of routes is the one
 * the server declares its handlers against, so no route string is typed twice. Browsers sign in with an HttpOnly
 * session cookie; every call that changes something carries the session's CSRF token.
 */

/** Every console API path starts here. */
export const CONSOLE_API_PREFIX = '/console/api';

export const consoleRoutes = {
  getSession: { method: 'GET', path: `${CONSOLE_API_PREFIX}/session` },
  signUp: { method: 'POST', path: `${CONSOLE_API_PREFIX}/signup` },
  signIn: { method: 'POST', path: `${CONSOLE_API_PREFIX}/signin` },
  signOut: { method: 'POST', path: `${CONSOLE_API_PREFIX}/signout` },
  listApps: { method: 'GET', path: `${CONSOLE_API_PREFIX}/apps` },
  createApp: { method: 'POST', path: `${CONSOLE_API_PREFIX}/apps` },
  getApp: { method: 'GET', path: `${CONSOLE_API_PREFIX}/apps/:id` },
  updateApp: { method: 'PATCH', path: `${CONSOLE_API_PREFIX}/apps/:id` },
  deleteApp: { method: 'DELETE', path: `${CONSOLE_API_PREFIX}/apps/:id` },
  regenerateCredential: { method: 'POST', path: `${CONSOLE_API_PREFIX}/apps/:id/credentials/:kind` },
  mintUserToken: { method: 'POST', path: `${CONSOLE_API_PREFIX}/apps/:id/user-tokens` },
  mintConsoleToken: { method: 'POST', path: `${CONSOLE_API_PREFIX}/apps/:id/console-token` },
  getUsage: { method: 'GET', path: `${CONSOLE_API_PREFIX}/usage` },
  usageEvents: { method: 'GET', path: `${CONSOLE_API_PREFIX}/usage/events` },
  topUp: { method: 'POST', path: `${CONSOLE_API_PREFIX}/billing/top-up` },
  updateBilling: { method: 'PATCH', path: `${CONSOLE_API_PREFIX}/billing` },
  listWorldUsers: { method: 'GET', path: `${CONSOLE_API_PREFIX}/world/users` },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string }>;

export type ConsoleRouteId = keyof typeof consoleRoutes;

/** The header that carries the session's CSRF token on every call that changes something. */
export const CSRF_HEADER = 'x-csrf-token';

/** The concrete path of a route, with its `:params` filled in (URL-encoded). */
export function consolePath(id: ConsoleRouteId, params: Record<string, string> = {}): string {
  return consoleRoutes[id].path.replace(/:([a-z_]+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`console route ${id} needs :${k}`);
    return encodeURIComponent(v);
  });
}

export type AppPermissionLevel = 'read' | 'read-write' | 'read-write-dm';
/** Web app / automated bot: confidential (has a client secret); native app / single-page app: public. */
export type AppClientType = 'confidential' | 'public';
export type CredentialKind = 'consumer-keys' | 'bearer-token' | 'oauth2-client' | 'access-token';
export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['consumer-keys', 'bearer-token', 'oauth2-client', 'access-token'];
export const PERMISSION_LEVELS: readonly AppPermissionLevel[] = ['read', 'read-write', 'read-write-dm'];
/** X's limit on an app's callback URLs. */
export const MAX_CALLBACK_URLS = 10;

export interface DeveloperJson {
  id: string;
  email: string;
  /** The X account that owns the developer's apps. */
  user_id: string;
  username: string;
}

export interface SessionJson {
  developer: DeveloperJson | null;
  /** Send back in `x-csrf-token` on every call that changes something (null when signed out). */
  csrf_token: string | null;
}

export interface ConsoleAppJson {
  id: string;
  name: string;
  consumer_key: string;
  permission: AppPermissionLevel;
  app_type: AppClientType;
  client_id: string | null;
  callback_urls: string[];
  created_at: string;
}

/** Credentials in clear: shown once, when made or regenerated. Only the ones just made are present. */
export interface CredentialsJson {
  api_key?: string;
  api_key_secret?: string;
  bearer_token?: string;
  client_id?: string;
  /** Confidential clients only. */
  client_secret?: string;
  access_token?: string;
  access_token_secret?: string;
}

export interface CreatedAppJson {
  app: ConsoleAppJson;
  credentials: CredentialsJson;
}

export interface AppUpdateInput {
  name?: string;
  permission?: AppPermissionLevel;
  app_type?: AppClientType;
  callback_urls?: string[];
}

export interface AppUpdateJson {
  app: ConsoleAppJson;
  /** True when the permission level changed: users' tokens were revoked and they must authorize again. */
  reauthorization_required: boolean;
  /** A new client secret, when the app became confidential. */
  credentials: CredentialsJson;
}

export interface UserTokenJson {
  user_id: string;
  username: string;
  kind: 'oauth2' | 'oauth1';
  access_token: string;
  /** OAuth 1.0a only. */
  access_token_secret?: string;
  scope?: string;
  /** ISO 8601, when the token expires (null: never). */
  expires_at: string | null;
}

export interface ConsoleTokenJson {
  /** An app-only bearer token for the console's own calls, short-lived. */
  bearer_token: string;
  expires_at: string;
}

export interface EndpointUsageJson {
  app_id: string;
  operation_id: string;
  requests: number;
  errors: number;
  posts: number;
  cost_usd: number;
}

export interface DayUsageJson {
  day: string;
  app_id: string;
  requests: number;
  posts: number;
  cost_usd: number;
}

export interface HeadroomJson {
  app_id: string;
  operation_id: string;
  /** Whose 15-minute bucket: the app's (app-only) or one user's. */
  pool: 'app' | 'user';
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

export interface BillingJson {
  balance_usd: number;
  /** Post resources read this billing cycle, and the cap on them. */
  cycle_posts: number;
  monthly_post_cap: number;
  cycle_spend_usd: number;
  auto_recharge: boolean;
  recharge_threshold_usd: number;
  recharge_amount_usd: number;
  spend_cap_usd: number | null;
  metering: boolean;
}

export interface UsageJson {
  since: string;
  days: DayUsageJson[];
  endpoints: EndpointUsageJson[];
  headroom: HeadroomJson[];
  billing: BillingJson;
}

export interface BillingUpdateInput {
  auto_recharge?: boolean;
  recharge_threshold_usd?: number;
  recharge_amount_usd?: number;
  /** 0 removes the cap. */
  spend_cap_usd?: number;
}

export interface WorldUserJson {
  id: string;
  username: string;
  name: string;
}

/** The error a console API call answered with (X's problem shape: `title`, `detail`, `errors`). */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(ConsoleApiError.describe(status, body));
    this.name = 'ConsoleApiError';
  }

  private static describe(status: number, body: unknown): string {
    const b = body as { detail?: string; errors?: { message?: string }[] } | null;
    return b?.errors?.map((e) => e.message).filter(Boolean).join('; ') || b?.detail || `HTTP ${status}`;
  }
}

const inBrowser = () => typeof (globalThis as { document?: unknown }).document !== 'undefined';

export interface ConsoleClientOptions {
  /** Origin of the Roost server ('' in a page it serves). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * A client of the console API. In a browser it rides the session cookie (`credentials: 'same-origin'`); elsewhere
 * (tests) it keeps the cookie itself. It remembers the CSRF token the session handed out.
 */
export class ConsoleClient {
  private readonly baseUrl: string;
  private readonly doFetch: typeof fetch;
  private csrf: string | null = null;
  /** Outside browsers: the session cookie, kept by hand. */
  private cookie: string | null = null;

  constructor(opts: ConsoleClientOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/+$/, '');
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  async call<T>(id: ConsoleRouteId, opts: { params?: Record<string, string>; query?: Record<string, string | number>; body?: unknown } = {}): Promise<T> {
    const { method } = consoleRoutes[id];
    let url = `${this.baseUrl}${consolePath(id, opts.params)}`;
    if (opts.query) url += `?${new URLSearchParams(Object.entries(opts.query).map(([k, v]): [string, string] => [k, String(v)]))}`;
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrf) headers[CSRF_HEADER] = this.csrf;
    if (this.cookie) headers.cookie = this.cookie;
    // Outside a browser there is no Origin to send by itself: say which one the call comes from.
    if (this.baseUrl && !inBrowser()) headers.origin = this.baseUrl;
    const res = await this.doFetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), credentials: 'same-origin' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie && !inBrowser()) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    const body = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ConsoleApiError(res.status, body);
    if (body && typeof body === 'object' && 'csrf_token' in body) this.csrf = (body as SessionJson).csrf_token;
    return body as T;
  }

  session(): Promise<SessionJson> {
    return this.call('getSession');
  }
  signUp(input: { email: string; password: string; username: string }): Promise<SessionJson> {
    return this.call('signUp', { body: input });
  }
  signIn(input: { email: string; password: string }): Promise<SessionJson> {
    return this.call('signIn', { body: input });
  }
  async signOut(): Promise<void> {
    await this.call('signOut');
    this.csrf = null;
  }
  listApps(): Promise<{ data: ConsoleAppJson[] }> {
    return this.call('listApps');
  }
  createApp(input: { name: string; app_type?: AppClientType }): Promise<CreatedAppJson> {
    return this.call('createApp', { body: input });
  }
  getApp(id: string): Promise<{ app: ConsoleAppJson }> {
    return this.call('getApp', { params: { id } });
  }
  updateApp(id: string, input: AppUpdateInput): Promise<AppUpdateJson> {
    return this.call('updateApp', { params: { id }, body: input });
  }
  async deleteApp(id: string): Promise<void> {
    await this.call('deleteApp', { params: { id } });
  }
  regenerate(id: string, kind: CredentialKind): Promise<{ credentials: CredentialsJson }> {
    return this.call('regenerateCredential', { params: { id, kind } });
  }
  mintUserToken(id: string, input: { user: string; kind?: 'oauth2' | 'oauth1'; expires_in_s?: number }): Promise<UserTokenJson> {
    return this.call('mintUserToken', { params: { id }, body: input });
  }
  mintConsoleToken(id: string): Promise<ConsoleTokenJson> {
    return this.call('mintConsoleToken', { params: { id } });
  }
  usage(days = 30): Promise<UsageJson> {
    return this.call('getUsage', { query: { days } });
  }
  topUp(amountUsd: number): Promise<{ billing: BillingJson }> {
    return this.call('topUp', { body: { amount_usd: amountUsd } });
  }
  updateBilling(input: BillingUpdateInput): Promise<{ billing: BillingJson }> {
    return this.call('updateBilling', { body: input });
  }
  worldUsers(): Promise<{ data: WorldUserJson[] }> {
    return this.call('listWorldUsers');
  }
  /** The URL of the usage event stream (server-sent events; one `usage` event per change of the account's usage). */
  usageEventsUrl(): string {
    return `${this.baseUrl}${consolePath('usageEvents')}`;
  }
}
