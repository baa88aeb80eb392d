/**
 * Broadcasts: scheduling them (alone or as a recurring schedule), changing and deleting them, going live, and chat.
 *
 * - Only its owner ever sees or changes a scheduled broadcast (rules' `ownerOnlyVerdict`): anyone else's id is
 *   refused as an unknown one. Changes are for broadcasts still scheduled; going live, for one whose scheduled end
 *   has not passed (X's 409 otherwise).
 * - The state is never written (pipeline/present-broadcasts.ts): going live records the moment from the server
 *   clock, and the broadcast ends at its scheduled end as the clock passes it.
 * - A recurring schedule (`recurrence`: Daily or Weekly, `repeats` more times) is its occurrences, each a scheduled
 *   broadcast of its own sharing `recurring_schedule_id`. `roll_forward` carries a change or a deletion from the
 *   occurrence named on to the later ones of its schedule still scheduled (Roost's reading of the flag: "this and
 *   the following"); without it only the occurrence named changes.
 * - Chat: anyone who may reach the broadcaster writes into a live broadcast, by its broadcast id (rules'
 *   `broadcastChatVerdict`); a broadcast that is scheduled or ended takes no chat.
 */
import type { RequestBodies } from '@roost/contract';
import type { Repos } from '../data/index.js';
import type { ScheduledBroadcastRow } from '../data/broadcasts.js';
import { conflict, Forbidden, InvalidRequest } from '../errors.js';
import { judgeBroadcastChat } from '../pipeline/render.js';
import { ownerOnlyVerdict } from '../pipeline/rules.js';
import { broadcastState } from '../pipeline/present-broadcasts.js';
import { publicMediaKeys, type MediaContext } from './media.js';
import { spaceIdOf } from './spaces.js';
import { refuse, write, type DomainContext, type Outbox, type Refusal } from './write.js';

export type NewScheduledBroadcast = RequestBodies['createScheduledBroadcast'];
export type ScheduledBroadcastChange = RequestBodies['updateScheduledBroadcast'];
export type BroadcastContext = DomainContext & MediaContext;

const DAY_MS = 24 * 60 * 60 * 1000;
const PERIOD_MS = { Daily: DAY_MS, Weekly: 7 * DAY_MS } as const;
/** At most a year of weekly occurrences after the first (X publishes no bound). */
export const MAX_REPEATS = 52;

const invalid = (param: string, value: string, message: string) => InvalidRequest.one(param, [value], message);

/**
 * Scheduled broadcast ids are 13 digits: the spec types them as digits in bodies (`scheduled_broadcast_id`) and
 * as at most 13 letters and digits in paths, so they take the snowflake's last 13 digits (leading digit 1–9).
 */
const scheduledIdOf = (snowflake: string): string => ((BigInt(snowflake) % 9_000_000_000_000n) + 1_000_000_000_000n).toString();

/** A millisecond time of the request (digits by the schema), or X's 400 for `param`. */
function msOf(param: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw invalid(param, value, `The \`${param}\` value [${value}] is not a valid time in milliseconds.`);
  return n;
}

interface Window {
  start: number;
  end: number;
}

/** The broadcast's window: it ends after it starts, and in the future; `start` must be future unless it is `keep`. */
function windowOf(b: { scheduled_start_ms: string; scheduled_end_ms: string }, now: number, keep?: number): Window {
  const start = msOf('scheduled_start_ms', b.scheduled_start_ms);
  const end = msOf('scheduled_end_ms', b.scheduled_end_ms);
  if (start !== keep && start <= now) throw invalid('scheduled_start_ms', b.scheduled_start_ms, `The \`scheduled_start_ms\` value [${b.scheduled_start_ms}] is not in the future.`);
  if (end <= start) throw invalid('scheduled_end_ms', b.scheduled_end_ms, `The \`scheduled_end_ms\` value [${b.scheduled_end_ms}] is not after \`scheduled_start_ms\`.`);
  if (end <= now) throw invalid('scheduled_end_ms', b.scheduled_end_ms, `The \`scheduled_end_ms\` value [${b.scheduled_end_ms}] is not in the future.`);
  return { start, end };
}

/** A thumbnail must be media its owner may show publicly (X's "Your media IDs are invalid." otherwise). */
async function checkThumbnail(ctx: BroadcastContext, me: string, id: string | undefined): Promise<void> {
  if (id !== undefined) await publicMediaKeys(ctx, me, [id], 'thumbnail_media_id');
}

