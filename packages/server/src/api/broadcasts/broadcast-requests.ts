/** What the Broadcasts operations share: their limits and prices, and the answer carrying one scheduled broadcast. */
import type { OperationRequest, OperationResult } from '../operation.js';
import type { ScheduledBroadcastRow } from '../../data/broadcasts.js';
import { meter, PRICES } from '../../limits/metering.js';
import { isRefusal, type Refusal } from '../../domain/write.js';
import { presentScheduledBroadcast } from '../../pipeline/present-broadcasts.js';
import { refused } from '../write-answers.js';

/**
 * X publishes no rate limits or prices for Broadcasts (FACTS §4.2, §4.3): they take Roost's default limit (900 per
 * 15 minutes); reads are priced per broadcast returned as a generic resource, changes as a content manage write,
 * chat messages as an interaction.
 */
export const BROADCAST_LIMIT = {} as const;
export const BROADCAST_READ_PRICE = meter.read('resource');
export const BROADCAST_WRITE_PRICE = meter.request(PRICES.manage);
export const BROADCAST_CHAT_PRICE = meter.request(PRICES.interactionCreate);

/** `data` of one scheduled broadcast as the clock now sees it, or the refusal naming `id`. */
export function broadcastAnswer(req: OperationRequest, r: ScheduledBroadcastRow | Refusal, status = 200): OperationResult {
  if (isRefusal(r)) return refused(r, 'id');
  return { status, body: { data: presentScheduledBroadcast(r, req.ctx.clock.now()) } };
}
