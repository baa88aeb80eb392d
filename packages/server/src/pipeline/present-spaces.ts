/**
 * Views of Spaces and topics (pure). A Space's state is never stored: it follows from its timeline and the
 * clock — scheduled until it goes live, live until it ends — so moving the server clock moves every Space.
 */
import type { SpaceRow, TopicRow } from '../data/spaces.js';
import { iso } from './present.js';

export type SpaceState = 'scheduled' | 'live' | 'ended';

export function spaceState(s: Pick<SpaceRow, 'liveAt' | 'endAt'>, now: number): SpaceState {
  if (s.endAt !== null && now >= s.endAt) return 'ended';
  if (s.liveAt !== null && now >= s.liveAt) return 'live';
  return 'scheduled';
}

/** The expansions of a Space and the id field each one brings along (as post expansions bring theirs). */
export const SPACE_EXPANSIONS = ['creator_id', 'host_ids', 'speaker_ids', 'invited_user_ids', 'topic_ids'] as const;
export type SpaceExpansion = (typeof SPACE_EXPANSIONS)[number];

export interface SpaceSelection {
  fields: ReadonlySet<string>;
  expansions: ReadonlySet<string>;
  topicFields: ReadonlySet<string>;
}

export function presentSpace(s: SpaceRow, sel: SpaceSelection, now: number): Record<string, unknown> {
  const state = spaceState(s, now);
  const f = sel.fields;
  const out: Record<string, unknown> = { id: s.id, state };
  const wants = (k: string) => f.has(k) || sel.expansions.has(k);
  if (f.has('created_at')) out.created_at = iso(s.createdAt);
  if (wants('creator_id')) out.creator_id = s.creatorId;
  if (f.has('ended_at') && state === 'ended') out.ended_at = iso(s.endAt!);
  if (wants('host_ids') && s.hostIds.length) out.host_ids = s.hostIds;
  if (wants('invited_user_ids') && s.invitedUserIds.length) out.invited_user_ids = s.invitedUserIds;
  if (f.has('is_ticketed')) out.is_ticketed = s.isTicketed;
  if (f.has('lang')) out.lang = s.lang;
  // Listeners exist once the Space is live; the count of an ended Space is the one it ended with.
  if (f.has('participant_count') && state !== 'scheduled') out.participant_count = s.participantCount;
  if (f.has('scheduled_start') && s.scheduledStart !== null) out.scheduled_start = iso(s.scheduledStart);
  if (wants('speaker_ids') && s.speakerIds.length && state !== 'scheduled') out.speaker_ids = s.speakerIds;
  if (f.has('started_at') && state !== 'scheduled') out.started_at = iso(s.liveAt!);
  if (f.has('subscriber_count') && state === 'scheduled') out.subscriber_count = s.subscriberCount;
  if (f.has('title')) out.title = s.title;
  if (wants('topic_ids') && s.topicIds.length) out.topic_ids = s.topicIds;
  if (f.has('updated_at')) out.updated_at = iso(lastChange(s, state));
  return out;
}

/** The latest moment the Space changed: created, went live, ended — whichever the clock has passed. */
function lastChange(s: SpaceRow, state: SpaceState): number {
  if (state === 'ended') return s.endAt!;
  if (state === 'live') return s.liveAt!;
  return s.createdAt;
}

export function presentTopic(t: TopicRow, fields: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, name: t.name };
  if (fields.has('description') && t.description) out.description = t.description;
  return out;
}
