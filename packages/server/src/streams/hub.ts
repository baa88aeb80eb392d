/**
 * Streams (FACTS §6): the one object the rest of the server talks to, built in the composition root
 * (context.ts) so it subscribes before any client connects and backfill can replay what came before. It composes
 * the parts and owns only the open/shutdown sequence:
 *
 * - registry.ts — this node's connections, closed-connection history, kills;
 * - slots.ts — connection slots (429 TooManyConnections): this node's memory, or Redis shared by every node;
 * - connection.ts — one open stream: framing, keep-alive, bounded buffer, ending lines;
 * - backfill.ts — the last five minutes of events and their replay;
 * - dispatch.ts — the bus subscriber: ordered delivery, matching (rule-sets.ts), one render per selection;
 * - views.ts — the wire lines, pure.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Repos } from '../data/index.js';
import { fromError, PROBLEMS, ProblemError } from '../errors.js';
import type { Bus } from '../events/bus.js';
import type { Snowflake } from '../util/snowflake.js';
import { RecentEvents } from './backfill.js';
import type { ConnectionInfo } from './connection.js';
import { Dispatcher } from './dispatch.js';
import { ConnectionRegistry, tooManyConnections } from './registry.js';
import type { Billing } from '../domain/billing.js';
import { eventPrice } from '../limits/metering.js';
import { RuleSets } from './rule-sets.js';
import { MemoryStreamSlots, slotKey, type StreamSlots } from './slots.js';
import type { Handover, OpenRequest, StreamSpec } from './spec.js';

export type { EndpointName, Handover, OpenRequest, StreamKind, StreamSpec } from './spec.js';
export type { ConnectionInfo, DisconnectReason } from './connection.js';

export interface StreamHubDeps {
  config: Pick<Config, 'tier' | 'streamConnections' | 'streamKeepaliveMs' | 'streamBufferBytes'>;
  clock: Clock;
  repos: Repos;
  bus: Bus;
  /** Ids of the messages streams make up (the activity stream's `event_uuid`). */
  ids: Snowflake;
  log: Pick<Logger, 'error'>;
  /** Where slots are counted: this node's memory unless a shared backend is given. */
  slots?: StreamSlots;
  /** Metering: activity events written to streams are charged per event (FACTS §4.3). */
  metering?: Pick<Billing, 'chargeEvent'>;
}

export class StreamHub {
  private readonly registry: ConnectionRegistry;
  private readonly backfill = new RecentEvents();
  private readonly dispatch: Dispatcher;
  private readonly slots: StreamSlots;
  private shuttingDown = false;

  constructor(private readonly deps: StreamHubDeps) {
    const { config } = deps;
    const slots = (this.slots = deps.slots ?? new MemoryStreamSlots());
    this.registry = new ConnectionRegistry({
      clock: deps.clock,
      slots: config.streamConnections,
      limits: { keepaliveMs: config.streamKeepaliveMs, bufferBytes: config.streamBufferBytes },
      onClosed: (i) => void slots.release(slotKey(i.appId, i.endpoint, i.partition), i.id).catch((err) => deps.log.error({ err }, 'stream slot release failed')),
    });
    this.dispatch = new Dispatcher({
      bus: deps.bus,
      repos: deps.repos,
      clock: deps.clock,
      ids: deps.ids,
      log: deps.log,
      registry: this.registry,
      backfill: this.backfill,
      rules: new RuleSets(deps.repos, config.tier),
      chargeEvent: deps.metering ? (appId, eventType, once) => deps.metering!.chargeEvent(appId, eventPrice(eventType), once) : undefined,
    });
  }

  /**
   * Checks the connection slot (429 TooManyConnections) and, for the filtered stream, that the app has rules
   * (409). Returns the function that takes over the socket.
   */
  async prepare(spec: StreamSpec, o: OpenRequest): Promise<(h: Handover) => void> {
    if (this.shuttingDown) throw new ProblemError(503, { title: 'Service Unavailable', type: 'about:blank', status: 503, detail: 'Service Unavailable' });
    const key = slotKey(o.appId, spec.endpoint, o.partition);
    const max = this.registry.max(spec);
    // This node's count first (no round trip), then every node's.
    if (this.registry.full(o.appId, spec, o.partition) || (await this.slots.held(key)) >= max) throw tooManyConnections();
    if (spec.endpoint === 'filtered_stream') {
      // Counted in the database, not the cached rule set: a change may still be queued behind posts.
      if ((await this.deps.repos.streamRules.countByApp(o.appId)) === 0) {
        throw new ProblemError(409, {
          title: 'ConnectionException',
          detail: 'This stream has no rules: add rules with POST /2/tweets/search/stream/rules before connecting.',
          connection_issue: 'RuleConfigurationIssue',
          type: `${PROBLEMS}streaming-connection`,
        });
      }
    }
    return (h: Handover) => {
      // The slot is taken when the socket is handed over (two racing connects: the second one loses), under the
      // id the connection will carry, so closing it frees exactly that slot.
      const id = randomUUID();
      const take = this.shuttingDown ? Promise.resolve(false) : this.slots.acquire(key, max, id);
      take.then(
        (granted) => {
          const conn = granted && !this.shuttingDown ? this.registry.admit(spec, o, h, id) : null;
          if (!conn) {
            if (granted) void this.slots.release(key, id).catch(() => undefined);
            return refuse(h, tooManyConnections());
          }
          // The replay covers what arrived before this moment; later events (even if recorded before the replay
          // task runs) are written live, behind it in the queue.
          const upTo = this.backfill.lastSeq;
          this.dispatch.enqueue(() => this.backfill.replay(conn, o, upTo, (e) => this.dispatch.deliver(e, [conn])));
        },
        (err) => {
          this.deps.log.error({ err }, 'stream slot acquire failed');
          refuse(h, new ProblemError(503, { title: 'Service Unavailable', type: 'about:blank', status: 503, detail: 'Service Unavailable' }));
        },
      );
    };
  }

  /** Connections of an app, newest first: active, inactive (closed, kept in memory) or both. */
  connections(appId: string, status: 'active' | 'inactive' | 'all'): ConnectionInfo[] {
    return this.registry.connections(appId, status);
  }

  /** Force-disconnects the app's live connections chosen by `pick`; returns their ids. */
  kill(appId: string, pick: (i: ConnectionInfo) => boolean): string[] {
    return this.registry.kill(appId, pick);
  }

  get openCount(): number {
    return this.registry.size;
  }

  /** Server shutdown: no new events or connections, every stream ends with the operational-disconnect line. */
  async close(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const drained = this.dispatch.stop();
    this.registry.endAll();
    await drained;
    await this.slots.close();
  }
}

/** Answers a handed-over socket with an error instead of a stream. */
function refuse(h: Handover, e: ProblemError): void {
  const wire = fromError(e);
  h.res.writeHead(wire.status, { ...h.headers, ...wire.headers, 'content-type': wire.contentType } as Record<string, string>);
  h.res.end(JSON.stringify(wire.body));
}