function checkSource(sourceId: string | undefined): void {
  if (sourceId !== undefined && sourceId.trim() === '') throw invalid('source_id', sourceId, 'The `source_id` of a broadcast cannot be blank.');
}

const event = (type: 'broadcast.scheduled' | 'broadcast.updated' | 'broadcast.deleted' | 'broadcast.live', b: ScheduledBroadcastRow, at: number) =>
  ({ type, scheduledBroadcastId: b.id, broadcastId: b.broadcastId, ownerId: b.ownerId, at }) as const;

/** Schedules a broadcast — with `recurrence`, every occurrence of the schedule. Answers the first. */
export async function scheduleBroadcast(ctx: BroadcastContext, me: string, b: NewScheduledBroadcast): Promise<ScheduledBroadcastRow> {
  const now = ctx.clock.now();
  checkSource(b.source_id);
  const w = windowOf(b, now);
  const repeats = b.recurrence ? Number(b.recurrence.repeats) : 0;
  if (repeats > MAX_REPEATS) throw invalid('recurrence.repeats', b.recurrence!.repeats, `The \`recurrence.repeats\` value [${b.recurrence!.repeats}] is not between 0 and ${MAX_REPEATS}.`);
  await checkThumbnail(ctx, me, b.thumbnail_media_id);
  const series = b.recurrence ? ctx.ids.next() : null;
  const period = b.recurrence ? PERIOD_MS[b.recurrence.frequency] : 0;
  const rows: ScheduledBroadcastRow[] = [];
  for (let i = 0; i <= repeats; i++) {
    rows.push({
      id: scheduledIdOf(ctx.ids.next()),
      broadcastId: spaceIdOf(ctx.ids.next()),
      ownerId: me,
      sourceId: b.source_id,
      title: b.title ?? '',
      description: b.description ?? '',
      locale: b.locale ?? 'en',
      chatOption: b.chat_option ?? null,
      telecastId: b.telecast_id ?? null,
      thumbnailMediaId: b.thumbnail_media_id ?? null,
      availableForReplay: b.available_for_replay ?? false,
      manualPublish: b.manual_publish ?? false,
      isLocked: b.is_locked ?? false,
      recurringScheduleId: series,
      scheduledStart: w.start + i * period,
      scheduledEnd: w.end + i * period,
      createdAt: now,
      liveAt: null,
    });
  }
  return write(ctx, async (r, out) => {
    // Ids keep 13 of a snowflake's digits: one already taken is drawn again.
    const taken = await r.broadcasts.byIds(rows.map((x) => x.id));
    for (const row of rows) if (taken.has(row.id)) row.id = scheduledIdOf(ctx.ids.next());
    await r.broadcasts.insertMany(rows);
    for (const row of rows) out.emit(event('broadcast.scheduled', row, now));
    return rows[0]!;
  });
}

type BroadcastWrite<T> = (r: Repos, out: Outbox, b: ScheduledBroadcastRow) => Promise<T>;

/** A write on one of the caller's scheduled broadcasts; anyone else's, like an unknown id, is refused. */
function onOwnBroadcast<T>(ctx: DomainContext, me: string, id: string, fn: BroadcastWrite<T>): Promise<T | Refusal> {
  return write(ctx, async (r, out) => {
    const b = (await r.broadcasts.byIds([id])).get(id);
    if (ownerOnlyVerdict({ userId: me }, b?.ownerId) !== 'ok') return refuse('scheduled-broadcast-missing', id);
    return fn(r, out, b!);
  });
}

/** The occurrences a change or deletion applies to: this one, or with `rollForward` the later scheduled ones too. */
async function targets(r: Repos, b: ScheduledBroadcastRow, rollForward: boolean, now: number): Promise<ScheduledBroadcastRow[]> {
  if (!rollForward || !b.recurringScheduleId) return [b];
  return (await r.broadcasts.series(b.recurringScheduleId, b.scheduledStart)).filter((x) => x.id === b.id || broadcastState(x, now) === 'scheduled');
}

