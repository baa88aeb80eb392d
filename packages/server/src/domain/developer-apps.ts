/**
 * A developer's apps and their credentials, as the console manages them: create (every credential made and
 * returned once), rename, delete, OAuth settings, and regenerating one credential — after which the old value
 * stops working at once. Credentials are made by auth/ (hashed tokens, secrets sealed under the keyring).
 */
import type { Context } from '../context.js';
import type { AppRow, UserRow } from '../data/rows.js';
import type { DeveloperRow } from '../data/console.js';
import type { AppPermission } from '../data/oauth1.js';
import type { ClientType, OAuth2ClientRow } from '../data/oauth2.js';
import { createApp, invalidateBearer, issueBearer, mintUserToken, ALL_SCOPES } from '../auth/issue.js';
import { mintOAuth1AccessToken, rotateConsumerSecret } from '../auth/oauth1.js';
import { createOAuth2Client, DEFAULT_REDIRECT_URIS, redirectUriProblem } from '../auth/oauth2.js';
import { hashSecret, randomAlnum, randomToken } from '../auth/tokens.js';
import { InvalidRequest, PROBLEMS, ProblemError } from '../errors.js';

/** X's limit on an app's callback URLs. */
export const MAX_CALLBACK_URLS = 10;
/** The console's own app-only tokens live this long. */
export const CONSOLE_TOKEN_TTL_MS = 30 * 60_000;

export type CredentialKind = 'consumer-keys' | 'bearer-token' | 'oauth2-client' | 'access-token';

/** Credentials in clear, only those just made. */
export interface Credentials {
  apiKey?: string;
  apiKeySecret?: string;
  bearerToken?: string;
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
  accessTokenSecret?: string;
}

export interface DeveloperApp {
  app: AppRow;
  client: OAuth2ClientRow | undefined;
}

const notFound = (id: string) =>
  new ProblemError(404, { title: 'Not Found Error', detail: `Could not find app with id: [${id}].`, type: `${PROBLEMS}resource-not-found` });

/** The developer's app with this id; 404 for another developer's app, as for none. */
export async function ownedApp(ctx: Context, developer: DeveloperRow, appId: string): Promise<DeveloperApp> {
  const app = /^\d{1,19}$/.test(appId) ? await ctx.repos.apps.byId(appId) : undefined;
  if (!app || app.ownerUserId !== developer.userId) throw notFound(appId);
  return { app, client: await ctx.repos.oauth2.clientOfApp(app.id) };
}

export async function developerApps(ctx: Context, developer: DeveloperRow): Promise<DeveloperApp[]> {
  const out: DeveloperApp[] = [];
  for (const app of await ctx.repos.apps.listByOwner(developer.userId)) out.push({ app, client: await ctx.repos.oauth2.clientOfApp(app.id) });
  return out;
}

function checkName(name: string): string {
  const n = name.trim();
  if (!n || n.length > 32) throw InvalidRequest.one('name', [name], `The \`name\` body field value [${name}] must be 1 to 32 characters`);
  return n;
}

/** A new app with every credential: API key and secret, bearer token, OAuth 2.0 client, the owner's access token. */
export async function createDeveloperApp(ctx: Context, developer: DeveloperRow, opts: { name: string; type: ClientType }): Promise<{ app: DeveloperApp; credentials: Credentials }> {
  const created = await createApp(ctx, { name: checkName(opts.name), ownerUserId: developer.userId });
  const client = await createOAuth2Client(ctx, { appId: created.id, type: opts.type, redirectUris: DEFAULT_REDIRECT_URIS });
  const app = (await ctx.repos.apps.byId(created.id))!;
  const bearerToken = await issueBearer(ctx, app);
  const access = await mintOAuth1AccessToken(ctx, { appId: app.id, userId: developer.userId, permission: app.permission as AppPermission });
  return {
    app: { app, client: await ctx.repos.oauth2.clientOfApp(app.id) },
    credentials: {
      apiKey: created.consumerKey,
      apiKeySecret: created.consumerSecret,
      bearerToken,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      accessToken: access.token,
      accessTokenSecret: access.secret,
    },
  };
}

export async function deleteDeveloperApp(ctx: Context, app: AppRow): Promise<void> {
  await ctx.repos.transaction((r) => r.apps.deleteApp(app.id));
  ctx.auth.forgetApp(app.id);
  ctx.limits.forget(app.id);
}

/** Why a list of callback URLs cannot be registered (X: exact match, at most 10; loopback is allowed), or null. */
export function callbackUrlsProblem(urls: readonly string[]): string | null {
  if (urls.length > MAX_CALLBACK_URLS) return `at most ${MAX_CALLBACK_URLS} callback URLs may be registered`;
  if (new Set(urls).size !== urls.length) return 'a callback URL is listed twice';
  for (const u of urls) {
    const p = redirectUriProblem(u);
    if (p) return `${u} ${p}`;
  }
  return null;
}

export interface SettingsChange {
  name?: string;
  permission?: AppPermission;
  type?: ClientType;
  callbackUrls?: string[];
}

/**
 * Applies a change of name or OAuth settings. A change of permission level revokes every user authorization of
 * the app (OAuth 2.0 and 1.0a tokens, refresh tokens, the owner's access token included): users must authorize
 * again to get the new level. Becoming confidential makes a client secret, returned once.
 */
