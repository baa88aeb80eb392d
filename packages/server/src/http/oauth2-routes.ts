/**
 * OAuth 2.0 Authorization Code with PKCE over HTTP (FACTS §7.3). Not contract operations, so routed here:
 *   GET|POST /i/oauth2/authorize, /2/oauth2/authorize   consent page (a Roost username, no password) and its answer
 *   POST /2/oauth2/token                                authorization_code and refresh_token grants
 *   POST /2/oauth2/revoke                               access or refresh token
 * Parameters are read from the query string, a form body or a JSON body alike (real clients use all three).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import {
  authenticateClient,
  checkAuthorizeRequest,
  issueCode,
  OAuth2Error,
  revokeToken,
  tokenGrant,
  type AuthorizeCheck,
  type Params,
} from '../auth/oauth2.js';
import { ConsentGuard, consentHeaders } from './consent-guard.js';
import { registerWithTransactionId } from './scoped-routes.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const AUTHORIZE_PATHS = ['/i/oauth2/authorize', '/2/oauth2/authorize'];

/** Query string first, then the body (form or JSON object) on top; only string values count. */
function paramsOf(req: FastifyRequest): Params {
  const out: Params = {};
  for (const src of [req.query, req.body]) {
    if (!src || typeof src !== 'object' || Array.isArray(src)) continue;
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
    }
  }
  return out;
}

export function registerOAuth2Routes(app: FastifyInstance, ctx: Context): void {
  registerWithTransactionId(app, ctx, routes);
}

async function oauthJson(reply: FastifyReply, work: () => Promise<unknown>) {
  try {
    const body = await work();
    return reply.status(200).type(JSON_TYPE).header('cache-control', 'no-store').header('pragma', 'no-cache').send(body);
  } catch (err) {
    if (err instanceof OAuth2Error) return reply.status(err.status).type(JSON_TYPE).send(err.body());
    throw err;
  }
}

/** What a consent form authorizes: the request it was rendered for (its CSRF token is bound to these). */
const consentPurpose = (p: Params) => `oauth2:${FORWARDED.map((k) => `${k}=${p[k] ?? ''}`).join('&')}`;

function routes(app: FastifyInstance, ctx: Context): void {
  const guard = new ConsentGuard(ctx.serverSecret, () => ctx.clock.now(), ctx.config.publicUrl);

  app.post('/2/oauth2/token', async (req, reply) =>
    oauthJson(reply, async () => {
      const p = paramsOf(req);
      const client = await authenticateClient(ctx, req.headers.authorization, p);
      return tokenGrant(ctx, client, p);
    }),
  );

  app.post('/2/oauth2/revoke', async (req, reply) =>
    oauthJson(reply, async () => {
      const p = paramsOf(req);
      const client = await authenticateClient(ctx, req.headers.authorization, p);
      return revokeToken(ctx, client, p);
    }),
  );

  for (const path of AUTHORIZE_PATHS) {
    app.get(path, async (req, reply) => {
      const p = paramsOf(req);
      const check = await checkAuthorizeRequest(ctx, p);
      if (check.kind !== 'ok') return answerFailure(reply, check);
      return consentHeaders(reply.status(200).type(HTML_TYPE)).send(consentPage(path, p, check, guard.token(consentPurpose(p))));
    });

    app.post(path, async (req, reply) => {
      const p = paramsOf(req);
      if (guard.crossSite(req)) return consentHeaders(reply.status(403).type(HTML_TYPE)).send(errorPage('This form was sent from another site.'));
      const check = await checkAuthorizeRequest(ctx, p);
      if (check.kind !== 'ok') return answerFailure(reply, check);
      if (!guard.valid(p.csrf, consentPurpose(p))) {
        return consentHeaders(reply.status(400).type(HTML_TYPE)).send(errorPage('This page is no longer valid. Go back to the application and try again.'));
      }
      if (p.decision !== 'authorize') {
        return redirect(reply, check.redirectUri, { error: 'access_denied', state: check.state });
      }
      const username = (p.username ?? '').trim().replace(/^@/, '');
      const user = username ? (await ctx.repos.users.byUsernames([username])).get(username.toLowerCase()) : undefined;
      if (!user || user.suspended) {
        const problem = !username ? 'Type the username of the Roost account to sign in as.' : !user ? `There is no account @${username}.` : `@${user.username} is suspended.`;
        return consentHeaders(reply.status(200).type(HTML_TYPE)).send(consentPage(path, p, check, guard.token(consentPurpose(p)), problem));
      }
      const code = await issueCode(ctx, {
        appId: check.client.appId,
        userId: user.id,
        scopes: check.scopes,
        redirectUri: check.redirectUri,
        codeChallenge: check.codeChallenge,
        challengeMethod: check.challengeMethod,
      });
      return redirect(reply, check.redirectUri, { state: check.state, code });
    });
  }
}