/** Changes a broadcast still scheduled (with `roll_forward`, the later occurrences too: moved by as much). */
export async function changeBroadcast(ctx: BroadcastContext, me: string, id: string, c: ScheduledBroadcastChange): Promise<ScheduledBroadcastRow | Refusal> {
  if (c.scheduled_broadcast_id !== id) {
    throw invalid('scheduled_broadcast_id', c.scheduled_broadcast_id, `The \`scheduled_broadcast_id\` value [${c.scheduled_broadcast_id}] does not name the scheduled broadcast [${id}] of the path.`);
  }
  checkSource(c.source_id);
  await checkThumbnail(ctx, me, c.thumbnail_media_id);
  const now = ctx.clock.now();
  return onOwnBroadcast(ctx, me, id, async (r, out, b) => {
    const state = broadcastState(b, now);
    if (state !== 'scheduled') throw conflict(`The scheduled broadcast [${id}] is ${state}: only a scheduled broadcast can be changed.`);
    const w = windowOf(c, now, b.scheduledStart);
    const shift = w.start - b.scheduledStart;
    const length = w.end - w.start;
    const changed: ScheduledBroadcastRow[] = [];
    for (const t of await targets(r, b, c.roll_forward ?? false, now)) {
      const start = t.scheduledStart + shift;
      const next: ScheduledBroadcastRow = {
        ...t,
        sourceId: c.source_id ?? t.sourceId,
        title: c.title ?? t.title,
        description: c.description ?? t.description,
        locale: c.locale ?? t.locale,
        chatOption: c.chat_option ?? t.chatOption,
        thumbnailMediaId: c.thumbnail_media_id ?? t.thumbnailMediaId,
        availableForReplay: c.available_for_replay ?? t.availableForReplay,
        manualPublish: c.manual_publish ?? t.manualPublish,
        isLocked: c.is_locked ?? t.isLocked,
        scheduledStart: start,
        scheduledEnd: start + length,
      };
      await r.broadcasts.update(next);
      out.emit(event('broadcast.updated', next, now));
      changed.push(next);
    }
    return changed.find((x) => x.id === id)!;
  });
}

/** Deletes a scheduled broadcast (with `roll_forward`, the later scheduled occurrences of its schedule too). */
export async function deleteBroadcast(ctx: DomainContext, me: string, id: string, rollForward: boolean): Promise<true | Refusal> {
  const now = ctx.clock.now();
  return onOwnBroadcast<true>(ctx, me, id, async (r, out, b) => {
    const gone = await targets(r, b, rollForward, now);
    await r.broadcasts.delete(gone.map((x) => x.id));
    for (const x of gone) out.emit(event('broadcast.deleted', x, now));
    return true;
  });
}

/** A scheduled broadcast goes live now, by the server clock (early too); live until its scheduled end. */
export async function goLive(ctx: DomainContext, me: string, id: string): Promise<ScheduledBroadcastRow | Refusal> {
  const now = ctx.clock.now();
  return onOwnBroadcast(ctx, me, id, async (r, out, b) => {
    const state = broadcastState(b, now);
    if (state !== 'scheduled' || !(await r.broadcasts.goLive(id, now))) {
      throw conflict(`The scheduled broadcast [${id}] is ${state === 'scheduled' ? 'live' : state}: only a scheduled broadcast can go live.`);
    }
    const live = { ...b, liveAt: now };
    out.emit(event('broadcast.live', live, now));
    return live;
  });
}

/** Writes a chat message into a live broadcast; answers when it was stored (epoch ms, the server clock). */
export async function sendChat(ctx: DomainContext, me: string, broadcastId: string, text: string): Promise<number | Refusal> {
  if (text.trim() === '') throw invalid('text', text, 'A chat message cannot be blank.');
  const now = ctx.clock.now();
  return write(ctx, async (r, out) => {
    const b = await r.broadcasts.byBroadcastId(broadcastId);
    const verdict = await judgeBroadcastChat({ repos: r, viewer: { userId: me } }, b && { ownerId: b.ownerId, live: broadcastState(b, now) === 'live' });
    if (verdict === 'missing') return refuse('broadcast-missing', broadcastId);
    if (verdict === 'unauthorized') throw new Forbidden('You are not permitted to chat in this broadcast.');
    if (verdict === 'unavailable') return refuse('broadcast-unavailable', broadcastId);
    const messageId = ctx.ids.next();
    await r.broadcasts.insertChat({ id: messageId, broadcastId, senderId: me, text, createdAt: now });
    out.emit({ type: 'broadcast.chat.created', broadcastId, messageId, senderId: me, at: now });
    return now;
  });
}
