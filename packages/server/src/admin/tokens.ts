/** User credentials minted on demand: an OAuth 2.0 user token with chosen scopes, or an OAuth 1.0a token pair. */
import { ALL_SCOPES, mintUserToken } from '../auth/issue.js';
import { mintOAuth1AccessToken } from '../auth/oauth1.js';
import type { AppPermission } from '../data/oauth1.js';
import type { OAuth1TokenJson, OAuth2TokenJson } from './protocol.js';
import { adminRoute } from './route.js';
import { resolveApp, resolveUser } from './views.js';

export const createOAuth2Token = adminRoute({
  id: 'createOAuth2Token',
  summary: 'Mints an OAuth 2.0 user access token (as the PKCE flow would grant) for a user of an app.',
  auth: 'admin',
  body: {
    user: { type: 'string', required: true, description: 'the user, by id or @username' },
    scopes: { type: 'strings', description: 'OAuth 2.0 scopes (default: every scope)' },
    app: { type: 'string', description: 'app id (default: the default app)' },
    expires_in_s: { type: 'integer', min: 1, description: 'lifetime on the server clock (default: never expires)' },
  },
  async handle({ ctx, body }) {
    const user = await resolveUser(ctx, body.user);
    const app = await resolveApp(ctx, body.app);
    const scopes = body.scopes ?? ALL_SCOPES;
    const expiresAt = body.expires_in_s === undefined ? null : ctx.clock.now() + body.expires_in_s * 1000;
    const token = await mintUserToken(ctx, { appId: app.id, userId: user.id, scopes, expiresAt });
    const out: OAuth2TokenJson = { access_token: token, token_type: 'bearer', scope: scopes.join(' '), user_id: user.id, app_id: app.id };
    return { status: 201, body: out };
  },
});

export const createOAuth1Token = adminRoute({
  id: 'createOAuth1Token',
  summary: "Mints an OAuth 1.0a access token and secret (as the 3-legged flow would) for a user of an app, at the app's permission level.",
  auth: 'admin',
  body: {
    user: { type: 'string', required: true, description: 'the user, by id or @username' },
    app: { type: 'string', description: 'app id (default: the default app)' },
  },
  async handle({ ctx, body }) {
    const user = await resolveUser(ctx, body.user);
    const app = await resolveApp(ctx, body.app);
    const t = await mintOAuth1AccessToken(ctx, { appId: app.id, userId: user.id, permission: app.permission as AppPermission });
    const out: OAuth1TokenJson = { oauth_token: t.token, oauth_token_secret: t.secret, user_id: user.id, screen_name: user.username, app_id: app.id };
    return { status: 201, body: out };
  },
});
