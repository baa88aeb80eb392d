/**
 * One open stream: chunked HTTP with one JSON object per `\r\n`-terminated line, a bare `\r\n` keep-alive every
 * `keepaliveMs`, and a bound on unsent bytes — a client that does not keep up is dropped (SlowReader) instead of
 * making the server buffer without limit. It knows nothing of other connections: whoever opened it is told once,
 * through `onClosed`, why it ended.
 */
import type { ServerResponse } from 'node:http';
import type { EndpointName, Handover, OpenRequest, StreamSpec } from './spec.js';
import { CRLF } from './views.js';

export type DisconnectReason = 'ClientDisconnected' | 'SlowReader' | 'ForceDisconnect' | 'OperationalDisconnect';

/** What GET /2/connections reports of a connection, open or closed. */
export interface ConnectionInfo {
  id: string;
  appId: string;
  endpoint: EndpointName;
  partition: number | null;
  clientIp: string;
  connectedAt: number;
  disconnectedAt: number | null;
  disconnectReason: DisconnectReason | null;
  /** Order of opening (pagination of GET /2/connections). */
  seq: number;
}

export interface ConnectionLimits {
  keepaliveMs: number;
  /** Unsent bytes past which the reader counts as too slow. */
  bufferBytes: number;
}

export class StreamConnection {
  private timer: NodeJS.Timeout | null = null;
  closed = false;
  /** Live events wait until backfill has been written. */
  ready = false;

  constructor(
    readonly spec: StreamSpec,
    readonly open: OpenRequest,
    readonly info: ConnectionInfo,
    private readonly res: ServerResponse,
    private readonly limits: ConnectionLimits,
    private readonly onClosed: (c: StreamConnection, reason: DisconnectReason) => void,
  ) {}

  start(h: Handover): void {
    const res = this.res;
    res.writeHead(200, h.headers as Record<string, string>);
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    // 'close' fires when the client goes away (or after our own end/destroy, when finish is a no-op).
    res.on('close', () => this.finish('ClientDisconnected'));
    res.on('error', () => this.finish('ClientDisconnected'));
    this.timer = setInterval(() => this.write(CRLF), this.limits.keepaliveMs);
    this.timer.unref();
  }

  /** Writes one frame; drops the connection when the client does not keep up. */
  write(frame: string): void {
    if (this.closed) return;
    this.res.write(frame);
    if (this.res.writableLength > this.limits.bufferBytes) {
      this.finish('SlowReader');
      this.res.destroy();
    }
  }

  /** Ends a recovery stream after its replay. */
  complete(): void {
    if (this.closed) return;
    this.finish('ClientDisconnected');
    this.res.end();
  }

  /** Ends the stream with a final error line (shutdown, force disconnect). */
  end(reason: DisconnectReason, line: string): void {
    if (this.closed) return;
    this.res.write(line);
    this.finish(reason);
    this.res.end();
    // A client that stopped reading must not hold the server open.
    setTimeout(() => this.res.destroy(), 1000).unref();
  }

  private finish(reason: DisconnectReason): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.onClosed(this, reason);
  }
}
