/**
 * OAuth 2.0 app-only: `POST /oauth2/token` (client_credentials with Basic auth) and `POST /oauth2/invalidate_token`
 * (FACTS §7.1). Not contract operations (the spec does not list them), so they are routed here.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Context } from '../context.js';
import { registerWithTransactionId } from './scoped-routes.js';
import { basicPair } from '../auth/basic.js';
import { hashSecret } from '../auth/tokens.js';
import { invalidateBearer, issueBearer } from '../auth/issue.js';
import type { AppRow } from '../data/rows.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** X's v1.1-style answer to bad client credentials on the token endpoints. */
function badCredentials(reply: FastifyReply) {
  return reply
    .status(403)
    .type(JSON_TYPE)
    .send({ errors: [{ code: 99, message: 'Unable to verify your credentials', label: 'authenticity_token_error' }] });
}

function basicCredentials(header: string | undefined): { key: string; secret: string } | null {
  const pair = basicPair(header);
  if (!pair) return null;
  try {
    return { key: decodeURIComponent(pair.user), secret: decodeURIComponent(pair.password) };
  } catch {
    return null;
  }
}

async function appFromBasic(ctx: Context, header: string | undefined): Promise<AppRow | null> {
  const creds = basicCredentials(header);
  if (!creds) return null;
  const app = await ctx.repos.apps.byConsumerKey(creds.key);
  if (!app || app.consumerSecretHash !== hashSecret(creds.secret)) return null;
  return app;
}

export function registerOAuth2AppOnly(app: FastifyInstance, ctx: Context): void {
  registerWithTransactionId(app, ctx, routes);
}

function routes(app: FastifyInstance, ctx: Context): void {
  app.post('/oauth2/token', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const query = req.query as Record<string, string>;
    const grant = body.grant_type ?? query.grant_type;
    const client = await appFromBasic(ctx, req.headers.authorization);
    if (!client) return badCredentials(reply);
    if (grant !== 'client_credentials') {
      return reply
        .status(400)
        .type(JSON_TYPE)
        .send({ errors: [{ code: 170, message: 'Missing required parameter: grant_type', label: 'forbidden_missing_parameter' }] });
    }
    const token = await issueBearer(ctx, client);
    return reply.status(200).type(JSON_TYPE).send({ token_type: 'bearer', access_token: token });
  });

  app.post('/oauth2/invalidate_token', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const query = req.query as Record<string, string>;
    const token = body.access_token ?? query.access_token;
    const client = await appFromBasic(ctx, req.headers.authorization);
    if (!client) return badCredentials(reply);
    if (!token) {
      return reply
        .status(400)
        .type(JSON_TYPE)
        .send({ errors: [{ code: 170, message: 'Missing required parameter: access_token', label: 'forbidden_missing_parameter' }] });
    }
    const row = await ctx.repos.apps.tokenByHash(hashSecret(token));
    if (!row || row.kind !== 'app' || row.appId !== client.id) {
      return badCredentials(reply);
    }
    await invalidateBearer(ctx, client.id);
    return reply.status(200).type(JSON_TYPE).send({ access_token: token });
  });
}
