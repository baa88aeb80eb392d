/**
 * Event-driven streams of newline-delimited JSON (X's `\r\n` framing), with X's reconnection policy:
 * network errors (and stalls, and a server closing the stream) back off linearly (+250 ms, ≤ 16 s, the first
 * retry immediate), HTTP errors exponentially from 5 s (≤ 320 s), 429 exponentially from 60 s. Other 4xx are final.
 */
import { ApiError } from './errors.js';
import type { TransportResponse } from './transport.js';
import type { ReconnectOptions, StreamOptionsBase } from './types.js';
import type { BaseClient as Client, CallSpec } from './base.js';
import { defaultSleep } from './sleep.js';
import { parseRow, specOf, type OperationFunction } from './operation.js';

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
    const take = () => {
      const value = queue[head++];
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      return value;
    };
    const wait = async (): Promise<IteratorResult<StreamDataEvent<T>>> => {
      for (;;) {
        if (head < queue.length) return { value: take(), done: false };
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
    };
    this.on('close', onClose);
    this.on('error', onError);
    this.on('data', onData);
    return {
      // A queued event is handed over without an async function's overhead; otherwise wait for one or the end.
      next: (): Promise<IteratorResult<StreamDataEvent<T>>> => (head < queue.length ? Promise.resolve({ value: take(), done: false }) : wait()),
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
    const lines = new Lines({
      closed: () => this.closed,
      events: (list) => {
        for (let i = 0; i < list.length; i++) {
          if (this.closed) return;
          this.event(list[i]);
        }
      },
      keepAlive: () => this.closed || this.emit('keepAlive', {}),
      line: (text) => this.line(text),
    });
    try {
      await res.read((chunk) => {
        this.lastByteAt = Date.now();
        if (this.network + this.http + this.limited) this.network = this.http = this.limited = 0;
        if (!this.closed) lines.push(typeof chunk === 'string' ? (encoder ??= new TextEncoder()).encode(chunk) : chunk);
      });
      const rest = lines.rest().trim();
      if (rest && !this.closed) this.line(rest);
    } finally {
      if (this.stallTimer) clearTimeout(this.stallTimer);
    }
  }

  /** One line parsed on its own: an event, a keep-alive (JSON without event fields) or a `warning`. */
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

let encoder: { encode(s: string): Uint8Array } | undefined;

/**
 * node:buffer where available: a `Buffer` finds line feeds with memchr (several times faster than a typed array's
 * `indexOf`), and decodes UTF-8 faster than `TextDecoder` (which goes byte by byte after the first non-ASCII byte,
 * about a quarter of the parsing cost of mixed-script posts): ASCII-only bytes as Latin-1, others through ICU's
 * converter; bytes that are not valid UTF-8 make ICU throw and go to `TextDecoder` (U+FFFD replacements as before).
 */
function nodeBytes(): { alloc: (n: number) => Uint8Array; decode: (bytes: Uint8Array) => string } | undefined {
  const b = (globalThis as any).process?.getBuiltinModule?.('node:buffer');
  if (typeof b?.transcode !== 'function' || typeof b.isAscii !== 'function') return undefined;
  const { Buffer, transcode, isAscii } = b;
  const fallback = new TextDecoder();
  try {
    if (transcode(Buffer.from([0xc3, 0xa9, 0xf0, 0x9f, 0x90, 0xa6]), 'utf8', 'ucs2').toString('ucs2') !== 'é🐦') return undefined;
  } catch {
    return undefined; // a build without ICU
  }
  return {
    alloc: (n) => Buffer.allocUnsafeSlow(n),
    decode: (bytes) => {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (isAscii(buf)) return buf.toString('latin1');
      try {
        return transcode(buf, 'utf8', 'ucs2').toString('ucs2');
      } catch {
        return fallback.decode(bytes);
      }
    },
  };
}

/** Copies (a `Buffer`'s own `slice` would not). */
const copy = Uint8Array.prototype.slice;
const LF = 10;
const CR = 13;
const COMMA = 44;
const OPEN = 91;
const CLOSE = 93;

/**
 * Splits the bytes of one connection into lines. The bytes of an incomplete line wait (as bytes) for its line feed;
 * the complete lines of a read are copied once behind a `[` (into a buffer reused from read to read), their line feeds turned into `,` (and the last into
 * `]`) in place, and each run of lines between blank lines (keep-alives) is decoded from UTF-8 once and parsed with
 * one `JSON.parse` (a line feed is ASCII, so it never cuts a character; and it cannot occur inside a JSON line, so it
 * separates values). A run with a malformed line is parsed again line by line so that only that line warns.
 */
/** Where `Lines` delivers: the values of a parsed run in order, keep-alives, lines parsed one by one. */
interface LineSink {
  closed(): boolean;
  events(list: unknown[]): void;
  keepAlive(): void;
  line(text: string): void;
}

class Lines {
  private readonly decoder = new TextDecoder();
  private readonly node = nodeBytes();
  private readonly decode = this.node?.decode ?? ((bytes: Uint8Array) => this.decoder.decode(bytes));
  private tail: Uint8Array[] = [];
  private tailLength = 0;
  /** Reused for every read (its contents are decoded before `push` returns). */
  private scratch: Uint8Array = new Uint8Array(0);
  /** The bytes behind the current buffer (`tail` then `chunk`), for the line-by-line fallback. */
  private chunk?: Uint8Array;
  private prev: Uint8Array[] = [];

  constructor(private readonly sink: LineSink) {}

  push(chunk: Uint8Array): void {
    const last = chunk.lastIndexOf(LF);
    if (last === -1) {
      if (chunk.length) {
        this.tail.push(copy.call(chunk));
        this.tailLength += chunk.length;
      }
      return;
    }
    const t = this.tailLength;
    const size = t + last + 2;
    // Grown for a read of long lines; back to the usual size once reads are usual again (one long line must not pin
    // twice its size for the life of the connection).
    if (this.scratch.length < size || (this.scratch.length > 1 << 20 && size <= 65_536 + 1024)) {
      const n = Math.max(size, this.scratch.length < size ? 2 * this.scratch.length : 0, 65_536 + 1024);
      this.scratch = this.node ? this.node.alloc(n) : new Uint8Array(n);
    }
    const buf = this.scratch.subarray(0, size);
    buf[0] = OPEN;
    let at = 1;
    for (const part of this.tail) {
      buf.set(part, at);
      at += part.length;
    }
    buf.set(last + 1 === chunk.length ? chunk : chunk.subarray(0, last + 1), at);
    this.prev = this.tail;
    this.chunk = chunk;
    this.tail = [];
    this.tailLength = 0;
    if (last + 1 < chunk.length) {
      this.tail.push(copy.call(chunk, last + 1));
      this.tailLength = chunk.length - last - 1;
    }
    this.scan(buf);
    this.prev = [];
    this.chunk = undefined;
  }

  /** The incomplete last line at the end of the body. */
  rest(): string {
    let s = '';
    for (const part of this.tail) s += this.decoder.decode(part, { stream: true });
    return s + this.decoder.decode();
  }

  /** `buf` = `[` + complete lines (the last byte a line feed). */
  private scan(buf: Uint8Array): void {
    const stream = this.sink;
    const end = buf.length;
    let runStart = 0; // the `[` of the current run
    let open = false; // the run has a line
    let start = 1;
    while (start < end) {
      if (stream.closed()) return;
      const lf = buf.indexOf(LF, start);
      if (lf === start || (lf === start + 1 && buf[start] === CR)) {
        if (open) {
          buf[start - 1] = CLOSE;
          this.run(buf, runStart, start);
          open = false;
        }
        stream.keepAlive();
        buf[lf] = OPEN;
        runStart = lf;
      } else {
        buf[lf] = COMMA;
        open = true;
      }
      start = lf + 1;
    }
    if (open) {
      buf[end - 1] = CLOSE;
      this.run(buf, runStart, end);
    }
  }

  /** Parses `buf[from, to)` = `[line,line,…]`. */
  private run(buf: Uint8Array, from: number, to: number): void {
    const stream = this.sink;
    if (stream.closed()) return;
    let list: unknown[];
    try {
      list = JSON.parse(this.decode(buf.subarray(from, to)));
    } catch {
      // Line by line, from the bytes as received (buf[i] was byte i - 1 of tail + chunk).
      const raw = new Uint8Array(to - from - 1);
      let at = from + 1 - 1;
      let k = 0;
      for (const part of this.prev) {
        if (k >= raw.length) break;
        if (at >= part.length) {
          at -= part.length;
          continue;
        }
        const piece = part.subarray(at, Math.min(part.length, at + raw.length - k));
        raw.set(piece, k);
        k += piece.length;
        at = 0;
      }
      if (k < raw.length) raw.set(this.chunk!.subarray(at, at + raw.length - k), k);
      const lines = this.decoder.decode(raw).split('\n');
      for (let i = 0; i < lines.length - 1; i++) {
        if (stream.closed()) return;
        const l = lines[i];
        stream.line(l.charCodeAt(l.length - 1) === CR ? l.slice(0, -1) : l);
      }
      return;
    }
    stream.events(list);
  }
}

/**
 * Opens a stream (what streaming operation functions do): reconnections carry `backfill_minutes` if asked.
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
      return client.open({ ...spec, path, stream: true, opts: { ...base, signal, retry: false } }, { timeout: 0, headersTimeout });
    },
    { ...options?.reconnect, signal: options?.signal },
  );
  await stream.start();
  return stream;
}

/** The function of a streaming operation: resolves to the open stream. */
export function streamOperation<F = OperationFunction>(row: string): F {
  const r = parseRow(row);
  return Object.assign(async (client: Client, ...args: unknown[]) => openStream(client, specOf(r, args), args[r.positional.length + (r.flags & 1)] as StreamOptionsBase | undefined), { row: r }) as F;
}
