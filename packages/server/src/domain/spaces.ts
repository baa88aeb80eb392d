/**
 * Spaces: create one (live at once, or scheduled), and drive it — go live now, end now. A Space's state is
 * never written: it follows from `liveAt`/`endAt` and the server clock (pipeline/present-spaces.ts), so a
 * scheduled Space goes live, and a live one with a planned end ends, as the clock passes those moments. These
 * writes only move the moments.
 *
 * Going live and ending by these writes publish `space.started` / `space.ended` (the X Activity API's
 * `spaces.start` / `spaces.end`). A moment the clock merely passes (a scheduled start, a planned end) publishes
 * nothing: no write happens then, and the server never scans Spaces on a timer to find such moments.
 */
import type { SpaceRow } from '../data/spaces.js';
import { InvalidRequest } from '../errors.js';
import { spaceState } from '../pipeline/present-spaces.js';
import { write, type DomainContext } from './write.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** X's Space ids are 13 letters and digits (`1YqGodQbNXDxv`): a 1 and twelve letters of a snowflake, base 52. */
export function spaceIdOf(snowflake: string): string {
  let n = BigInt(snowflake);
  let s = '';
  for (let i = 0; i < 12; i++) {
    s = LETTERS[Number(n % 52n)] + s;
    n /= 52n;
  }
  return `1${s}`;
}

export interface NewSpace {
  creatorId: string;
  title: string;
  lang?: string;
  /** Epoch ms of the announced start (a scheduled Space); absent: live now. */
  scheduledStart?: number;
  /** How long it runs once live (absent: until ended). */
  durationMs?: number;
  isTicketed?: boolean;
  speakerIds?: string[];
  invitedUserIds?: string[];
  topicIds?: string[];
}

const bad = (param: string, value: string, message: string) => InvalidRequest.one(param, [value], message);

export async function createSpace(ctx: DomainContext, s: NewSpace): Promise<SpaceRow> {
  const now = ctx.clock.now();
  const creator = (await ctx.repos.users.byIds([s.creatorId])).get(s.creatorId);
  if (!creator || creator.suspended) throw bad('creator_id', s.creatorId, `No account can host a Space as [${s.creatorId}].`);
  const title = s.title.trim();
  if (!title || [...title].length > 70) throw bad('title', s.title, 'A Space title has 1 to 70 characters.');
  if (s.scheduledStart !== undefined && s.scheduledStart <= now) throw bad('scheduled_start', new Date(s.scheduledStart).toISOString(), 'A scheduled Space starts in the future.');
  if (s.durationMs !== undefined && !(s.durationMs > 0)) throw bad('duration', String(s.durationMs), 'A Space runs for a positive time.');
  const liveAt = s.scheduledStart ?? now;
  const row: SpaceRow = {
    id: spaceIdOf(ctx.ids.next()),
    creatorId: creator.id,
    title,
    lang: s.lang ?? 'en',
    isTicketed: s.isTicketed ?? false,
    createdAt: now,
    scheduledStart: s.scheduledStart ?? null,
    liveAt,
    endAt: s.durationMs === undefined ? null : liveAt + s.durationMs,
    hostIds: [creator.id],
    speakerIds: s.speakerIds ?? [],
    invitedUserIds: s.invitedUserIds ?? [],
    topicIds: s.topicIds ?? [],
    participantCount: 0,
    subscriberCount: 0,
  };
  await write(ctx, async (r, out) => {
    await r.spaces.insert(row);
    if (s.scheduledStart === undefined) out.emit({ type: 'space.started', spaceId: row.id, creatorId: row.creatorId, at: now });
  });
  return row;
}

async function load(ctx: DomainContext, id: string): Promise<SpaceRow> {
  const s = (await ctx.repos.spaces.byIds([id])).get(id);
  if (!s) throw bad('id', id, `Could not find space with id: [${id}].`);
  return s;
}

/** A scheduled Space goes live now (its planned length, if any, runs from now). */
export async function startSpace(ctx: DomainContext, id: string): Promise<SpaceRow> {
  const s = await load(ctx, id);
  const now = ctx.clock.now();
  if (spaceState(s, now) !== 'scheduled') throw bad('id', id, `Space [${id}] is ${spaceState(s, now)}, not scheduled.`);
  const length = s.endAt !== null && s.liveAt !== null ? s.endAt - s.liveAt : null;
  const t = { liveAt: now, endAt: length === null ? null : now + length };
  await write(ctx, async (r, out) => {
    await r.spaces.setTimeline(id, t);
    out.emit({ type: 'space.started', spaceId: id, creatorId: s.creatorId, at: now });
  });
  return { ...s, ...t };
}

/** A live Space ends now. */
export async function endSpace(ctx: DomainContext, id: string): Promise<SpaceRow> {
  const s = await load(ctx, id);
  const now = ctx.clock.now();
  if (spaceState(s, now) !== 'live') throw bad('id', id, `Space [${id}] is ${spaceState(s, now)}, not live.`);
  const t = { liveAt: s.liveAt, endAt: now };
  await write(ctx, async (r, out) => {
    await r.spaces.setTimeline(id, t);
    out.emit({ type: 'space.ended', spaceId: id, creatorId: s.creatorId, at: now });
  });
  return { ...s, ...t };
}
