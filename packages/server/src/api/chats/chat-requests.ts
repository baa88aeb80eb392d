/** What the Chats operations share: their prices, and the answers of a refused or accepted change. */
import type { OperationResult } from '../operation.js';
import { meter, PRICES } from '../../limits/metering.js';
import { isRefusal, type Refusal } from '../../domain/write.js';
import type { KeyChange } from '../../domain/chats.js';
import { refused } from '../write-answers.js';

/**
 * X publishes no rate limits for Chats: they take Roost's default (900 per 15 minutes). Prices (FACTS §4.3):
 * reading conversations and events is priced as DM events; sending, creating and adding members as a DM
 * interaction; keys as a manage write; public keys as user reads; read receipts, typing indicators and
 * attachments are free.
 */
export const CHAT_LIMIT = {} as const;
export const CHAT_READ_PRICE = meter.read('dm');
export const CHAT_WRITE_PRICE = meter.request(PRICES.interactionCreate);
export const CHAT_MANAGE_PRICE = meter.request(PRICES.manage);
/** Public keys are read as user data ($0.010 per key returned). */
export const PUBLIC_KEY_PRICE = meter.read('user');

/** `{conversation_id, sequence_id}` of a key or membership change, or X's 200 with `errors` naming `id`. */
export function keyChangeAnswer(r: KeyChange | Refusal): OperationResult {
  if (isRefusal(r)) return refused(r, 'id');
  return { body: { data: { conversation_id: r.conversationId, sequence_id: r.sequenceId } } };
}

/** `{success: true}`, or the refusal naming `id`. */
export function successAnswer(r: true | Refusal): OperationResult {
  return isRefusal(r) ? refused(r, 'id') : { body: { data: { success: true } } };
}
