/**
 * Direct Messages: one-to-one conversations (made by their first message), groups (made with participants and a
 * first message), messages with text (t.co-wrapped links, entities, linked posts) or one attachment, deleting
 * one's own messages, blocks of Direct Messages, and users' DM settings. Who may message whom is the rules'
 * `messagingVerdict` (blocks either way, DM blocks, X's DM settings); only participants see a conversation.
 * Every change runs in one unit of work and publishes its `dm.*` events after it commits (events/bus.ts).
 */
import type { Repos } from '../data/index.js';
import type { DmAllowFrom, DmEventRow } from '../data/dms.js';
import type { PostEntities } from '../data/rows.js';
import { Forbidden, InvalidRequest } from '../errors.js';
import { judgeMessaging } from '../pipeline/render.js';
import { conversationEventVerdict, conversationVerdict, type MessagingVerdict } from '../pipeline/rules.js';
import { pairId, pairOf } from '../util/conversations.js';
import { idInRange } from '../util/snowflake.js';
import { prepareText, withMentionIds } from '../util/text.js';
import { targetUser } from './graph.js';
import { attachableDmMediaKeys, type MediaContext } from './media.js';
import { refuse, write, type DomainContext, type Refusal } from './write.js';

export type DmContext = DomainContext & MediaContext;

/** X's limit on the text of a Direct Message, in characters (code points). */
export const MAX_DM_CHARS = 10_000;
/** X's largest group conversation, its creator included. */
export const MAX_GROUP_SIZE = 50;

/** X's answers when the recipient may not be messaged (a block either way, or their DM settings). */
export const CANNOT_MESSAGE = 'You cannot send messages to this user.';
export const NOT_FOLLOWING = 'You cannot send messages to users who are not following you.';
export const NOT_PERMITTED = 'You are not permitted to perform this action.';

