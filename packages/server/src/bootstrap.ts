/**
 * First-start work: the demo world, the default app owned by @XDevelopers, and the fixed CI credentials.
 * Idempotent: later starts find everything in place and only re-assert the configured tokens.
 */
import type { Context } from './context.js';
import { createApp, mintUserToken, type CreatedApp } from './auth/issue.js';
import { issueBearer } from './http/oauth2-app.js';
import { createOAuth2Client, type CreatedClient } from './auth/oauth2.js';
import { seedWorld } from './seed/world.js';
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
}

export async function bootstrap(ctx: Context, opts: { onProgress?: (done: number, total: number, phase: string) => void } = {}): Promise<BootstrapReport> {
  const { repos, config } = ctx;
  let seeded = false;
  if (config.seed !== null && (await repos.users.count()) === 0) {
    await seedWorld(ctx.store, { seed: config.seed, ...config.world, now: ctx.clock.now(), onProgress: opts.onProgress });
    seeded = true;
  }
  if (!(await repos.users.byIds([XDEVELOPERS_ID])).size) await repos.users.insertMany([xdevelopersUser()]);

  let createdApp: CreatedApp | undefined;
  let appId = await repos.apps.getSetting('default_app_id');
  if (!appId) {
    createdApp = await createApp(ctx, { name: 'Roost default app', ownerUserId: XDEVELOPERS_ID });
    appId = await repos.apps.ensureSetting('default_app_id', createdApp.id);
  }
  const app = (await repos.apps.byId(appId))!;
  const bearerToken = await issueBearer(ctx, app);
  // A confidential client with loopback callbacks; databases made before OAuth 2.0 existed get one at their next start.
  const createdClient = (await repos.oauth2.clientOfApp(appId)) ? undefined : await createOAuth2Client(ctx, { appId, type: 'confidential' });

  let userToken: string | undefined;
  if (config.userToken) {
    userToken = await mintUserToken(ctx, { appId, userId: XDEVELOPERS_ID, token: config.userToken });
  } else if (createdApp) {
    userToken = await mintUserToken(ctx, { appId, userId: XDEVELOPERS_ID });
  }
  return { seeded, appId, createdApp, createdClient, bearerToken, userToken };
}