export async function updateDeveloperApp(ctx: Context, current: DeveloperApp, change: SettingsChange): Promise<{ app: DeveloperApp; reauthorize: boolean; credentials: Credentials }> {
  const { app, client } = current;
  if (change.callbackUrls) {
    const p = callbackUrlsProblem(change.callbackUrls);
    if (p) throw InvalidRequest.one('callback_urls', change.callbackUrls, `The \`callback_urls\` body field is invalid: ${p}`);
  }
  if (change.name !== undefined) await ctx.repos.apps.rename(app.id, checkName(change.name));
  let reauthorize = false;
  if (change.permission && change.permission !== app.permission) {
    await ctx.repos.transaction(async (r) => {
      await r.oauth1.setAppPermission(app.id, change.permission!);
      await r.apps.revokeUserAuthorizations(app.id);
    });
    ctx.auth.forgetApp(app.id);
    reauthorize = true;
  }
  const credentials: Credentials = {};
  const type = change.type ?? client?.clientType ?? 'confidential';
  if (change.callbackUrls || (change.type && change.type !== client?.clientType)) {
    const keepSecret = client && client.clientType === 'confidential' && type === 'confidential';
    const made = await createOAuth2Client(ctx, {
      appId: app.id,
      type,
      clientId: client?.clientId,
      redirectUris: change.callbackUrls ?? client?.redirectUris ?? DEFAULT_REDIRECT_URIS,
    });
    if (keepSecret) await ctx.repos.oauth2.putClient({ ...(await ctx.repos.oauth2.clientOfApp(app.id))!, clientSecretHash: client.clientSecretHash });
    else if (made.clientSecret) credentials.clientSecret = made.clientSecret;
  }
  return { app: { app: (await ctx.repos.apps.byId(app.id))!, client: await ctx.repos.oauth2.clientOfApp(app.id) }, reauthorize, credentials };
}

/** A new value of one credential; the old one stops working at once. */
export async function regenerateCredential(ctx: Context, current: DeveloperApp, kind: CredentialKind): Promise<Credentials> {
  const { app, client } = current;
  switch (kind) {
    case 'consumer-keys': {
      const apiKey = randomAlnum(25);
      await ctx.repos.apps.setConsumerKey(app.id, apiKey);
      return { apiKey, apiKeySecret: await rotateConsumerSecret(ctx, app.id) };
    }
    case 'bearer-token': {
      await invalidateBearer(ctx, app.id);
      return { bearerToken: await issueBearer(ctx, (await ctx.repos.apps.byId(app.id))!) };
    }
    case 'oauth2-client': {
      const made = await createOAuth2Client(ctx, { appId: app.id, type: client?.clientType ?? 'confidential', redirectUris: client?.redirectUris ?? DEFAULT_REDIRECT_URIS });
      return { clientId: made.clientId, clientSecret: made.clientSecret };
    }
    case 'access-token': {
      const t = await mintOAuth1AccessToken(ctx, { appId: app.id, userId: app.ownerUserId, permission: app.permission as AppPermission, revokeOthers: true });
      return { accessToken: t.token, accessTokenSecret: t.secret };
    }
  }
}

export interface TestUserToken {
  kind: 'oauth2' | 'oauth1';
  accessToken: string;
  accessTokenSecret?: string;
  scopes?: readonly string[];
  expiresAt: number | null;
}

/** A user-context token of the app for a user of the demo world (every OAuth 2.0 scope, or OAuth 1.0a at the app's level). */
export async function mintTestUserToken(ctx: Context, app: AppRow, user: UserRow, kind: 'oauth2' | 'oauth1', expiresInS?: number): Promise<TestUserToken> {
  if (kind === 'oauth1') {
    const t = await mintOAuth1AccessToken(ctx, { appId: app.id, userId: user.id, permission: app.permission as AppPermission });
    return { kind, accessToken: t.token, accessTokenSecret: t.secret, expiresAt: null };
  }
  const expiresAt = expiresInS === undefined ? null : ctx.clock.now() + expiresInS * 1000;
  const accessToken = await mintUserToken(ctx, { appId: app.id, userId: user.id, scopes: ALL_SCOPES, expiresAt });
  return { kind, accessToken, scopes: ALL_SCOPES, expiresAt };
}

/**
 * An app-only bearer token for the console's own calls through the SDK (rules, stream viewer, explorer), so the
 * console never needs the app's real bearer token after showing it. It expires soon, and regenerating the app's
 * bearer token revokes it too.
 */
export async function mintConsoleToken(ctx: Context, app: AppRow): Promise<{ token: string; expiresAt: number }> {
  const token = `AAAAAAAAAAAAAAAAAAAAA${app.id}AAAAAAAconsole${randomToken(30)}`;
  const now = ctx.clock.now();
  const expiresAt = now + CONSOLE_TOKEN_TTL_MS;
  await ctx.repos.apps.putToken({ tokenHash: hashSecret(token), kind: 'app', appId: app.id, userId: null, scopes: [], expiresAt, createdAt: now });
  return { token, expiresAt };
}
