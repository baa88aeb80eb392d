/** The demo world's accounts, for the console's user pickers (profiles and timelines are read through the SDK). */
import { consoleRoute } from './route.js';

export const listWorldUsers = consoleRoute({
  id: 'listWorldUsers',
  summary: 'Accounts of the demo world (the first 200, oldest first).',
  auth: 'session',
  async handle({ ctx }) {
    const users = await ctx.repos.users.list(200);
    return { body: { data: users.map((u) => ({ id: u.id, username: u.username, name: u.name })) } };
  },
});
