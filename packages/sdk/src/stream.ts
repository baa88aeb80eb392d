/**
 * Event-driven streams of newline-delimited JSON (X's `\r\n` framing), with X's reconnection policy:
 * network errors (and stalls, and a server closing the stream) back off linearly (+250 ms, ≤ 16 s, the first
 * retry immediate), HTTP errors exponentially from 5 s (≤ 320 s), 429 exponentially from 60 s. Other 4xx are final.
 */
import { ApiError } from './core.js';
import type { TransportResponse } from './transport.js';
import type { ReconnectOptions, StreamOptionsBase } from './types.js';
import type { CallSpec, Client } from './client.js';
import { defaultSleep } from './sleep.js';

/** A parsed line of a stream: `{ data, includes, matching_rules }` (or `errors`), keys as sent. */
export interface StreamDataEvent<T = any> {
  data?: T;
  includes?: Record<string, any[]>;
  matching_rules?: { id: string; tag?: string }[];
  errors?: any[];
  [key: string]: unknown;
}

export interface StreamReconnectEvent {
  attempt: number;
  delayMs: number;
  reason: 'network' | 'http' | 'rate-limit' | 'stall' | 'ended';
  error?: unknown;
}

export interface StreamEventMap<T> {
  data: StreamDataEvent<T>;
  keepAlive: { line?: unknown };
  error: { error: unknown };
  close: { message: string };
  connect: { reconnect: boolean };
  reconnect: StreamReconnectEvent;
  warning: { error: unknown; line: string };
}

const DEFAULT_STALL_MS = 30_000;

type Connect = (reconnecting: boolean, signal: AbortSignal) => Promise<TransportResponse>;
type Listener = (ev: any) => void;

export class EventDrivenStream<T = any> implements AsyncIterable<StreamDataEvent<T>> {
  private readonly listeners: Record<string, Listener[]> = {};
  private readonly ctl = new AbortController();
  private res?: TransportResponse;
  private closed = false;
  private reading = false;
  private lastByteAt = 0;
  private stallTimer?: ReturnType<typeof setTimeout>;
  private stalled = false;
  private readonly opts: Required<Omit<ReconnectOptions, 'backfillMinutes'>>;
  private network = 0;
  private http = 0;
  private limited = 0;
  /** Completed reconnections. */
  reconnects = 0;
  /** Data events delivered. */
  received = 0;

  constructor(private readonly connect: Connect, options: ReconnectOptions & { signal?: AbortSignal } = {}) {
    this.opts = {
      enabled: options.enabled ?? true,
      maxAttempts: options.maxAttempts ?? Infinity,
      networkStepMs: options.networkStepMs ?? 250,
      networkMaxMs: options.networkMaxMs ?? 16_000,
      httpStartMs: options.httpStartMs ?? 5_000,
      httpMaxMs: options.httpMaxMs ?? 320_000,
      rateLimitStartMs: options.rateLimitStartMs ?? 60_000,
      rateLimitMaxMs: options.rateLimitMaxMs ?? 960_000,
      stallMs: options.stallMs ?? DEFAULT_STALL_MS,
      sleep: options.sleep ?? defaultSleep,
    };
    const outer = options.signal;
    if (outer) {
      if (outer.aborted) this.close();
      else outer.addEventListener('abort', () => this.close(), { once: true });
    }
  }

  get autoReconnectEnabled(): boolean {
    return this.opts.enabled;
  }
  set autoReconnectEnabled(v: boolean) {
    this.opts.enabled = v;
  }
  get maxReconnectAttemptsCount(): number {
    return this.opts.maxAttempts;
  }
  set maxReconnectAttemptsCount(v: number) {
    this.opts.maxAttempts = v;
  }
  get isClosed(): boolean {
    return this.closed;
  }

  /** Opens the first connection; rejects with ApiError when it fails. */
  async start(): Promise<void> {
    this.res = await this.connect(false, this.ctl.signal);
    this.emit('connect', { reconnect: false });
  }

  /** Adds a listener. Reading starts with the first `data` listener (or iteration), so no event is missed. */
  on<K extends keyof StreamEventMap<T>>(event: K, fn: (ev: StreamEventMap<T>[K]) => void): this {
    (this.listeners[event] ??= []).push(fn);
    if (event === 'data') this.begin();
    return this;
  }

  off<K extends keyof StreamEventMap<T>>(event: K, fn: (ev: StreamEventMap<T>[K]) => void): this {
    const l = this.listeners[event];
    if (l) this.listeners[event] = l.filter((x) => x !== fn);
    return this;
  }

