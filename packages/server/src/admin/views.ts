/** Shared pieces of admin answers: the clock as JSON, users named by id or @username, X-shaped refusals. */
import type { Clock } from '../clock.js';
import { ControlledClock } from '../clock.js';
import type { Context } from '../context.js';
import type { UserRow } from '../data/rows.js';
import { InvalidRequest, PROBLEMS, ProblemError } from '../errors.js';
import type { ClockJson } from './protocol.js';
import type { AdminState } from './state.js';

export function clockJson(clock: Clock): ClockJson {
  const now = clock.now();
  const frozen = clock instanceof ControlledClock ? clock.state().frozen : true;
  const wall = clock.wallNow?.() ?? now;
  return { now: new Date(now).toISOString(), now_ms: now, frozen, offset_ms: now - wall };
}

/** 409 in X's conflict shape: the request is fine but this server cannot do it. */
export const conflict = (detail: string) => new ProblemError(409, { title: 'Conflict', detail, type: `${PROBLEMS}conflict`, status: 409 });

export function controllableClock(admin: AdminState): ControlledClock {
  if (!admin.clock) throw conflict('This server runs on a clock given by its embedder; it cannot be moved through the admin API.');
  return admin.clock;
}

/** A user named by id or by username (with or without @); a 400 naming the parameter when there is none. */
export async function resolveUser(ctx: Context, ref: string, param = 'user'): Promise<UserRow> {
  const name = ref.replace(/^@/, '');
  const user = /^\d{1,19}$/.test(name)
    ? (await ctx.repos.users.byIds([name])).get(name)
    : (await ctx.repos.users.byUsernames([name])).get(name.toLowerCase());
  if (!user) throw InvalidRequest.one(param, [ref], `Could not find user with ${/^\d+$/.test(name) ? 'id' : 'username'}: [${name}].`);
  return user;
}

/** The app named, or the default app. */
export async function resolveApp(ctx: Context, appId: string | undefined, param = 'app') {
  const id = appId ?? (await ctx.repos.apps.getSetting('default_app_id'));
  const app = id ? await ctx.repos.apps.byId(id) : undefined;
  if (!app) throw InvalidRequest.one(param, [appId ?? ''], `Could not find app with id: [${appId ?? ''}].`);
  return app;
}
