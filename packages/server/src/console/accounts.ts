/** Developer accounts: the session, sign-up, sign-in, sign-out. */
import type { DeveloperJson, SessionJson } from '../../../sdk/src/console.js';
import type { Context } from '../context.js';
import type { DeveloperRow } from '../data/console.js';
import { makeUser } from '../admin/users.js';
import { signIn as startSession, signOut as endSession, signUp as createAccount } from '../domain/developers.js';
import { consoleRoute } from './route.js';
import { csrfTokenOf } from './csrf.js';

async function developerJson(ctx: Context, d: DeveloperRow): Promise<DeveloperJson> {
  const user = (await ctx.repos.users.byIds([d.userId])).get(d.userId);
  return { id: d.id, email: d.email, user_id: d.userId, username: user?.username ?? '' };
}

async function sessionJson(ctx: Context, developer: DeveloperRow | null, session: string | null): Promise<SessionJson> {
  if (!developer || !session) return { developer: null, csrf_token: null };
  return { developer: await developerJson(ctx, developer), csrf_token: csrfTokenOf(ctx, session) };
}

export const getSession = consoleRoute({
  id: 'getSession',
  summary: 'The signed-in developer and the CSRF token of the session (nulls when signed out).',
  auth: 'none',
  async handle({ ctx, developer, session }) {
    return { body: await sessionJson(ctx, developer, session) };
  },
});

export const signUp = consoleRoute({
  id: 'signUp',
  summary: 'Creates a developer account with the X account that owns its apps, and signs it in.',
  auth: 'none',
  body: {
    email: { type: 'string', required: true, description: 'e-mail address (the sign-in name)' },
    password: { type: 'string', required: true, description: 'at least 8 characters (hashed with bcrypt)' },
    username: { type: 'string', required: true, description: "the developer's X handle, owner of their apps" },
  },
  async handle({ ctx, body }) {
    const s = await createAccount(ctx, body, () => makeUser(ctx, { username: body.username, name: body.username }));
    return { status: 201, session: s.session, body: await sessionJson(ctx, s.developer, s.session) };
  },
});

export const signIn = consoleRoute({
  id: 'signIn',
  summary: 'Signs a developer in (a session cookie, HttpOnly, SameSite=Strict).',
  auth: 'none',
  body: {
    email: { type: 'string', required: true, description: 'e-mail address' },
    password: { type: 'string', required: true, description: 'password' },
  },
  async handle({ ctx, body }) {
    const s = await startSession(ctx, body);
    return { session: s.session, body: await sessionJson(ctx, s.developer, s.session) };
  },
});

export const signOut = consoleRoute({
  id: 'signOut',
  summary: 'Ends the session.',
  auth: 'session',
  async handle({ ctx, session }) {
    await endSession(ctx, session!);
    return { session: null, body: { developer: null, csrf_token: null } satisfies SessionJson };
  },
});
