/**
 * `roost spaces create|start|end` (called from the command table in cli/main.ts, which owns argv and the
 * terminal). They write the database directly with the server's domain operations; a running server sees the
 * change at its next request. The state is never written: `start` and `end` move the moments the clock compares.
 */
import type { Context } from '../context.js';
import { ConfigError, parseInstant } from '../config.js';
import { createSpace, endSpace, startSpace } from '../domain/spaces.js';
import type { SpaceRow } from '../data/spaces.js';
import { spaceState } from '../pipeline/present-spaces.js';
import { parseDuration } from './duration.js';

const line = (s: SpaceRow, now: number) =>
  `Space ${s.id} "${s.title}" by ${s.creatorId}: ${spaceState(s, now)}` +
  (s.liveAt !== null ? `, live at ${new Date(s.liveAt).toISOString()}` : '') +
  (s.endAt !== null ? `, ends at ${new Date(s.endAt).toISOString()}` : '');

export async function spacesCreate(ctx: Context, v: { host?: string; title?: string; start?: string; length?: string; ticketed?: boolean }): Promise<string> {
  if (!v.host || !v.title) throw new ConfigError('--host and --title are required (see roost help spaces create)');
  const name = v.host.replace(/^@/, '');
  const host = (await ctx.repos.users.byUsernames([name])).get(name.toLowerCase());
  if (!host) throw new ConfigError(`no user @${name}`);
  const start = v.start === undefined ? undefined : parseInstant(v.start);
  const length = v.length === undefined ? undefined : parseDuration(v.length);
  if (start === null) throw new ConfigError('--start takes ISO 8601 (2026-01-01T18:00:00Z) or epoch milliseconds');
  if (length === null) throw new ConfigError('--length takes a duration such as 45m or 2h');
  const s = await createSpace(ctx, {
    creatorId: host.id,
    title: v.title,
    scheduledStart: start,
    durationMs: length,
    isTicketed: v.ticketed === true,
  });
  return line(s, ctx.clock.now());
}

export async function spacesDrive(ctx: Context, action: 'start' | 'end', id: string | undefined): Promise<string> {
  if (!id) throw new ConfigError(`give the Space id: roost spaces ${action} ID`);
  const s = action === 'start' ? await startSpace(ctx, id) : await endSpace(ctx, id);
  return line(s, ctx.clock.now());
}
