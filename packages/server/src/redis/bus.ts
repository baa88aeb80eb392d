import type { Redis } from 'ioredis';
import type { Bus, Delivery, DomainEvent, Subscriber } from '../events/bus.js';

export interface RedisBusOptions {
  /** Names this node's consumer position (`<prefix>bus:pos:<node>`); every node needs its own. */
  node: string;
  /** The stream keeps about this many events (XADD MAXLEN ~): the furthest a restarted node can catch up. */
  maxEvents?: number;
  /** A subscriber threw, or Redis failed under the reader. */
  onError?: (err: unknown) => void;
}

/** Events read per XREAD. */
const BATCH = 500;
/** How long one blocking read waits before it is issued again (bounds how late close() is noticed). */
const BLOCK_MS = 1000;
/** A position not written for this long is forgotten: the node is treated as new. */
const POSITION_TTL_S = 86_400;

const CATCH_UP: Delivery = { catchUp: true };
const LIVE: Delivery = { catchUp: false };

type Entries = [id: string, fields: string[]][];

/**
 * The bus on Redis Streams. `publish` appends the event to one stream (XADD) and resolves once Redis stored it;
 * every node reads that stream with a blocking XREAD on its own connection, so every node sees every node's
 * events, each once, in the one order Redis gave them — the publishing node included (it reads its own events
 * back rather than delivering them locally, so all nodes agree on the order).
 *
 * Each node keeps its consumer position (the last id it handed to subscribers) in Redis. `start()` first catches
 * up from that position — a restarted node gets everything published while it was down, still in the stream —
 * or, for a node never seen, from `since` (the streams' backfill window), then follows live.
 */
export class RedisBus implements Bus {
  private readonly subs = new Set<Subscriber>();
  private readonly stream: string;
  private readonly position: string;
  private readonly maxEvents: number;
  private last = '0-0';
  private closed = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly cmd: Redis,
    private readonly reader: Redis,
    prefix: string,
    private readonly opts: RedisBusOptions,
  ) {
    this.stream = `${prefix}events`;
    this.position = `${prefix}bus:pos:${opts.node}`;
    this.maxEvents = opts.maxEvents ?? 100_000;
  }

  async publish(event: DomainEvent): Promise<void> {
    await this.cmd.xadd(this.stream, 'MAXLEN', '~', String(this.maxEvents), '*', 'e', JSON.stringify(event));
  }

  subscribe(fn: Subscriber): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }

  /** The id this node has handed to subscribers up to. */
  get lastId(): string {
    return this.last;
  }

  /**
   * Catches up (delivering with `catchUp: true`) from the stored position, or from `since` (epoch ms) for a new
   * node; resolves when caught up, with the live reader running.
   */
  async start(since: number): Promise<void> {
    if (this.loop) return;
    this.last = (await this.cmd.get(this.position)) ?? `${Math.max(0, Math.floor(since))}-0`;
    // At most the whole stream: it holds about maxEvents, each round reads BATCH.
    const rounds = Math.ceil((this.maxEvents * 2) / BATCH) + 1;
    for (let i = 0; i < rounds; i++) {
      const got = await this.read(false);
      if (got < BATCH) break;
    }
    await this.savePosition();
    this.loop = this.follow();
  }

  /** One XREAD after the last id; delivers what came; returns how many. */
  private async read(block: boolean): Promise<number> {
    const args: (string | number)[] = ['COUNT', BATCH];
    if (block) args.push('BLOCK', BLOCK_MS);
    const res = (await this.reader.xread(...(args as ['COUNT', number]), 'STREAMS', this.stream, this.last)) as [string, Entries][] | null;
    const entries = res?.[0]?.[1] ?? [];
    for (const [id, fields] of entries) {
      this.last = id;
      const raw = fields[fields.indexOf('e') + 1];
      if (raw === undefined) continue;
      this.deliver(JSON.parse(raw) as DomainEvent, block ? LIVE : CATCH_UP);
    }
    return entries.length;
  }

  private deliver(event: DomainEvent, d: Delivery): void {
    for (const fn of this.subs) {
      try {
        fn(event, d);
      } catch (err) {
        this.opts.onError?.(err);
      }
    }
  }

  /** Runs until close(): each round blocks at most BLOCK_MS, then records the position it reached. */
  private async follow(): Promise<void> {
    while (!this.closed) {
      try {
        if ((await this.read(true)) > 0) void this.savePosition().catch(() => undefined);
      } catch (err) {
        if (this.closed) break;
        this.opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private async savePosition(): Promise<void> {
    await this.cmd.set(this.position, this.last, 'EX', POSITION_TTL_S);
  }

  /** Stops reading (the blocking read is cut off) and stores the position reached. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reader.disconnect();
    await this.loop;
    await this.savePosition().catch(() => undefined);
  }
}
