/**
 * First-start work: the demo world, the default app owned by @XDevelopers, its OAuth 2.0 client, a user token and
 * an OAuth 1.0a token pair for @XDevelopers, and the fixed CI credentials. Idempotent: later starts find everything
 * in place and only re-assert the configured credentials.
 */
import type { Context } from './context.js';
import { createApp, mintUserToken, type CreatedApp } from './auth/issue.js';
import { issueBearer } from './auth/issue.js';
import { createOAuth2Client, type CreatedClient } from './auth/oauth2.js';
import { consumerSecretContext, mintOAuth1AccessToken, type IssuedOAuth1Token } from './auth/oauth1.js';
import { hashSecret } from './auth/tokens.js';
import type { AppPermission } from './data/oauth1.js';
import { seedExtras } from './seed/extras.js';
import { seedWorld, type SeedPhase } from './seed/world.js';
import { XDEVELOPERS_ID, xdevelopersUser } from './seed/anchor.js';

export interface BootstrapReport {
  seeded: boolean;
  appId: string;
  createdApp?: CreatedApp;
  /** The default app's OAuth 2.0 client, when made at this start (its secret is shown once). */
  createdClient?: CreatedClient;
  bearerToken: string;
  /** A user token minted now (first start), or the configured one. */
  userToken?: string;
  /** An OAuth 1.0a access token pair for @XDevelopers minted now (first start), or the configured one. */
  oauth1?: IssuedOAuth1Token;
}

export interface BootstrapOptions {
  onProgress?: (done: number, total: number, phase: SeedPhase) => void;
  /** Called before the demo world is written (an interruption from here on loses only the world, redone next start). */
  onSeeding?: () => void;
  /** Called once the world is committed. */
  onSeeded?: () => void;
}

export async function bootstrap(ctx: Context, opts: BootstrapOptions = {}): Promise<BootstrapReport> {
  const { repos, config } = ctx;
  const fixed = config.fixed;
  let seeded = false;
  if (config.seed !== null && (await repos.users.count()) === 0) {
    opts.onSeeding?.();
    // Atomic (one transaction): an interrupted first start leaves no users, so this start seeds again.
    await seedWorld(ctx.store, { seed: config.seed, ...config.world, now: ctx.clock.now(), onProgress: opts.onProgress });
    await seedExtras(ctx.store, { seed: config.seed, now: ctx.clock.now() });
    seeded = true;
    opts.onSeeded?.();
  }
  if (!(await repos.users.byIds([XDEVELOPERS_ID])).size) await repos.users.insertMany([xdevelopersUser()]);

  let createdApp: CreatedApp | undefined;
  let appId = await repos.apps.getSetting('default_app_id');
  if (!appId) {
    createdApp = await createApp(ctx, {
      name: 'Roost default app',
      ownerUserId: XDEVELOPERS_ID,
      consumerKey: fixed.consumerKey ?? undefined,
      consumerSecret: fixed.consumerSecret ?? undefined,
    });
    appId = await repos.apps.ensureSetting('default_app_id', createdApp.id);
  } else if (fixed.consumerKey && fixed.consumerSecret) {
    await pinConsumerCredentials(ctx, appId, fixed.consumerKey, fixed.consumerSecret);
  }
  const app = (await repos.apps.byId(appId))!;
  const bearerToken = await issueBearer(ctx, app);

  // A confidential client with loopback callbacks; databases made before OAuth 2.0 existed get one at their next start.
  const client = await repos.oauth2.clientOfApp(appId);
  let createdClient: CreatedClient | undefined;
  if (!client) {
    createdClient = await createOAuth2Client(ctx, { appId, type: 'confidential', clientId: fixed.clientId ?? undefined, clientSecret: fixed.clientSecret ?? undefined });
  } else if (fixed.clientId && fixed.clientSecret && (client.clientId !== fixed.clientId || client.clientSecretHash !== hashSecret(fixed.clientSecret))) {
    await createOAuth2Client(ctx, { appId, type: 'confidential', redirectUris: client.redirectUris, clientId: fixed.clientId, clientSecret: fixed.clientSecret });
  }

  let userToken: string | undefined;
  if (config.userToken) {
    userToken = await mintUserToken(ctx, { appId, userId: XDEVELOPERS_ID, token: config.userToken });
  } else if (createdApp) {
    userToken = await mintUserToken(ctx, { appId, userId: XDEVELOPERS_ID });
  }

  let oauth1: IssuedOAuth1Token | undefined;
  const permission = app.permission as AppPermission;
  if (fixed.accessToken && fixed.accessTokenSecret) {
    oauth1 = { token: fixed.accessToken, secret: fixed.accessTokenSecret };
    if (!(await repos.oauth1.tokenByHash(hashSecret(fixed.accessToken)))) {
      await mintOAuth1AccessToken(ctx, { appId, userId: XDEVELOPERS_ID, permission, token: fixed.accessToken, secret: fixed.accessTokenSecret });
    }
  } else if (createdApp) {
    oauth1 = await mintOAuth1AccessToken(ctx, { appId, userId: XDEVELOPERS_ID, permission });
  }
  return { seeded, appId, createdApp, createdClient, bearerToken, userToken, oauth1 };
}

/** The default app takes the configured consumer key and secret (when they changed since the last start). */
async function pinConsumerCredentials(ctx: Context, appId: string, key: string, secret: string): Promise<void> {
  const app = await ctx.repos.apps.byId(appId);
  if (!app) return;
  if (app.consumerKey !== key) await ctx.repos.apps.setConsumerKey(appId, key);
  if (app.consumerSecretHash !== hashSecret(secret)) {
    await ctx.repos.oauth1.setConsumerSecret(appId, ctx.box.seal(secret, consumerSecretContext(appId)), hashSecret(secret));
  }
}
