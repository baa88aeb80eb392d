/**
 * The unit of work every domain write runs in: one database transaction with repositories bound to it, and an
 * outbox for the events the write implies. Events are published on the bus only after the transaction commits,
 * in the order they were emitted; a write that throws (and so rolls back) publishes nothing. Consumers (streams)
 * therefore never see an event for a change that did not happen.
 *
 * Events that webhooks may have to carry (`needsDelivery`) are also stored in the outbox table in the same
 * transaction, each with its own id: the change and its pending delivery commit together, so a crash right after
 * the commit loses no delivery (the delivery engine fans stored events out after a restart too).
 */
import type { Repos } from '../data/index.js';
import { needsDelivery, type Bus, type DomainEvent } from '../events/bus.js';
import type { Clock } from '../clock.js';
import type { Snowflake } from '../util/snowflake.js';

/** What domain operations need: storage, the bus, the server clock and the id generator. */
export interface DomainContext {
  repos: Repos;
  bus: Bus;
  clock: Clock;
  ids: Snowflake;
}

export interface Outbox {
  emit(event: DomainEvent): void;
}

export async function write<T>(ctx: Pick<DomainContext, 'repos' | 'bus' | 'ids'>, fn: (r: Repos, out: Outbox) => Promise<T>): Promise<T> {
  const events: DomainEvent[] = [];
  const result = await ctx.repos.transaction(async (r) => {
    const value = await fn(r, { emit: (e) => void events.push(e) });
    const durable = events.filter(needsDelivery);
    if (durable.length) await r.deliveries.enqueue(durable.map((e) => ({ id: ctx.ids.next(), type: e.type, event: JSON.stringify(e), at: e.at })));
    return value;
  });
  // Published in order (a shared bus sends them down one connection); its answers are awaited together, so the
  // client's answer implies every event is stored where all nodes read it.
  const stored: Promise<void>[] = [];
  for (const e of events) {
    const p = ctx.bus.publish(e);
    if (p) stored.push(p);
  }
  if (stored.length) await Promise.all(stored);
  return result;
}

/**
 * Why a write did not happen, in X's terms: the target is missing, hidden from the caller, suspended, a folder
 * that is not the caller's, a list the caller may not see (a private list of someone else is missing), or a
 * conversation the caller does not take part in (told apart from none at all by nothing), a scheduled broadcast or
 * article draft that is not the caller's (the same), or a broadcast that is not live to chat in. X answers these as a 200
 * carrying only `errors` (api/write-answers.ts).
 */
export interface Refusal {
  refused:
    | 'post-missing'
    | 'post-unauthorized'
    | 'user-missing'
    | 'user-suspended'
    | 'folder-missing'
    | 'list-missing'
    | 'list-unauthorized'
    | 'dm-conversation-missing'
    | 'chat-conversation-missing'
    | 'scheduled-broadcast-missing'
    | 'broadcast-missing'
    | 'broadcast-unavailable'
    | 'article-missing';
  /** The refused target (a repost of a repost targets, and may be refused for, the original). */
  id: string;
}

export const refuse = (refused: Refusal['refused'], id: string): Refusal => ({ refused, id });

export const isRefusal = (x: unknown): x is Refusal => typeof x === 'object' && x !== null && 'refused' in x;
