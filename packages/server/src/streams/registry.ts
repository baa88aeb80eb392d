/**
 * The node's stream connections: this node's count of them (`streamConnections` per app, endpoint and partition,
 * FACTS §6.3 — the slots every node shares are slots.ts's), the bounded history of closed connections that GET
 * /2/connections reports, and force-disconnects for the Connections API. History lives in memory, per node.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { PROBLEMS, ProblemError } from '../errors.js';
import { StreamConnection, type ConnectionInfo, type ConnectionLimits, type DisconnectReason } from './connection.js';
import type { Handover, OpenRequest, StreamSpec } from './spec.js';
import { disconnectLine } from './views.js';

/** Closed connections remembered for `status=inactive`. */
const HISTORY = 1000;

/** 429 for a connection over the app's slot count (FACTS §6.3). */
export const tooManyConnections = () =>
  new ProblemError(429, {
    title: 'ConnectionException',
    detail: 'This stream is currently at the maximum allowed connection limit.',
    connection_issue: 'TooManyConnections',
    type: `${PROBLEMS}streaming-connection`,
  });

export interface RegistryOptions {
  clock: Clock;
  /** Connections allowed per app, endpoint and partition. */
  slots: number;
  limits: ConnectionLimits;
  /** Told once when an admitted connection closes, whatever the reason (its slot is freed then). */
  onClosed?: (info: ConnectionInfo) => void;
}

export class ConnectionRegistry {
  private readonly open = new Set<StreamConnection>();
  private readonly history: ConnectionInfo[] = [];
  private seq = 0;

  constructor(private readonly opts: RegistryOptions) {}

  /** Connections an app may hold on this endpoint (and partition). */
  max(spec: StreamSpec): number {
    return spec.connections ?? this.opts.slots;
  }

  /** Whether the app already uses every slot of this endpoint and partition. */
  full(appId: string, spec: StreamSpec, partition: number | null): boolean {
    let busy = 0;
    for (const c of this.open) if (c.open.appId === appId && c.spec.endpoint === spec.endpoint && c.open.partition === partition) busy++;
    return busy >= this.max(spec);
  }

  /**
   * Takes a slot and starts the stream on the handed-over socket, or returns null when the slots filled up
   * since the request was checked (two racing connects: the second one loses).
   */
  admit(spec: StreamSpec, o: OpenRequest, h: Handover, id: string = randomUUID()): StreamConnection | null {
    const info: ConnectionInfo = {
      id,
      appId: o.appId,
      endpoint: spec.endpoint,
      partition: o.partition,
      clientIp: h.req.socket.remoteAddress ?? '',
      connectedAt: this.opts.clock.now(),
      disconnectedAt: null,
      disconnectReason: null,
      seq: ++this.seq,
    };
    if (this.full(o.appId, spec, o.partition)) return null;
    const conn = new StreamConnection(spec, o, info, h.res, this.opts.limits, (c, reason) => this.closed(c, reason));
    this.open.add(conn);
    conn.start(h);
    return conn;
  }

  private closed(c: StreamConnection, reason: DisconnectReason): void {
    if (!this.open.delete(c)) return;
    c.info.disconnectedAt = this.opts.clock.now();
    c.info.disconnectReason = reason;
    this.history.push(c.info);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    this.opts.onClosed?.(c.info);
  }

  get size(): number {
    return this.open.size;
  }

  /** Connections past their backfill, in opening order: the ones live events go to. */
  live(): StreamConnection[] {
    const out: StreamConnection[] = [];
    for (const c of this.open) if (c.ready) out.push(c);
    return out;
  }

  /** Connections of an app, newest first: active, inactive (closed, kept in memory) or both. */
  connections(appId: string, status: 'active' | 'inactive' | 'all'): ConnectionInfo[] {
    const out: ConnectionInfo[] = [];
    if (status !== 'inactive') for (const c of this.open) if (c.info.appId === appId) out.push(c.info);
    if (status !== 'active') for (const i of this.history) if (i.appId === appId) out.push(i);
    return out.sort((a, b) => b.seq - a.seq);
  }

  /** Force-disconnects the app's live connections chosen by `pick`; returns their ids. */
  kill(appId: string, pick: (i: ConnectionInfo) => boolean): string[] {
    const killed: string[] = [];
    for (const c of [...this.open]) {
      if (c.info.appId !== appId || !pick(c.info)) continue;
      killed.push(c.info.id);
      c.end('ForceDisconnect', disconnectLine('force'));
    }
    return killed;
  }

  /** Server shutdown: every stream gets the operational-disconnect line, then ends. */
  endAll(): void {
    for (const c of [...this.open]) c.end('OperationalDisconnect', disconnectLine('shutdown'));
  }
}
