/** What the Direct Messages operations share: their limits and prices, event lists, and the answer of a send. */
import type { OperationRequest, OperationResult } from '../operation.js';
import { meter, PRICES } from '../../limits/metering.js';
import { DM_EVENT_TYPES, type DmEventType } from '../../data/dms.js';
import { CURSORS, listMeta, walkIds, type CursorKind } from '../../pipeline/pagination.js';
import { LIST, renderDmEvents } from '../../pipeline/render.js';
import { isRefusal, type Refusal } from '../../domain/write.js';
import type { SentMessage } from '../../domain/dms.js';
import { snowflakeAt } from '../../util/snowflake.js';
import { refused } from '../write-answers.js';
import { many, userOf, renderEnv } from '../shared.js';
import { selectionFrom, type Selection } from '../../pipeline/selection.js';

/** FACTS §4.2: the four event lookups, per user. */
export const DM_READ_LIMIT = { user: 15 } as const;
/** FACTS §4.2: the three sends — 15 per user per 15 minutes, 1,440 per 24 h per user and per app. */
export const DM_SEND_LIMIT = { user: 15, user24h: 1440, app24h: 1440 } as const;
/** FACTS §4.3: DM events are read at $0.010 each; a send is a "DM interaction create". */
export const DM_READ_PRICE = meter.read('dm');
export const DM_SEND_PRICE = meter.request(PRICES.interactionCreate);

/** What a DM lookup asks to see; its expansions expand DM events, not posts. */
export const dmSelection = (req: OperationRequest): Selection => selectionFrom(req.params, { expansionFields: false });

/** X's DM lookups reach 30 days back (its docs). */
export const DM_RETENTION_MS = 30 * 24 * 3600 * 1000;

/**
 * A page of the caller's DM events, newest first, of one conversation or all of theirs: only conversations they
 * take part in, from when they joined, at most 30 days back.
 */
export async function eventList(req: OperationRequest, kind: CursorKind<'id'>, conversationId?: string): Promise<OperationResult> {
  const me = userOf(req);
  const env = renderEnv(req);
  const types = (req.params.event_types as DmEventType[] | undefined) ?? DM_EVENT_TYPES;
  const oldest = (BigInt(snowflakeAt(Math.max(0, env.now - DM_RETENTION_MS))) - 1n).toString();
  const page = await walkIds(kind, req.params, Number(req.params.max_results ?? 100), { after: oldest }, (q) =>
    env.repos.dms.eventIds({ userId: me, conversationId, types, ...q }),
  );
  const rendered = await renderDmEvents(env, page.ids, dmSelection(req), LIST);
  return many(rendered, listMeta(rendered.data.length, page));
}

/** The events of a one-to-one conversation (kinds of lists that name a conversation). */
export const conversationCursor = CURSORS.dmConversationEvents;

/** X's 201 for a message sent, or its 200 with `errors` naming the refused member of the request. */
export function sentAnswer(r: SentMessage | Refusal, parameter: string): OperationResult {
  if (isRefusal(r)) return refused(r, parameter);
  return { status: 201, body: { data: { dm_conversation_id: r.conversationId, dm_event_id: r.eventId } } };
}