function answerFailure(reply: FastifyReply, check: Exclude<AuthorizeCheck, { kind: 'ok' }>) {
  if (check.kind === 'page-error') return consentHeaders(reply.status(400).type(HTML_TYPE)).send(errorPage(check.message));
  return redirect(reply, check.redirectUri, { error: check.error, error_description: check.description, state: check.state });
}

/** Appends parameters to the registered redirect URI, keeping any query it already has. */
function redirectTarget(uri: string, params: Record<string, string | undefined>): string {
  const extra = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) extra.set(k, v);
  const hash = uri.indexOf('#');
  const base = hash >= 0 ? uri.slice(0, hash) : uri;
  return `${base}${base.includes('?') ? '&' : '?'}${extra.toString()}`;
}

function redirect(reply: FastifyReply, uri: string, params: Record<string, string | undefined>) {
  return reply.status(302).header('location', redirectTarget(uri, params)).header('cache-control', 'no-store').send();
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const SCOPE_TEXT: Record<string, string> = {
  'tweet.read': 'Read posts you can see, including from protected accounts',
  'tweet.write': 'Post and repost for you',
  'tweet.moderate.write': 'Hide and unhide replies to your posts',
  'users.read': 'Read any account you can see',
  'users.email': 'See your email address',
  'follows.read': 'See who follows you and whom you follow',
  'follows.write': 'Follow and unfollow accounts for you',
  'offline.access': 'Stay connected to your account until you revoke access',
  'space.read': 'Read Spaces you can see',
  'mute.read': 'See accounts you muted',
  'mute.write': 'Mute and unmute accounts for you',
  'like.read': 'See posts you liked and likes you can view',
  'like.write': 'Like and unlike posts for you',
  'list.read': 'Read lists and their members',
  'list.write': 'Create and manage lists for you',
  'block.read': 'See accounts you blocked',
  'block.write': 'Block and unblock accounts for you',
  'bookmark.read': 'Read your bookmarks',
  'bookmark.write': 'Bookmark and remove bookmarks for you',
  'dm.read': 'Read your direct messages',
  'dm.write': 'Send direct messages for you',
  'media.write': 'Upload media for you',
  'timeline.read': 'Read your timelines',
  'broadcast.read': 'See your scheduled broadcasts',
  'broadcast.write': 'Schedule broadcasts, take them live and chat in broadcasts for you',
};

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#0f1419}' +
  'h1{font-size:1.4rem}ul{padding-left:1.2rem}li{margin:.3rem 0}code{font-size:.85em;color:#536471}' +
  'label{display:block;margin:1rem 0 .3rem;font-weight:600}input[type=text]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}' +
  'button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem;font-size:1rem;border-radius:999px;border:1px solid #cfd9de;background:#fff;cursor:pointer}' +
  'button.primary{background:#0f1419;color:#fff;border-color:#0f1419}.problem{color:#b00020}.note{color:#536471;font-size:.9rem}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

const FORWARDED = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'];

function consentPage(path: string, p: Params, check: Extract<AuthorizeCheck, { kind: 'ok' }>, csrf: string, problem?: string): string {
  const hidden =
    FORWARDED.filter((k) => p[k] !== undefined)
      .map((k) => `<input type="hidden" name="${k}" value="${esc(p[k]!)}">`)
      .join('') + `<input type="hidden" name="csrf" value="${esc(csrf)}">`;
  const scopes = check.scopes.map((s) => `<li>${esc(SCOPE_TEXT[s] ?? s)} <code>${esc(s)}</code></li>`).join('');
  return page(
    `Authorize ${check.appName}`,
    `<h1><strong>${esc(check.appName)}</strong> wants to access your Roost account</h1>` +
      `<p>It will be able to:</p><ul id="scopes">${scopes}</ul>` +
      `<form method="post" action="${esc(path)}">${hidden}` +
      (problem ? `<p class="problem" role="alert">${esc(problem)}</p>` : '') +
      `<label for="username">Sign in as (username)</label>` +
      `<input type="text" id="username" name="username" autocomplete="username" value="${esc(p.username ?? '')}" placeholder="XDevelopers">` +
      `<button class="primary" type="submit" name="decision" value="authorize">Authorize app</button>` +
      `<button type="submit" name="decision" value="cancel">Cancel</button></form>` +
      `<p class="note">Roost is an emulator: no password is asked. You will be sent back to <code>${esc(check.redirectUri)}</code>.</p>`,
  );
}

function errorPage(message: string): string {
  return page(
    'Something went wrong',
    `<h1>Something went wrong</h1><p>You weren’t able to give access to the App. Go back and try logging in again.</p>` +
      `<p class="problem" id="reason">${esc(message)}</p>`,
  );
}
