/** A developer's apps: list, create, show, change, delete; credentials regenerated; user and console tokens. */
import { CREDENTIAL_KINDS, PERMISSION_LEVELS, type UserTokenJson } from '../../../sdk/src/console.js';
import {
  createDeveloperApp,
  deleteDeveloperApp,
  developerApps,
  mintConsoleToken as mintToken,
  mintTestUserToken,
  ownedApp,
  regenerateCredential as regenerate,
  updateDeveloperApp,
  type CredentialKind,
} from '../domain/developer-apps.js';
import { InvalidRequest } from '../errors.js';
import { resolveUser } from '../admin/views.js';
import { consoleAppJson, credentialsJson } from './views.js';
import { consoleRoute } from './route.js';

const APP_TYPES = ['confidential', 'public'] as const;

export const listApps = consoleRoute({
  id: 'listApps',
  summary: "The developer's apps, oldest first.",
  auth: 'session',
  async handle({ ctx, developer }) {
    return { body: { data: (await developerApps(ctx, developer)).map(consoleAppJson) } };
  },
});

export const createApp = consoleRoute({
  id: 'createApp',
  summary: 'Creates an app; its credentials are in the answer, once.',
  auth: 'session',
  body: {
    name: { type: 'string', required: true, description: 'the app name (1-32 characters)' },
    app_type: { type: 'string', enum: APP_TYPES, description: 'confidential (web app, bot) or public (native app, SPA); default confidential' },
  },
  async handle({ ctx, developer, body }) {
    const made = await createDeveloperApp(ctx, developer, { name: body.name, type: body.app_type ?? 'confidential' });
    return { status: 201, body: { app: consoleAppJson(made.app), credentials: credentialsJson(made.credentials) } };
  },
});

export const getApp = consoleRoute({
  id: 'getApp',
  summary: 'One app (credentials are never shown again).',
  auth: 'session',
  async handle({ ctx, developer, params }) {
    return { body: { app: consoleAppJson(await ownedApp(ctx, developer, params.id!)) } };
  },
});

export const updateApp = consoleRoute({
  id: 'updateApp',
  summary: 'Renames an app or changes its OAuth settings (a new permission level revokes user authorizations).',
  auth: 'session',
  body: {
    name: { type: 'string', description: 'the app name' },
    permission: { type: 'string', enum: PERMISSION_LEVELS, description: 'read, read-write or read-write-dm' },
    app_type: { type: 'string', enum: APP_TYPES, description: 'confidential or public' },
    callback_urls: { type: 'strings', description: 'callback URLs, exact match, at most 10 (loopback allowed)' },
  },
  async handle({ ctx, developer, params, body }) {
    const current = await ownedApp(ctx, developer, params.id!);
    const r = await updateDeveloperApp(ctx, current, { name: body.name, permission: body.permission, type: body.app_type, callbackUrls: body.callback_urls });
    return { body: { app: consoleAppJson(r.app), reauthorization_required: r.reauthorize, credentials: credentialsJson(r.credentials) } };
  },
});

export const deleteApp = consoleRoute({
  id: 'deleteApp',
  summary: 'Deletes an app and every credential of it.',
  auth: 'session',
  async handle({ ctx, developer, params }) {
    const { app } = await ownedApp(ctx, developer, params.id!);
    await deleteDeveloperApp(ctx, app);
    return { body: { deleted: true } };
  },
});

export const regenerateCredential = consoleRoute({
  id: 'regenerateCredential',
  summary: 'A new value of one credential, shown once; the old value stops working at once.',
  auth: 'session',
  async handle({ ctx, developer, params }) {
    const kind = params.kind as CredentialKind;
    if (!CREDENTIAL_KINDS.includes(kind)) {
      throw InvalidRequest.one('kind', [params.kind!], `The \`kind\` path parameter value [${params.kind}] is not one of [${CREDENTIAL_KINDS.join(',')}]`);
    }
    const current = await ownedApp(ctx, developer, params.id!);
    return { body: { credentials: credentialsJson(await regenerate(ctx, current, kind)) } };
  },
});

export const mintUserToken = consoleRoute({
  id: 'mintUserToken',
  summary: 'A user-context token of the app for a user of the demo world.',
  auth: 'session',
  body: {
    user: { type: 'string', required: true, description: 'the user, by id or @username' },
    kind: { type: 'string', enum: ['oauth2', 'oauth1'], description: 'OAuth 2.0 (every scope; default) or OAuth 1.0a (the app level)' },
    expires_in_s: { type: 'integer', min: 60, max: 86_400, description: 'OAuth 2.0: lifetime (default: none)' },
  },
  async handle({ ctx, developer, params, body }) {
    const { app } = await ownedApp(ctx, developer, params.id!);
    const user = await resolveUser(ctx, body.user);
    const t = await mintTestUserToken(ctx, app, user, body.kind ?? 'oauth2', body.expires_in_s);
    const out: UserTokenJson = {
      user_id: user.id,
      username: user.username,
      kind: t.kind,
      access_token: t.accessToken,
      expires_at: t.expiresAt === null ? null : new Date(t.expiresAt).toISOString(),
    };
    if (t.accessTokenSecret) out.access_token_secret = t.accessTokenSecret;
    if (t.scopes) out.scope = t.scopes.join(' ');
    return { status: 201, body: out };
  },
});

export const mintConsoleToken = consoleRoute({
  id: 'mintConsoleToken',
  summary: "A short-lived app-only token for the console's own SDK calls (rules, stream viewer, explorer, world).",
  auth: 'session',
  async handle({ ctx, developer, params }) {
    const { app } = await ownedApp(ctx, developer, params.id!);
    const t = await mintToken(ctx, app);
    return { status: 201, body: { bearer_token: t.token, expires_at: new Date(t.expiresAt).toISOString() } };
  },
});
