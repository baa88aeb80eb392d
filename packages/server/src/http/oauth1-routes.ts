/**
 * OAuth 1.0a three-legged flow and the v1.1 endpoints clients call around it (FACTS §7.2, REAL-CLIENTS.md):
 * `POST /oauth/request_token`, `GET|POST /oauth/authorize` and `/oauth/authenticate` (the consent page),
 * `POST /oauth/access_token`, `POST /1.1/oauth/invalidate_token`, `GET /1.1/account/verify_credentials.json`.
 * Not contract operations. Failures answer X's v1.1 bodies (code 32, or 89 for tokens).
 */
import { legacyTime } from '../util/legacy-time.js';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import { parseAuthorization } from '../auth/authenticate.js';
import {
  lowerPermission,
  mintOAuth1AccessToken,
  OAuth1Error,
  OAuth1Service,
  tokenSecretContext,
  type OAuth1Check,
} from '../auth/oauth1.js';
import { hashSecret, randomAlnum } from '../auth/tokens.js';
import { callbackRegistered } from '../auth/oauth2.js';
import type { AppPermission, OAuth1TokenRow } from '../data/oauth1.js';
import type { UserRow } from '../data/rows.js';
import { authRequestOf } from './auth-request.js';
import { ConsentGuard, consentHeaders } from './consent-guard.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const HTML_TYPE = 'text/html; charset=utf-8';
/** How long a request token may wait for the user and the access_token exchange. */
export const REQUEST_TOKEN_TTL_MS = 15 * 60_000;
const SESSION_COOKIE = 'roost_oauth_session';

const CANNOT_AUTHENTICATE = { errors: [{ code: 32, message: 'Could not authenticate you.' }] };
const INVALID_TOKEN = { errors: [{ code: 89, message: 'Invalid or expired token.' }] };
const CALLBACK_NOT_APPROVED = {
  errors: [{ code: 415, message: 'Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings' }],
};

const PERMISSION_TEXT: Record<AppPermission, string> = {
  read: 'Read posts and profile information',
  'read-write': 'Read and write posts and profile information',
  'read-write-dm': 'Read and write posts, profile information and Direct Messages',
};

