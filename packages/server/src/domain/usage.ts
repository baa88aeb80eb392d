/**
 * Usage per app and endpoint, for the Developer Console: every authenticated request counted by app, UTC day and
 * operation — requests, errors, post resources billed and cost — and the rate-limit headroom each endpoint had at
 * its last request. Counts are kept in memory and written in batches (every `flushMs`, before they are read, and on
 * close), as billing does; listeners hear which apps changed so the console can update without a reload.
 */
import type { Clock } from '../clock.js';
import type { EndpointUsageRow } from '../data/console.js';
import { utcDay } from '../limits/metering.js';

export interface EndpointUsageStore {
  addEndpointUsage(u: EndpointUsageRow): Promise<void>;
  endpointUsage(appIds: readonly string[], day: string): Promise<EndpointUsageRow[]>;
}

/** One request as the route layer saw it. */
export interface UsageEvent {
  appId: string;
  operationId: string;
  /** The user of a user-context request (its own rate-limit pool), null for app-only. */
  userId: string | null;
  status: number;
  costMicros: number;
  posts: number;
  /** The rate-limit headers the request was given, when it took a token. */
  rateLimit?: Record<string, string>;
}

export interface Headroom {
  appId: string;
  operationId: string;
  pool: 'app' | 'user';
  limit: number;
  remaining: number;
  reset: number;
}

type Listener = (appId: string) => void;

export class UsageMeter {
  private readonly pending = new Map<string, EndpointUsageRow>();
  private readonly headroom = new Map<string, Headroom>();
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EndpointUsageStore,
    private readonly clock: Clock,
    flushMs = 1000,
  ) {
    if (flushMs > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), flushMs);
      this.timer.unref();
    }
  }

  record(e: UsageEvent): void {
    const day = utcDay(this.clock.now());
    const key = `${e.appId}|${day}|${e.operationId}`;
    let u = this.pending.get(key);
    if (!u) this.pending.set(key, (u = { appId: e.appId, day, operationId: e.operationId, requests: 0, errors: 0, posts: 0, costMicros: 0 }));
    u.requests += 1;
    if (e.status >= 400) u.errors += 1;
    u.posts += e.posts;
    u.costMicros += e.costMicros;
    const limit = e.rateLimit?.['x-rate-limit-limit'];
    if (limit !== undefined) {
      const pool = e.userId === null ? 'app' : 'user';
      this.headroom.set(`${e.appId}|${e.operationId}|${pool}`, {
        appId: e.appId,
        operationId: e.operationId,
        pool,
        limit: Number(limit),
        remaining: Number(e.rateLimit!['x-rate-limit-remaining']),
        reset: Number(e.rateLimit!['x-rate-limit-reset']),
      });
    }
    for (const l of this.listeners) l(e.appId);
  }

  /** Hears the app of every request recorded; returns the unsubscribe function. */
  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Usage rows of the apps from `day` on, pending counts included. */
  async usage(appIds: readonly string[], day: string): Promise<EndpointUsageRow[]> {
    await this.flush();
    return this.store.endpointUsage(appIds, day);
  }

  /** The headroom of each endpoint the apps called, as of its last request (windows already over are full again). */
  headroomOf(appIds: readonly string[]): Headroom[] {
    const ids = new Set(appIds);
    const nowS = Math.floor(this.clock.now() / 1000);
    return [...this.headroom.values()]
      .filter((h) => ids.has(h.appId))
      .map((h) => (h.reset <= nowS ? { ...h, remaining: h.limit } : h))
      .sort((a, b) => a.operationId.localeCompare(b.operationId) || a.pool.localeCompare(b.pool));
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const rows = [...this.pending.values()];
      this.pending.clear();
      for (const r of rows) await this.store.addEndpointUsage(r);
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
