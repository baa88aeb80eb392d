/**
 * Backfill and recovery (FACTS §6): the stream events of the last five minutes by the server clock, so
 * `backfill_minutes` and `start_time`/`end_time` can replay what a client missed. Events carry their arrival
 * order: a replay covers only events that arrived before its connection opened, and later ones reach the
 * connection live, so none is written twice.
 */
import type { DomainEvent } from '../events/bus.js';
import type { StreamConnection } from './connection.js';
import type { OpenRequest } from './spec.js';

export interface RecentLimits {
  /** Events older than this are dropped (the spec's longest backfill). */
  maxAgeMs: number;
  /** And never more than this many, so a burst cannot grow the buffer without bound. */
  maxEvents: number;
}

/** What a replay needs of its connection. */
export type Replayed = Pick<StreamConnection, 'closed' | 'ready' | 'complete'>;

interface RecentEvent {
  event: DomainEvent;
  at: number;
  seq: number;
}

/** Smallest dropped prefix worth compacting: below it the array is left alone. */
const COMPACT_AFTER = 1024;

export class RecentEvents {
  /** The buffer is `events[head..]`, a queue over an array: trimming the front is O(1). */
  private readonly events: RecentEvent[] = [];
  private head = 0;
  private seq = 0;

  constructor(private readonly limits: RecentLimits = { maxAgeMs: 5 * 60_000, maxEvents: 100_000 }) {}

  /** Arrival number of the last recorded event: a replay started now covers events up to it. */
  get lastSeq(): number {
    return this.seq;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  record(event: DomainEvent, now: number): void {
    const r = this.events;
    r.push({ event, at: now, seq: ++this.seq });
    const { maxEvents, maxAgeMs } = this.limits;
    while (this.head < r.length && (r.length - this.head > maxEvents || r[this.head]!.at < now - maxAgeMs)) {
      r[this.head++] = undefined as unknown as RecentEvent;
    }
    // Compact once the dropped prefix is half the array: amortized O(1) per event.
    if (this.head > COMPACT_AFTER && this.head * 2 > r.length) {
      r.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Buffered events that arrived up to `upToSeq` and were recorded within [from, until], oldest first. */
  window(from: number, until: number, upToSeq: number): DomainEvent[] {
    const out: DomainEvent[] = [];
    for (let i = this.head; i < this.events.length; i++) {
      const r = this.events[i]!;
      if (r.seq > upToSeq) break;
      if (r.at >= from && r.at <= until) out.push(r.event);
    }
    return out;
  }

  /**
   * Writes a new connection's replay through `deliver`, then lets it go live — or, with `replayUntil` (recovery),
   * ends it. Runs in the dispatcher's queue, so live events queued behind it are written after it.
   */
  async replay(conn: Replayed, o: Pick<OpenRequest, 'replayFrom' | 'replayUntil'>, upToSeq: number, deliver: (e: DomainEvent) => Promise<void>): Promise<void> {
    if (o.replayFrom !== null) {
      for (const e of this.window(o.replayFrom, o.replayUntil ?? Infinity, upToSeq)) {
        if (conn.closed) break;
        await deliver(e);
      }
    }
    if (o.replayUntil !== null) conn.complete();
    else conn.ready = true;
  }
}