  /** Ends the stream: aborts the connection, stops reconnecting, emits `close` once. */
  close(message = 'Stream closed'): void {
    if (this.closed) return;
    this.closed = true;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.ctl.abort(new Error(message));
    this.res?.cancel();
    this.emit('close', { message });
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamDataEvent<T>> {
    const queue: StreamDataEvent<T>[] = [];
    let head = 0;
    let wake: (() => void) | undefined;
    let ended = this.closed;
    let failure: unknown;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const onData = (ev: StreamDataEvent<T>) => {
      queue.push(ev);
      if (wake) notify();
    };
    const onClose = () => {
      ended = true;
      notify();
    };
    const onError = (ev: { error: unknown }) => {
      failure = ev.error;
    };
    const detach = () => {
      this.off('data', onData);
      this.off('close', onClose);
      this.off('error', onError);
    };
    this.on('close', onClose);
    this.on('error', onError);
    this.on('data', onData);
    return {
      next: async (): Promise<IteratorResult<StreamDataEvent<T>>> => {
        for (;;) {
          if (head < queue.length) {
            const value = queue[head++];
            if (head > 1024 && head * 2 > queue.length) {
              queue.splice(0, head);
              head = 0;
            }
            return { value, done: false };
          }
          if (ended) {
            detach();
            if (failure !== undefined) {
              const f = failure;
              failure = undefined;
              throw f;
            }
            return { value: undefined, done: true };
          }
          await new Promise<void>((r) => (wake = r));
        }
      },
      return: async (): Promise<IteratorResult<StreamDataEvent<T>>> => {
        detach();
        this.close('Iteration ended');
        return { value: undefined, done: true };
      },
    };
  }

  private emit(event: string, ev: unknown): void {
    const l = this.listeners[event];
    if (!l) return;
    for (let i = 0; i < l.length; i++) l[i](ev);
  }

  private begin(): void {
    if (this.reading || this.closed) return;
    this.reading = true;
    void this.run();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      let reason: StreamReconnectEvent['reason'] = 'ended';
      let error: unknown;
      try {
        await this.read(this.res!);
      } catch (e) {
        reason = 'network';
        error = e;
      }
      if (this.closed) return;
      if (this.stalled) reason = 'stall';
      if (!this.opts.enabled) {
        if (reason === 'ended') this.close('Stream ended by the server');
        else this.fail(error ?? new Error('Stream stalled'));
        return;
      }
      if (!(await this.reconnect(reason, error))) return;
    }
  }

  private async read(res: TransportResponse): Promise<void> {
    this.stalled = false;
    this.lastByteAt = Date.now();
    this.armStall(res);
    const decoder = new TextDecoder();
    let buf = '';
    try {
      await res.read((chunk) => {
        this.lastByteAt = Date.now();
        if (this.network + this.http + this.limited) this.network = this.http = this.limited = 0;
        if (this.closed) return;
        buf += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
        // Every complete line of the chunk at once; the incomplete tail waits for the next chunk.
        const last = buf.lastIndexOf('\n');
        if (last === -1) return;
        const block = last === buf.length - 1 ? buf : buf.slice(0, last + 1);
        buf = last === buf.length - 1 ? '' : buf.slice(last + 1);
        this.block(block);
      });
      buf += decoder.decode();
      if (buf.trim() && !this.closed) this.line(buf.trim());
    } finally {
      if (this.stallTimer) clearTimeout(this.stallTimer);
    }
  }