const formEncode = (o: Record<string, string>) => new URLSearchParams(o).toString();
const first = (v: unknown): string | undefined => (Array.isArray(v) ? first(v[0]) : typeof v === 'string' ? v : undefined);
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerOAuth1Routes(app: FastifyInstance, ctx: Context): void {
  const svc = ctx.auth.oauth1 instanceof OAuth1Service ? ctx.auth.oauth1 : new OAuth1Service(ctx);
  app.register(async (scope) => {
    // Signed form parameters may repeat (RFC 5849 §3.4.1.3): keep every value, unlike the API routes' parser.
    scope.removeContentTypeParser(FORM_TYPE);
    scope.addContentTypeParser(FORM_TYPE, { parseAs: 'string' }, (_req, body, done) => {
      const out: Record<string, string | string[]> = Object.create(null);
      for (const [k, v] of new URLSearchParams(String(body))) {
        const prev = out[k];
        out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      done(null, out);
    });
    scope.addHook('onRequest', async (req, reply) => {
      reply.header('x-transaction-id', req.id);
    });
    routes(scope, ctx, svc);
  });
}

function routes(app: FastifyInstance, ctx: Context, svc: OAuth1Service): void {
  const { repos, clock } = ctx;

  /** Verifies the request's signature; on failure answers X's v1.1 401 and returns null. */
  async function signed(req: FastifyRequest, reply: FastifyReply, mode: 'consumer' | 'request' | 'access'): Promise<OAuth1Check | null> {
    const creds = parseAuthorization(req.headers.authorization);
    try {
      if (creds.type !== 'oauth1') throw new OAuth1Error('malformed');
      return await svc.check(creds.header, authRequestOf(req), mode);
    } catch (err) {
      if (!(err instanceof OAuth1Error)) throw err;
      req.log.debug({ reason: err.reason }, 'oauth1 verification failed');
      await reply.status(401).type(JSON_TYPE).send(err.reason === 'token' ? INVALID_TOKEN : CANNOT_AUTHENTICATE);
      return null;
    }
  }

  app.post('/oauth/request_token', async (req, reply) => {
    const ok = await signed(req, reply, 'consumer');
    if (!ok) return reply;
    const callback = ok.oauth.get('oauth_callback');
    if (!callback) return reply.status(401).type(JSON_TYPE).send(CANNOT_AUTHENTICATE);
    if (callback !== 'oob') {
      // X sends the verifier only to a callback the app registered (FACTS §7.2).
      const client = await repos.oauth2.clientOfApp(ok.app.id);
      if (!client || !callbackRegistered(client, callback)) return reply.status(403).type(JSON_TYPE).send(CALLBACK_NOT_APPROVED);
    }
    // An app may ask for less than its level (x_auth_access_type=read|write), never more.
    const q = req.query as Record<string, unknown>;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const asked = first(q.x_auth_access_type) ?? first(body.x_auth_access_type);
    const permission = asked === 'read' ? 'read' : asked === 'write' ? lowerPermission(ok.app.permission, 'read-write') : ok.app.permission;
    const now = clock.now();
    await repos.oauth1.purgeExpiredRequestTokens(now);
    const token = randomAlnum(32);
    const secret = randomAlnum(32);
    const tokenHash = hashSecret(token);
    await repos.oauth1.insertToken({
      tokenHash,
      kind: 'request',
      appId: ok.app.id,
      userId: null,
      secretEnc: svc.box.seal(secret, tokenSecretContext(tokenHash)),
      permission,
      callback,
      verifierHash: null,
      expiresAt: now + REQUEST_TOKEN_TTL_MS,
      createdAt: now,
    });
    return reply
      .type(FORM_TYPE)
      .send(formEncode({ oauth_token: token, oauth_token_secret: secret, oauth_callback_confirmed: 'true' }));
  });

  // ---- consent page ----

  const sign = (what: string) => createHmac('sha256', ctx.serverSecret).update(what).digest('base64url');
  const guard = new ConsentGuard(ctx.serverSecret, () => ctx.clock.now(), ctx.config.publicUrl);
  const sameMac = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  /** The signed-in user (a cookie set when someone approves), modelling "already logged in to X". */
  function sessionUser(req: FastifyRequest): string | null {
    const raw = String(req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!raw) return null;
    const [userId, mac] = decodeURIComponent(raw.slice(SESSION_COOKIE.length + 1)).split('.');
    return userId && mac && sameMac(mac, sign(`session:${userId}`)) ? userId : null;
  }

  async function pendingRequestToken(token: string | undefined): Promise<OAuth1TokenRow | null> {
    if (!token) return null;
    const row = await repos.oauth1.tokenByHash(hashSecret(token));
    if (!row || row.kind !== 'request' || row.verifierHash !== null) return null;
    if (row.expiresAt !== null && row.expiresAt <= clock.now()) return null;
    return row;
  }

  async function approve(reply: FastifyReply, token: string, row: OAuth1TokenRow, user: UserRow) {
    const oob = row.callback === 'oob';
    const verifier = oob ? String(randomInt(0, 10_000_000)).padStart(7, '0') : randomAlnum(32);
    if (!(await repos.oauth1.approveRequestToken(row.tokenHash, user.id, hashSecret(verifier)))) {
      return page(reply, 400, 'This page is no longer valid', '<p>The request token was already used or has expired. Go back to the application and try again.</p>');
    }
    reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(`${user.id}.${sign(`session:${user.id}`)}`)}; Path=/; HttpOnly; SameSite=Lax`);
    if (oob) {
      return page(
        reply,
        200,
        'Authorized',
        `<p>You authorized the application as @${esc(user.username)}. Enter this PIN in the application to complete authorization:</p>` +
          `<p class="pin"><code id="pin">${verifier}</code></p>`,
      );
    }
    return reply.redirect(withParams(row.callback!, { oauth_token: token, oauth_verifier: verifier }), 302);
  }

  const consentGet = async (req: FastifyRequest, reply: FastifyReply) => {
    const q = req.query as Record<string, unknown>;
    const token = first(q.oauth_token);
    const row = await pendingRequestToken(token);
    if (!row) return page(reply, 400, 'This page is no longer valid', '<p>The request token is invalid, already used or expired. Go back to the application and try again.</p>');
    const app = await repos.apps.byId(row.appId);
    if (!app) return page(reply, 400, 'This page is no longer valid', '<p>The application no longer exists.</p>');
    const screenName = first(q.screen_name);
    const forceLogin = ['true', '1'].includes(String(first(q.force_login) ?? '').toLowerCase());
    const path = req.routeOptions.url ?? '/oauth/authorize';
    if (path.endsWith('/authenticate') && !forceLogin) {
      const userId = sessionUser(req);
      const user = userId ? (await repos.users.byIds([userId])).get(userId) : undefined;
      if (
        user &&
        !user.suspended &&
        (!screenName || screenName.replace(/^@/, '').toLowerCase() === user.username.toLowerCase()) &&
        (await repos.oauth1.hasAccessToken(user.id, app.id))
      ) {
        return approve(reply, token!, row, user);
      }
    }
    return consentPage(reply, 200, path, token!, app.name, row.permission, screenName ?? '', null);
  };

  const consentPost = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = first(body.oauth_token);
    const path = req.routeOptions.url ?? '/oauth/authorize';
    const row = await pendingRequestToken(token);
    if (guard.crossSite(req)) return page(reply, 403, 'This page is no longer valid', '<p>This form was sent from another site.</p>');
    if (!row || !guard.valid(first(body.csrf), `oauth1:${token}`)) {
      return page(reply, 400, 'This page is no longer valid', '<p>The request token is invalid, already used or expired. Go back to the application and try again.</p>');
    }
    const app = await repos.apps.byId(row.appId);
    if (!app) return page(reply, 400, 'This page is no longer valid', '<p>The application no longer exists.</p>');
    if (first(body.action) !== 'approve') {
      await repos.oauth1.deleteToken(row.tokenHash, 'request');
      if (row.callback === 'oob') return page(reply, 200, 'Not authorized', `<p>You did not authorize ${esc(app.name)}.</p>`);
      return reply.redirect(withParams(row.callback!, { denied: token! }), 302);
    }
    const username = (first(body.username) ?? '').trim().replace(/^@/, '');
    const user = username ? (await repos.users.byUsernames([username])).get(username.toLowerCase()) : undefined;
    if (!user || user.suspended) {
      return consentPage(reply, 400, path, token!, app.name, row.permission, username, username ? `No account @${username}.` : 'Enter a username.');
    }
    return approve(reply, token!, row, user);
  };

  function consentPage(
    reply: FastifyReply,
    status: number,
    path: string,
    token: string,
    appName: string,
    permission: AppPermission,
    username: string,
    error: string | null,
  ) {
    return page(
      reply,
      status,
      `Authorize ${appName} to access your account?`,
      `<p><strong>${esc(appName)}</strong> wants to access your Roost account.</p>
<p>This application will be able to: <span id="permission" data-permission="${permission}">${esc(PERMISSION_TEXT[permission])}</span>.</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${esc(path)}">
  <input type="hidden" name="oauth_token" value="${esc(token)}">
  <input type="hidden" name="csrf" value="${esc(guard.token(`oauth1:${token}`))}">
  <label>Sign in as (Roost username) <input name="username" value="${esc(username)}" autocomplete="username" autofocus></label>
  <button type="submit" name="action" value="approve">Authorize app</button>
  <button type="submit" name="action" value="deny">Cancel</button>
</form>`,
    );
  }

  for (const path of ['/oauth/authorize', '/oauth/authenticate', '/i/oauth/authenticate']) {
    app.get(path, consentGet);
    app.post(path, consentPost);
  }

  // ---- token exchange, revocation, v1.1 account ----

  app.post('/oauth/access_token', async (req, reply) => {
    const ok = await signed(req, reply, 'request');
    if (!ok) return reply;
    const row = ok.token!;
    const verifier = ok.oauth.get('oauth_verifier');
    if (!verifier || row.verifierHash === null || !row.userId) return reply.status(401).type(JSON_TYPE).send(CANNOT_AUTHENTICATE);
    if (!sameMac(hashSecret(verifier), row.verifierHash)) {
      // A wrong verifier spends the request token: a 7-digit PIN must not be guessable by retrying.
      await repos.oauth1.deleteToken(row.tokenHash, 'request');
      return reply.status(401).type(JSON_TYPE).send(CANNOT_AUTHENTICATE);
    }
    // Single use, also under concurrency: only the request that deletes it gets an access token.
    if (!(await repos.oauth1.deleteToken(row.tokenHash, 'request'))) return reply.status(401).type(JSON_TYPE).send(INVALID_TOKEN);
    const user = (await repos.users.byIds([row.userId])).get(row.userId);
    if (!user) return reply.status(401).type(JSON_TYPE).send(INVALID_TOKEN);
    const issued = await mintOAuth1AccessToken(ctx, { appId: ok.app.id, userId: user.id, permission: lowerPermission(row.permission, ok.app.permission) });
    return reply
      .type(FORM_TYPE)
      .send(formEncode({ oauth_token: issued.token, oauth_token_secret: issued.secret, user_id: user.id, screen_name: user.username }));
  });

  app.post('/1.1/oauth/invalidate_token', async (req, reply) => {
    const ok = await signed(req, reply, 'access');
    if (!ok) return reply;
    await repos.oauth1.deleteToken(ok.token!.tokenHash, 'access');
    return reply.type(JSON_TYPE).send({ access_token: ok.tokenKey });
  });

  app.get('/1.1/account/verify_credentials.json', async (req, reply) => {
    const ok = await signed(req, reply, 'access');
    if (!ok) return reply;
    const userId = ok.token!.userId!;
    const user = (await repos.users.byIds([userId])).get(userId);
    if (!user) return reply.status(401).type(JSON_TYPE).send(INVALID_TOKEN);
    return reply.type(JSON_TYPE).send(v1User(user));
  });
}

/** Appends parameters to a callback URL, keeping its own query (as the client wrote it) and fragment. */
export function withParams(url: string, params: Record<string, string>): string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const frag = hash < 0 ? '' : url.slice(hash);
  const extra = new URLSearchParams(params).toString();
  return `${base}${base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'}${extra}${frag}`;
}

/** The v1.1 user object, for clients that call verify_credentials (twitter-api-v2's currentUser). */
export function v1User(u: UserRow): Record<string, unknown> {
  return {
    id: Number(u.id),
    id_str: u.id,
    name: u.name,
    screen_name: u.username,
    location: u.location ?? '',
    description: u.description,
    url: u.url,
    protected: u.protected,
    followers_count: u.followersCount,
    friends_count: u.followingCount,
    listed_count: u.listedCount,
    created_at: legacyTime(u.createdAt),
    favourites_count: u.likeCount,
    verified: u.verified,
    statuses_count: u.tweetCount,
    profile_image_url_https: u.profileImageUrl,
    profile_banner_url: u.profileBannerUrl ?? undefined,
  };
}

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return consentHeaders(reply.status(status).type(HTML_TYPE)).send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} / Roost</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.4rem 1rem;margin:.5rem .5rem 0 0}input{font:inherit;display:block;margin:.3rem 0 .8rem}
.error{color:#b00}.pin code{font-size:2rem;letter-spacing:.2rem}</style></head>
<body><h1>${esc(title)}</h1>
${body}
</body></html>`);
}
