/**
 * Views of Direct Messages and Chats: pure functions from rows to X's JSON objects (DmEvent, ChatConversation,
 * ChatMessageEvent, PublicKey). Chat payloads, keys and signatures are shown as they were stored: opaque values
 * Roost never decrypts.
 */
import type { DmEventRow } from '../data/dms.js';
import type { ChatConversationRow, ChatEventRow, ChatMemberRow, PublicKeyRow } from '../data/chats.js';
import type { Selection } from './selection.js';
import { iso } from './present.js';

type View = Record<string, unknown>;

/**
 * A DM event. Defaults (FACTS §2.1, X's DM docs): `id`, `event_type`, `text` on MessageCreate, `participant_ids`
 * on ParticipantsJoin/Leave. An expansion brings the field it expands from (`sender_id`, `attachments`,
 * `referenced_tweets`), as on posts.
 */
export function presentDmEvent(e: DmEventRow, sel: Selection): View {
  const f = sel.dmEvent;
  const exp = sel.expansions;
  const out: View = { id: e.id, event_type: e.eventType };
  if (e.eventType === 'MessageCreate') out.text = e.text ?? '';
  if (f.has('dm_conversation_id')) out.dm_conversation_id = e.conversationId;
  if (f.has('created_at')) out.created_at = iso(e.createdAt);
  if (e.senderId && (f.has('sender_id') || exp.has('sender_id'))) out.sender_id = e.senderId;
  // Since 2025-06 participant_ids is on Join/Leave events only (FACTS §8.3), where it is a default field.
  if (e.eventType !== 'MessageCreate' && e.participantIds?.length) out.participant_ids = [...e.participantIds];
  if ((f.has('attachments') || exp.has('attachments.media_keys')) && e.mediaKeys?.length) out.attachments = { media_keys: [...e.mediaKeys] };
  if ((f.has('referenced_tweets') || exp.has('referenced_tweets.id')) && e.referencedPostIds?.length) {
    out[sel.generation === 'modern' ? 'referenced_posts' : 'referenced_tweets'] = e.referencedPostIds.map((id) => ({ id }));
  }
  if (f.has('entities') && e.entities && Object.keys(e.entities).length) out.entities = e.entities;
  return out;
}

/** X Chat conversation types as Roost names them (X's DM API calls a group conversation `Group`). */
const CHAT_TYPE: Record<ChatConversationRow['kind'], string> = { one_to_one: 'OneToOne', group: 'Group' };

/**
 * A chat conversation. Defaults: `id`, `type`. The member lists come with their expansions (`participant_ids`:
 * everyone in it; for groups `member_ids` and `admin_ids`); group metadata is shown as the client stored it.
 */
export function presentChatConversation(c: ChatConversationRow, members: readonly ChatMemberRow[], sel: Selection): View {
  const f = sel.chatConversation;
  const exp = sel.expansions;
  const out: View = { id: c.id, type: CHAT_TYPE[c.kind] };
  if (f.has('created_at')) out.created_at = iso(c.createdAt);
  if (f.has('updated_at')) out.updated_at = iso(c.updatedAt);
  if (f.has('is_muted')) out.is_muted = false;
  if (f.has('screen_capture_blocking_enabled')) out.screen_capture_blocking_enabled = false;
  if (f.has('screen_capture_detection_enabled')) out.screen_capture_detection_enabled = false;
  if (f.has('message_ttl_ms') && c.messageTtlMs !== null) out.message_ttl_ms = c.messageTtlMs;
  if (f.has('group_name') && c.groupName !== null) out.group_name = c.groupName;
  if (f.has('group_avatar_url') && c.groupAvatarUrl !== null) out.group_avatar_url = c.groupAvatarUrl;
  if (exp.has('participant_ids')) out.participant_ids = members.map((m) => m.userId);
  if (c.kind === 'group' && exp.has('member_ids')) out.member_ids = members.map((m) => m.userId);
  if (c.kind === 'group' && exp.has('admin_ids')) out.admin_ids = members.filter((m) => m.role === 'admin').map((m) => m.userId);
  return out;
}

/** The user ids a chat conversation's expansions name, in the order the view lists them. */
export function chatConversationUserIds(c: ChatConversationRow, members: readonly ChatMemberRow[], sel: Selection): string[] {
  const exp = sel.expansions;
  if (exp.has('participant_ids') || (c.kind === 'group' && exp.has('member_ids'))) return members.map((m) => m.userId);
  if (c.kind === 'group' && exp.has('admin_ids')) return members.filter((m) => m.role === 'admin').map((m) => m.userId);
  return [];
}

/**
 * A chat event. Defaults: `id`, `encoded_event` (the payload, encrypted by the client). `message_event_signature`
 * is the signature object the client sent (for messages: `{encoded_message_event_signature}`).
 */
export function presentChatEvent(e: ChatEventRow, sel: Selection): View {
  const f = sel.chatEvent;
  const out: View = { id: e.id, encoded_event: e.encodedEvent };
  if (f.has('conversation_id')) out.conversation_id = e.conversationId;
  if (f.has('sender_id')) out.sender_id = e.senderId;
  if (f.has('created_at')) out.created_at = iso(e.createdAt);
  if (f.has('previous_id') && e.previousId !== null) out.previous_id = e.previousId;
  if (f.has('conversation_token') && e.conversationToken !== null) out.conversation_token = e.conversationToken;
  if (f.has('message_event_signature') && e.signature) out.message_event_signature = e.signature;
  // Events are stored only when their sender was a member: Roost vouches for each sender.
  if (f.has('is_trusted')) out.is_trusted = true;
  return out;
}

/**
 * A registered public key. Defaults: `public_key_version`, `public_key`. `juicebox_config` (X's key-backup realm
 * configuration) is never set: Roost runs no key backup.
 */
export function presentPublicKey(k: PublicKeyRow, sel: Selection): View {
  const f = sel.publicKey;
  const out: View = { public_key_version: k.version };
  if (k.publicKey !== null) out.public_key = k.publicKey;
  if (f.has('signing_public_key') && k.signingPublicKey !== null) out.signing_public_key = k.signingPublicKey;
  if (f.has('identity_public_key_signature') && k.identityPublicKeySignature !== null) out.identity_public_key_signature = k.identityPublicKeySignature;
  return out;
}