  /**
   * Complete lines (`text` ends with a line feed): blank lines are keep-alives; each run of lines between them is
   * parsed with one `JSON.parse` as an array (a line feed cannot occur inside a JSON line, so it separates values),
   * which costs less than a parse and a substring per line. A run with a malformed line is parsed line by line so
   * that only that line becomes a `warning`.
   */
  private block(text: string): void {
    const n = text.length;
    const bareBlank = text.indexOf('\n\n') !== -1;
    let start = 0;
    while (start < n) {
      if (this.closed) return;
      const c = text.charCodeAt(start);
      if (c === 10 || (c === 13 && text.charCodeAt(start + 1) === 10)) {
        this.emit('keepAlive', {});
        start += c === 10 ? 1 : 2;
        continue;
      }
      // The run ends after the line feed that precedes the next blank line (or at the end of the block).
      let blank = text.indexOf('\n\r\n', start);
      if (bareBlank) {
        const b2 = text.indexOf('\n\n', start);
        if (b2 !== -1 && (blank === -1 || b2 < blank)) blank = b2;
      }
      const end = blank === -1 ? n : blank + 1;
      const run = start === 0 && end === n ? text : text.slice(start, end);
      start = end;
      let events: unknown[];
      try {
        events = JSON.parse(`[${run.slice(0, -1).replaceAll('\n', ',')}]`);
      } catch {
        for (const line of run.slice(0, -1).split('\n')) {
          if (this.closed) return;
          this.line(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
        }
        continue;
      }
      for (let i = 0; i < events.length; i++) {
        if (this.closed) return;
        this.event(events[i]);
      }
    }
  }

  private line(text: string): void {
    let ev: any;
    try {
      ev = JSON.parse(text);
    } catch (error) {
      this.emit('warning', { error, line: text });
      return;
    }
    this.event(ev);
  }

  private event(ev: any): void {
    if (ev && typeof ev === 'object' && (ev.data !== undefined || ev.includes !== undefined || ev.matching_rules !== undefined || ev.errors !== undefined)) {
      this.received++;
      this.emit('data', ev);
    } else this.emit('keepAlive', { line: ev });
  }

  private armStall(res: TransportResponse): void {
    const ms = this.opts.stallMs;
    if (!ms) return;
    const check = () => {
      const idle = Date.now() - this.lastByteAt;
      if (idle >= ms) {
        this.stalled = true;
        res.cancel();
      } else this.stallTimer = setTimeout(check, ms - idle);
    };
    this.stallTimer = setTimeout(check, ms);
  }

  /** Reconnects with backoff; false when the stream ended for good. */
  private async reconnect(first: StreamReconnectEvent['reason'], firstError: unknown): Promise<boolean> {
    let reason = first;
    let error = firstError;
    for (;;) {
      // Consecutive attempts since bytes last arrived (a connection that closes at once keeps backing off).
      const attempt = this.network + this.http + this.limited + 1;
      if (attempt > this.opts.maxAttempts) {
        this.fail(error ?? new Error(`Gave up reconnecting after ${attempt - 1} attempts`));
        return false;
      }
      let delayMs: number;
      if (reason === 'rate-limit') delayMs = Math.min(this.opts.rateLimitStartMs * 2 ** this.limited++, this.opts.rateLimitMaxMs);
      else if (reason === 'http') delayMs = Math.min(this.opts.httpStartMs * 2 ** this.http++, this.opts.httpMaxMs);
      else delayMs = Math.min(this.opts.networkStepMs * this.network++, this.opts.networkMaxMs);
      this.emit('reconnect', { attempt, delayMs, reason, error });
      try {
        if (delayMs > 0) await this.opts.sleep(delayMs, this.ctl.signal);
        if (this.closed) return false;
        this.res = await this.connect(true, this.ctl.signal);
      } catch (e) {
        if (this.closed) return false;
        error = e;
        if (e instanceof ApiError && e.status > 0) {
          if (e.status === 429) reason = 'rate-limit';
          else if (e.status >= 500 || e.status === 408) reason = 'http';
          else {
            this.fail(e);
            return false;
          }
        } else reason = 'network';
        continue;
      }
      this.reconnects++;
      this.emit('connect', { reconnect: true });
      return true;
    }
  }

  private fail(error: unknown): void {
    this.emit('error', { error });
    this.close('Stream failed');
  }
}

/**
 * Opens a stream operation (called by generated streaming methods): reconnections carry `backfill_minutes` if asked.
 * The body has no time limit, but the response head must arrive within `stallMs` (or the client's timeout when the
 * stall detector is off): a server that accepts and never answers fails the open, or is a network error to reconnect.
 */
export async function openStream(client: Client, spec: CallSpec, options?: StreamOptionsBase): Promise<EventDrivenStream> {
  const base = { ...(options?.requestOptions ?? {}) };
  if (options?.headers) base.headers = { ...base.headers, ...options.headers };
  const headersTimeout = (options?.reconnect?.stallMs ?? DEFAULT_STALL_MS) || client.timeout;
  const stream = new EventDrivenStream(
    async (reconnecting, signal) => {
      let path = spec.path;
      const backfill = options?.reconnect?.backfillMinutes;
      if (reconnecting && backfill && !/[?&]backfill_minutes=/.test(path)) path += `${path.includes('?') ? '&' : '?'}backfill_minutes=${backfill}`;
      return client.open({ ...spec, path, opts: { ...base, signal, retry: false } }, { timeout: 0, headersTimeout });
    },
    { ...options?.reconnect, signal: options?.signal },
  );
  await stream.start();
  return stream;
}
