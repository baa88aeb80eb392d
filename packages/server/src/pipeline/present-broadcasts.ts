/**
 * Views of scheduled broadcasts (pure). A broadcast's state is never stored: it is the Space state machine over
 * its moments — scheduled until it goes live (`live_at`, set by go-live), live until its scheduled end, ended
 * after that (also when it never went live) — so moving the server clock moves every broadcast.
 */
import type { ScheduledBroadcastRow } from '../data/broadcasts.js';
import { spaceState, type SpaceState } from './present-spaces.js';

export type BroadcastState = SpaceState;

export const broadcastState = (b: Pick<ScheduledBroadcastRow, 'liveAt' | 'scheduledEnd'>, now: number): BroadcastState =>
  spaceState({ liveAt: b.liveAt, endAt: b.scheduledEnd }, now);

/** The spec's scheduled broadcast object: every member it names that the broadcast has (absent values omitted). */
export function presentScheduledBroadcast(b: ScheduledBroadcastRow, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    scheduled_broadcast_id: b.id,
    broadcast_id: b.broadcastId,
    state: broadcastState(b, now),
    title: b.title,
    description: b.description,
    source_id: b.sourceId,
    locale: b.locale,
    scheduled_start_ms: String(b.scheduledStart),
    scheduled_end_ms: String(b.scheduledEnd),
    available_for_replay: b.availableForReplay,
    manual_publish: b.manualPublish,
  };
  if (b.chatOption !== null) out.chat_option = b.chatOption;
  if (b.telecastId !== null) out.telecast_id = b.telecastId;
  if (b.thumbnailMediaId !== null) out.thumbnail_media_id = b.thumbnailMediaId;
  if (b.recurringScheduleId !== null) out.recurring_schedule_id = b.recurringScheduleId;
  return out;
}
