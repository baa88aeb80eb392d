/**
 * The unit of work every domain write runs in: repositories bound to a database transaction, and an outbox for
 * the events the write implies. Events are published on the bus only after the transaction commits, in the order
 * they were emitted; a write that throws (and so rolls back) publishes nothing. Consumers (streams) therefore
 * never see an event for a change that did not happen.
 *
 * Group commit: units of work are not given a transaction each. They queue, and one writer per repository set
 * takes the queue in arrival order — everything that arrived by the next turn of the event loop, at most
 * `maxBatch` — and runs it in ONE transaction, each unit inside its own savepoint. A unit that throws rolls back
 * to its savepoint alone (its events dropped, its caller gets its error); the others go on. After the commit every
 * unit's events are published, unit by unit in queue order, and only then is its caller answered — so nothing is
 * acknowledged before the transaction holding it is durable, and each unit sees exactly the state the units
 * before it left, as if they had run one after another. If the commit itself fails, every unit of the batch fails.
 * Units must do their rule checks inside `fn` (with its `r`), not before: a check made before queueing may be
 * stale by the time the unit runs (a post deleted by an earlier unit of the same batch).
 *
 * Events that webhooks may have to carry (`needsDelivery`) are also stored in the outbox table inside the unit
 * (under its savepoint), each with its own id: the change and its pending delivery commit together, so a crash
 * right after the commit loses no delivery (the delivery engine fans stored events out after a restart too).
 */
import { SavepointLost, type Repos } from '../data/index.js';
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

export function write<T>(ctx: Pick<DomainContext, 'repos' | 'bus' | 'ids'>, fn: (r: Repos, out: Outbox) => Promise<T>): Promise<T> {
  return committerOf(ctx.repos).submit(ctx.bus, ctx.ids, fn);
}

export interface GroupCommitOptions {
  /** Most units of work per transaction; 1 gives every unit a transaction of its own (serial mode). */
  maxBatch: number;
}

/** Units of work per transaction unless configured (`ROOST_WRITE_BATCH`, config.ts). */
export const DEFAULT_MAX_BATCH = 256;

interface Unit {
  bus: Bus;
  ids: Snowflake;
  fn: (r: Repos, out: Outbox) => Promise<unknown>;
  events: DomainEvent[];
  resolve(v: unknown): void;
  reject(e: unknown): void;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/** The single writer of one repository set: a queue drained one transaction per batch. */
class GroupCommit {
  private readonly queue: Unit[] = [];
  private draining = false;

  constructor(
    private readonly repos: Repos,
    readonly options: GroupCommitOptions,
  ) {}

  submit<T>(bus: Bus, ids: Snowflake, fn: (r: Repos, out: Outbox) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ bus, ids, fn, events: [], resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // Everything that arrives in this turn of the event loop joins the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.commit(this.queue.splice(0, Math.max(1, this.options.maxBatch)));
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Unit[]): Promise<void> {
    try {
      await this.repos.transaction(async (r) => {
        for (const u of batch) {
          if (batch.length === 1) {
            // Alone in its transaction: a failure rolls the transaction back, no savepoint needed.
            u.outcome = { ok: true, value: await runUnit(r, u) };
            continue;
          }
          try {
            u.outcome = { ok: true, value: await r.savepoint(() => runUnit(r, u)) };
          } catch (error) {
            if (error instanceof SavepointLost) throw error;
            u.events.length = 0;
            u.outcome = { ok: false, error };
          }
        }
      });
    } catch (error) {
      // The transaction did not commit: nothing of this batch happened.
      for (const u of batch) u.reject(u.outcome && !u.outcome.ok ? u.outcome.error : error);
      return;
    }
    // Every unit's events are published in queue order (a shared bus sends them down one connection); a unit is
    // answered once its own events are stored where all nodes read them (a shared bus answers then; the local bus
    // delivers synchronously), so an acknowledged write's events are never lost with this node.
    for (const u of batch) {
      const o = u.outcome!;
      if (!o.ok) {
        u.reject(o.error);
        continue;
      }
      const stored: Promise<void>[] = [];
      for (const e of u.events) {
        const p = u.bus.publish(e);
        if (p) stored.push(p);
      }
      if (!stored.length) u.resolve(o.value);
      else Promise.all(stored).then(() => u.resolve(o.value), (e: unknown) => u.reject(e));
    }
  }
}

/** One unit's change, with the outbox rows of the events webhooks may carry. */
async function runUnit(r: Repos, u: Unit): Promise<unknown> {
  const value = await u.fn(r, { emit: (e) => void u.events.push(e) });
  const durable = u.events.filter(needsDelivery);
  if (durable.length) await r.deliveries.enqueue(durable.map((e) => ({ id: u.ids.next(), type: e.type, event: JSON.stringify(e), at: e.at })));
  return value;
}

const committers = new WeakMap<Repos, GroupCommit>();

function committerOf(repos: Repos): GroupCommit {
  let c = committers.get(repos);
  if (!c) committers.set(repos, (c = new GroupCommit(repos, { maxBatch: DEFAULT_MAX_BATCH })));
  return c;
}

/** Sets how this repository set's writer batches (composition root; tests compare serial and batched mode). */
export function configureWrites(repos: Repos, options: GroupCommitOptions): void {
  committerOf(repos).options.maxBatch = options.maxBatch;
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
