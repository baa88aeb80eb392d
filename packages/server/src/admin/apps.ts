/** Apps as the CLI's `apps list` / `apps show` print them (secrets are never shown again). */
import type { Context } from '../context.js';
import type { AppRow } from '../data/rows.js';
import { PROBLEMS, ProblemError } from '../errors.js';
import type { AppJson } from './protocol.js';
import { adminRoute } from './route.js';

export async function appJson(ctx: Context, app: AppRow, defaultId: string | undefined): Promise<AppJson> {
  const owner = (await ctx.repos.users.byIds([app.ownerUserId])).get(app.ownerUserId);
  const client = await ctx.repos.oauth2.clientOfApp(app.id);
  return {
    id: app.id,
    name: app.name,
    owner_id: app.ownerUserId,
    owner_username: owner?.username ?? null,
    consumer_key: app.consumerKey,
    permission: app.permission,
    created_at: new Date(app.createdAt).toISOString(),
    default: app.id === defaultId,
    oauth2_client: client ? { client_id: client.clientId, client_type: client.clientType, redirect_uris: [...client.redirectUris] } : null,
  };
}

export const listApps = adminRoute({
  id: 'listApps',
  summary: 'Every app, oldest first.',
  auth: 'admin',
  async handle({ ctx }) {
    const defaultId = await ctx.repos.apps.getSetting('default_app_id');
    const data = [];
    for (const a of await ctx.repos.apps.list()) data.push(await appJson(ctx, a, defaultId));
    return { body: { data } };
  },
});

export const getApp = adminRoute({
  id: 'getApp',
  summary: 'One app.',
  auth: 'admin',
  async handle({ ctx, params }) {
    const app = /^\d{1,19}$/.test(params.id!) ? await ctx.repos.apps.byId(params.id!) : undefined;
    if (!app) throw new ProblemError(404, { title: 'Not Found Error', detail: `Could not find app with id: [${params.id}].`, type: `${PROBLEMS}resource-not-found` });
    return { body: { data: await appJson(ctx, app, await ctx.repos.apps.getSetting('default_app_id')) } };
  },
});
