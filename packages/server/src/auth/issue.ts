import { oauth2Scopes } from '@roost/contract';
import type { Context } from '../context.js';
import { deriveBearer, hashSecret, randomAlnum, randomToken } from './tokens.js';
import type { AppRow } from '../data/rows.js';
import { InvalidRequest } from '../errors.js';
import { consumerSecretContext } from './oauth1.js';

// X grants `block.write` (blocking writes, http/blocking-routes.ts) though spec 2.167 no longer lists it.
export const ALL_SCOPES: readonly string[] = [...oauth2Scopes, 'block.write'];

/** Mints an OAuth 2.0-style user access token; only its hash is stored, the clear token is returned once. */
export async function mintUserToken(
  ctx: Context,
  opts: { appId: string; userId: string; scopes?: readonly string[]; token?: string; expiresAt?: number | null },
): Promise<string> {
  const scopes = [...(opts.scopes ?? ALL_SCOPES)];
  const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
  if (unknown.length) throw InvalidRequest.one('scopes', unknown, `Unknown scopes: [${unknown.join(', ')}]`);
  const token = opts.token ?? randomToken(40);
  await ctx.repos.apps.putToken({
    tokenHash: hashSecret(token),
    kind: 'user',
    appId: opts.appId,
    userId: opts.userId,
    scopes,
    expiresAt: opts.expiresAt ?? null,
    createdAt: ctx.clock.now(),
  });
  ctx.auth.forget(token);
  return token;
}

export interface CreatedApp {
  id: string;
  consumerKey: string;
  consumerSecret: string;
}

/**
 * Creates an app; the consumer secret is returned once and stored hashed. A fixed key and secret (CI settings)
 * replace the random ones.
 */
export async function createApp(
  ctx: Context,
  opts: { name: string; ownerUserId: string; consumerKey?: string; consumerSecret?: string },
): Promise<CreatedApp> {
  const id = ctx.ids.next();
  const consumerKey = opts.consumerKey ?? randomAlnum(25);
  const consumerSecret = opts.consumerSecret ?? randomAlnum(50);
  await ctx.repos.apps.insertApp({
    id,
    name: opts.name,
    ownerUserId: opts.ownerUserId,
    consumerKey,
    consumerSecretHash: hashSecret(consumerSecret),
    bearerGeneration: 0,
    permission: 'read-write-dm',
    createdAt: ctx.clock.now(),
  });
  // OAuth 1.0a signatures need the secret in clear: kept sealed next to the hash.
  await ctx.repos.oauth1.setConsumerSecret(id, ctx.box.seal(consumerSecret, consumerSecretContext(id)), hashSecret(consumerSecret));
  return { id, consumerKey, consumerSecret };
}

/**
 * Whether a user has authorized an app: they hold an OAuth 2.0 (or CLI) user token of it that has not expired, or
 * an OAuth 1.0a access token. Private events of the X Activity API need this consent.
 */
export async function hasAuthorized(ctx: Pick<Context, 'repos' | 'clock'>, userId: string, appId: string): Promise<boolean> {
  return (await ctx.repos.apps.hasUserToken(userId, appId, ctx.clock.now())) || (await ctx.repos.oauth1.hasAccessToken(userId, appId));
}

/** The bearer token an app currently has (fixed by ROOST_BEARER_TOKEN for the default app, else derived). */
export function currentBearer(ctx: Context, app: AppRow, defaultAppId: string | null): string {
  if (ctx.config.bearerToken && app.id === defaultAppId && app.bearerGeneration === 0) return ctx.config.bearerToken;
  return deriveBearer(ctx.serverSecret, app.id, app.bearerGeneration);
}

export async function issueBearer(ctx: Context, app: AppRow): Promise<string> {
  const defaultAppId = (await ctx.repos.apps.getSetting('default_app_id')) ?? null;
  const token = currentBearer(ctx, app, defaultAppId);
  await ctx.repos.apps.putToken({
    tokenHash: hashSecret(token),
    kind: 'app',
    appId: app.id,
    userId: null,
    scopes: [],
    expiresAt: null,
    createdAt: ctx.clock.now(),
  });
  return token;
}

/** Invalidates the app's bearer token: every app-only token of the app stops working at once (on this node). */
export async function invalidateBearer(ctx: Context, appId: string): Promise<void> {
  await ctx.repos.apps.deleteAppBearerTokens(appId);
  await ctx.repos.apps.bumpBearerGeneration(appId);
  ctx.auth.forgetApp(appId);
}
