/** Accounts made on demand (a bot's test users): `POST /_roost/users`. */
import { newUserRow, type UserRow } from '../data/rows.js';
import { InvalidRequest } from '../errors.js';
import type { Context } from '../context.js';
import type { UserInput, UserJson } from './protocol.js';
import { adminRoute } from './route.js';

/** X's rule for handles: 1–15 letters, digits and underscores. */
const USERNAME = /^[A-Za-z0-9_]{1,15}$/;

/** Checks and stores a new account (the admin route and `roost users create` alike). */
export async function makeUser(ctx: Context, body: UserInput): Promise<UserRow> {
  if (!USERNAME.test(body.username)) {
    throw InvalidRequest.one('username', [body.username], `The \`username\` body field value [${body.username}] does not match ^[A-Za-z0-9_]{1,15}$`);
  }
  if ((await ctx.repos.users.byUsernames([body.username])).size) {
    throw InvalidRequest.one('username', [body.username], `The username [${body.username}] is already taken.`);
  }
  const row: UserRow = {
    ...newUserRow(ctx.ids.next(), body.username, ctx.clock.now()),
    name: body.name ?? body.username,
    description: body.description ?? '',
    protected: body.protected ?? false,
    verified: body.verified ?? false,
    verifiedType: body.verified ? 'blue' : 'none',
  };
  await ctx.repos.users.insertMany([row]);
  return row;
}

export const createUser = adminRoute({
  id: 'createUser',
  summary: 'Creates an account (no posts, no followers).',
  auth: 'admin',
  body: {
    username: { type: 'string', required: true, description: 'the handle, 1-15 of A-Z a-z 0-9 _' },
    name: { type: 'string', description: 'display name (default: the username)' },
    description: { type: 'string', description: 'bio' },
    protected: { type: 'boolean', description: 'protected account (posts visible to approved followers only)' },
    verified: { type: 'boolean', description: 'verified (blue)' },
  },
  async handle({ ctx, body }) {
    const row = await makeUser(ctx, body);
    const out: UserJson = { id: row.id, username: row.username, name: row.name };
    return { status: 201, body: { data: out } };
  },
});
