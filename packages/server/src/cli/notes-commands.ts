/**
 * `roost notes request` (called from the command table in cli/main.ts): someone asks for a Community Note on a post,
 * as people do on X, where no API makes requests. Written with the server's domain operation; a running server sees
 * it at its next request (the post joins the posts eligible for notes once enough people asked).
 */
import type { Context } from '../context.js';
import { ConfigError } from '../config.js';
import { requestNote } from '../domain/notes.js';
import { isRefusal } from '../domain/write.js';
import { noteRequestThreshold } from '../pipeline/rules.js';

const ID = /^\d{1,19}$/;

export async function notesRequest(ctx: Context, v: { post?: string; user?: string; source?: string }): Promise<string> {
  if (!v.post || !v.user) throw new ConfigError('--post and --user are required (see roost help notes request)');
  if (!ID.test(v.post) || (v.source !== undefined && !ID.test(v.source))) throw new ConfigError('--post and --source take post ids');
  const name = v.user.replace(/^@/, '');
  const user = (await ctx.repos.users.byUsernames([name])).get(name.toLowerCase());
  if (!user) throw new ConfigError(`no user @${name}`);
  const n = await requestNote(ctx, user.id, v.post, v.source ?? null);
  if (isRefusal(n)) throw new ConfigError(`@${name} cannot see post ${n.id}`);
  const post = (await ctx.repos.posts.byIds([v.post])).get(v.post)!;
  const needed = noteRequestThreshold(post.impressionCount);
  return `Post ${v.post}: ${n} ${n === 1 ? 'request' : 'requests'} for a note; ${n >= needed ? 'eligible for notes' : `eligible at ${needed}`}`;
}