/** A group conversation id (a snowflake; one-to-one ids are `a-b`). */
const GROUP_ID = /^\d{15,19}$/;
/** Links to posts a message shares: X shows them as `referenced_tweets`. */
const POST_LINK = /^https?:\/\/(?:www\.|mobile\.)?(?:x|twitter)\.com\/(?:[A-Za-z0-9_]{1,15}|i(?:\/web)?)\/status(?:es)?\/(\d{1,19})(?:[/?#]|$)/i;

export interface MessageDraft {
  text?: string;
  attachments?: { media_id: string }[];
}

export interface SentMessage {
  conversationId: string;
  eventId: string;
}

/** A message's stored parts. */
interface Composed {
  text: string | null;
  entities: PostEntities | null;
  mediaKeys: string[] | null;
  referencedPostIds: string[] | null;
}

/**
 * Checks and prepares a message (`at`: the JSON path of the message in the request body): text up to 10,000
 * characters, with links wrapped into t.co links and entities extracted as for posts, or one attachment uploaded
 * for Direct Messages.
 */
async function compose(ctx: DmContext, me: string, draft: MessageDraft, at: string): Promise<Composed> {
  const mediaIds = (draft.attachments ?? []).map((a) => a.media_id);
  if (!draft.text && !mediaIds.length) throw new InvalidRequest([{ parameters: {}, message: `$.${at}: a message needs text or an attachment` }]);
  if (draft.text !== undefined && Array.from(draft.text).length > MAX_DM_CHARS) {
    throw new InvalidRequest([{ parameters: {}, message: `$.${at}text: may only be ${MAX_DM_CHARS} characters long` }]);
  }
  const mediaKeys = mediaIds.length ? await attachableDmMediaKeys(ctx, me, mediaIds, `${at}attachments.media_id`) : null;
  if (!draft.text) return { text: null, entities: null, mediaKeys, referencedPostIds: null };
  const prepared = prepareText(draft.text);
  const mentioned = prepared.mentionedUsernames.length ? await ctx.repos.users.byUsernames(prepared.mentionedUsernames) : new Map();
  const entities = withMentionIds(prepared.entities, new Map([...mentioned].map(([name, u]) => [name, u.id])));
  return { text: prepared.text, entities, mediaKeys, referencedPostIds: await linkedPosts(ctx.repos, entities) };
}

/** The existing posts a message links to, each once, in order. */
async function linkedPosts(repos: Repos, entities: PostEntities | null): Promise<string[] | null> {
  const ids = [...new Set((entities?.urls ?? []).map((u) => POST_LINK.exec(u.expanded_url)?.[1]).filter((id): id is string => !!id && idInRange(id)))];
  if (!ids.length) return null;
  const posts = await repos.posts.byIds(ids);
  const found = ids.filter((id) => posts.get(id) && !posts.get(id)!.deleted);
  return found.length ? found : null;
}

function messageRow(id: string, conversationId: string, senderId: string, m: Composed, at: number, sourceAppId: string | null): DmEventRow {
  return { id, conversationId, eventType: 'MessageCreate', senderId, ...m, participantIds: null, createdAt: at, sourceAppId };
}

/** The sender must be an account in good standing. */
function assertSender(sender: { suspended: boolean } | undefined): void {
  if (!sender || sender.suspended) throw new Forbidden(NOT_PERMITTED);
}

/** X's 403 for a recipient who may not be messaged; null when they may. */
function refusalOf(v: MessagingVerdict): Forbidden | null {
  if (v === 'blocked') return new Forbidden(CANNOT_MESSAGE);
  if (v === 'closed') return new Forbidden(NOT_FOLLOWING);
  return null;
}

/**
 * A message to a one-to-one conversation, made by the first message (`POST /2/dm_conversations/with/:id/messages`).
 * Unknown or suspended recipients are refused (X's 200 with `errors`); blocks and DM settings are X's 403.
 * `sourceAppId`: the app the message is sent through (every send of the API names its app; X's `source_app_id`).
 */
export async function sendToParticipant(ctx: DmContext, me: string, otherId: string, draft: MessageDraft, sourceAppId: string | null = null): Promise<SentMessage | Refusal> {
  const { sender, verdicts } = await judgeMessaging(ctx.repos, me, [otherId]);
  assertSender(sender);
  const v = verdicts.get(otherId)!;
  if (v === 'missing' || v === 'suspended') return refuse(v === 'missing' ? 'user-missing' : 'user-suspended', otherId);
  const refusal = refusalOf(v);
  if (refusal) throw refusal;
  const m = await compose(ctx, me, draft, '');
  const conversationId = pairId(me, otherId);
  const now = ctx.clock.now();
  const eventId = ctx.ids.next();
  await write(ctx, async (r, out) => {
    await r.dms.insertConversations([{ id: conversationId, kind: 'one_to_one', createdBy: me, createdAt: now }]);
    await r.dms.addParticipants([...new Set([me, otherId])].map((userId) => ({ conversationId, userId, joinedAt: now, leftAt: null })));
    await r.dms.insertEvents([messageRow(eventId, conversationId, me, m, now, sourceAppId)]);
    out.emit({ type: 'dm.message.created', eventId, conversationId, senderId: me, recipientIds: otherId === me ? [] : [otherId], at: now });
  });
  return { conversationId, eventId };
}

/**
 * A message to a conversation by id (`POST /2/dm_conversations/:id/messages`): a one-to-one id names the same
 * conversation as its other user's id; a group takes messages from its current participants. A conversation the
 * caller is not in is refused as if it did not exist.
 */
export async function sendToConversation(ctx: DmContext, me: string, conversationId: string, draft: MessageDraft, sourceAppId: string | null = null): Promise<SentMessage | Refusal> {
  const pair = pairOf(conversationId);
  if (pair) {
    const [a, b] = pair.map((u) => BigInt(u).toString());
    if (a !== me && b !== me) return refuse('dm-conversation-missing', conversationId);
    const r = await sendToParticipant(ctx, me, a === me ? b! : a!, draft, sourceAppId);
    return 'refused' in r ? refuse('dm-conversation-missing', conversationId) : r;
  }
  if (!GROUP_ID.test(conversationId) || !idInRange(conversationId)) {
    throw InvalidRequest.one('dm_conversation_id', [conversationId], `The \`dm_conversation_id\` query parameter value [${conversationId}] is not valid`);
  }
  const repos = ctx.repos;
  const [people, users] = await Promise.all([repos.dms.participants([conversationId]), repos.users.byIds([me])]);
  const participants = people.get(conversationId) ?? [];
  if (conversationVerdict({ userId: me }, participants.find((p) => p.userId === me)) !== 'ok') return refuse('dm-conversation-missing', conversationId);
  assertSender(users.get(me));
  const m = await compose(ctx, me, draft, '');
  const now = ctx.clock.now();
  const eventId = ctx.ids.next();
  const recipientIds = participants.filter((p) => p.leftAt === null && p.userId !== me).map((p) => p.userId);
  await write(ctx, async (r, out) => {
    await r.dms.insertEvents([messageRow(eventId, conversationId, me, m, now, sourceAppId)]);
    out.emit({ type: 'dm.message.created', eventId, conversationId, senderId: me, recipientIds, at: now });
  });
  return { conversationId, eventId };
}

/**
 * A group conversation with participants and a first message (`POST /2/dm_conversations`): at least two others,
 * at most 50 people in all; every participant must accept messages from the creator. It starts with a
 * ParticipantsJoin event naming the participants the creator added, then the message.
 */
export async function createGroup(ctx: DmContext, me: string, participantIds: readonly string[], draft: MessageDraft, sourceAppId: string | null = null): Promise<SentMessage | Refusal> {
  const others = [...new Set(participantIds)].filter((id) => id !== me);
  if (others.length < 2) {
    throw new InvalidRequest([{ parameters: { participant_ids: [...participantIds] }, message: 'A group conversation needs at least 2 participants besides you.' }]);
  }
  if (others.length + 1 > MAX_GROUP_SIZE) {
    throw new InvalidRequest([{ parameters: { participant_ids: [...participantIds] }, message: `A group conversation has at most ${MAX_GROUP_SIZE} participants.` }]);
  }
  const { sender, verdicts } = await judgeMessaging(ctx.repos, me, others);
  assertSender(sender);
  for (const id of others) {
    const v = verdicts.get(id)!;
    if (v === 'missing' || v === 'suspended') return refuse(v === 'missing' ? 'user-missing' : 'user-suspended', id);
  }
  const closed = others.filter((id) => refusalOf(verdicts.get(id)!));
  if (closed.length) throw new Forbidden(`You cannot add users who do not accept your messages to a group conversation: [${closed.join(',')}].`);
  const m = await compose(ctx, me, draft, 'message.');
  const now = ctx.clock.now();
  const conversationId = ctx.ids.next();
  const joinId = ctx.ids.next();
  const eventId = ctx.ids.next();
  const everyone = [me, ...others];
  await write(ctx, async (r, out) => {
    await r.dms.insertConversations([{ id: conversationId, kind: 'group', createdBy: me, createdAt: now }]);
    await r.dms.addParticipants(everyone.map((userId) => ({ conversationId, userId, joinedAt: now, leftAt: null })));
    await r.dms.insertEvents([
      { id: joinId, conversationId, eventType: 'ParticipantsJoin', senderId: me, text: null, entities: null, mediaKeys: null, referencedPostIds: null, participantIds: others, createdAt: now, sourceAppId: null },
      messageRow(eventId, conversationId, me, m, now, sourceAppId),
    ]);
    out.emit({ type: 'dm.conversation.created', conversationId, creatorId: me, participantIds: everyone, eventId: joinId, at: now });
    out.emit({ type: 'dm.message.created', eventId, conversationId, senderId: me, recipientIds: others, at: now });
  });
  return { conversationId, eventId };
}

/**
 * Deletes one's own message; it is gone for every participant. False when the caller cannot see such an event
 * (it never existed, is gone, or is in a conversation they are not in); another participant's event is X's 403.
 */
export async function deleteMessage(ctx: DomainContext, me: string, eventId: string): Promise<boolean> {
  const e = (await ctx.repos.dms.eventsByIds([eventId])).get(eventId);
  const membership = e && (await ctx.repos.dms.memberships(me, [e.conversationId])).get(e.conversationId);
  if (conversationEventVerdict({ userId: me }, e, membership) !== 'ok') return false;
  if (e!.eventType !== 'MessageCreate' || e!.senderId !== me) throw new Forbidden('You can only delete messages you sent.');
  const now = ctx.clock.now();
  return write(ctx, async (r, out) => {
    if (!(await r.dms.deleteEvent(eventId))) return false;
    out.emit({ type: 'dm.message.deleted', eventId, conversationId: e!.conversationId, senderId: me, at: now });
    return true;
  });
}

/** Blocks Direct Messages from `targetId` (they may no longer message the caller). Idempotent. */
export async function blockDms(ctx: DomainContext, me: string, targetId: string): Promise<true | Refusal> {
  return changeDmBlock(ctx, me, targetId, true);
}

/** Lifts a block of Direct Messages. Idempotent. */
export async function unblockDms(ctx: DomainContext, me: string, targetId: string): Promise<false | Refusal> {
  return changeDmBlock(ctx, me, targetId, false);
}

async function changeDmBlock<B extends boolean>(ctx: DomainContext, me: string, targetId: string, blocked: B): Promise<B | Refusal> {
  if (targetId === me) throw InvalidRequest.one('id', [targetId], `You cannot ${blocked ? 'block' : 'unblock'} yourself.`);
  const target = await targetUser(ctx.repos, targetId);
  if ('refused' in target) return target;
  const at = ctx.clock.now();
  await write(ctx, async (r, out) => {
    const changed = blocked ? await r.social.dmBlock(me, targetId, at) : await r.social.dmUnblock(me, targetId);
    if (changed) out.emit({ type: blocked ? 'dm.block.created' : 'dm.block.deleted', userId: me, targetId, at });
  });
  return blocked;
}

/**
 * Sets who may start messaging a user (X's DM setting; no X API v2 endpoint sets it: the console, the CLI and
 * tests do): `everyone`, `verified` accounts, or accounts they `following`. Accounts they follow, and anyone they
 * have written to, may always message them.
 */
export async function setDmSettings(ctx: DomainContext, userId: string, allowFrom: DmAllowFrom): Promise<void> {
  const at = ctx.clock.now();
  await write(ctx, async (r, out) => {
    await r.dms.putSettings([{ userId, allowFrom, at }]);
    out.emit({ type: 'dm.settings.changed', userId, allowFrom, at });
  });
}
