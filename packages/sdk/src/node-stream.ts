/**
 * The reader of long-lived stream bodies in Node: one raw `node:net` / `node:tls` socket per stream (a stream owns
 * its connection: `connection: close`), with its own HTTP/1.1 response parsing. node:http costs a few µs per HTTP
 * chunk and X writes one chunk per post; here one socket read (up to 64 KiB, hundreds of chunks) is unframed in a
 * tight loop into one contiguous run of body bytes, handed to the reader at once.
 *
 * Parsed: the status line, headers (repeated names joined with `, `), interim 1xx responses (skipped),
 * `Transfer-Encoding: chunked` (chunk extensions and trailers ignored, any line split across reads at any byte),
 * `Content-Length` and close-delimited bodies. Malformed framing fails the exchange with an `Error` (a network
 * error to the caller). TLS verifies certificates as Node does by default (extra CAs: `NODE_EXTRA_CA_CERTS`).
 *
 * The bytes handed to `read(onChunk)` are valid during that call only: a plain socket reads into one reused buffer,
 * and chunk data is moved within it. What must outlive the call is copied (`text()` and `arrayBuffer()` do).
 */
import { TimeoutError } from './transport.js';
import type { HeaderBag, TransportRequest, TransportResponse } from './transport.js';

/** Response headers, lower-case names; repeated headers are arrays (joined by `get`, as node:http's are). */
class RawHeaders implements HeaderBag {
  readonly raw: Record<string, string | string[]> = Object.create(null);
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : typeof v === 'string' ? v : v.join(', ');
  }
  add(name: string, value: string): void {
    const v = this.raw[name];
    if (v === undefined) this.raw[name] = value;
    else if (typeof v === 'string') this.raw[name] = [v, value];
    else v.push(value);
  }
}

const MAX_HEAD = 64 * 1024;
/** Plain sockets read into one buffer of this size, reused for every read (no allocation per read). */
const READ_BUFFER = 64 * 1024;
const MAX_LINE = 4096;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/; // as node:http: no control characters, nothing past Latin-1

// Body framing.
const NONE = 0;
const LENGTH = 1;
const CHUNKED = 2;
const CLOSE = 3;
// Chunked states.
const SIZE = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILER = 3;

export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  readonly code = 'HPE_INVALID_RESPONSE';
}
const malformed = (what: string) => new MalformedResponseError(`malformed HTTP response: ${what}`);

function abortError(signal: AbortSignal): Error {
  const r = signal.reason;
  if (r instanceof Error) return r;
  const e = new Error('This operation was aborted', { cause: r });
  e.name = 'AbortError';
  return e;
}

/** The request head as bytes; throws on header names or values that could split the request. */
function requestHead(req: TransportRequest, url: URL, bodyLength: number): string {
  if (!TOKEN.test(req.method)) throw new TypeError(`invalid HTTP method ${JSON.stringify(req.method)}`);
  let head = `${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  const h = req.headers;
  let host = false;
  for (const k in h) {
    const v = h[k];
    if (!TOKEN.test(k) || BAD_VALUE.test(v)) throw new TypeError(`invalid header ${JSON.stringify(k)}`);
    const lk = k.toLowerCase();
    if (lk === 'connection' || lk === 'content-length' || lk === 'transfer-encoding') continue;
    if (lk === 'host') host = true;
    head += `${k}: ${v}\r\n`;
  }
  if (!host) head += `host: ${url.host}\r\n`;
  if (bodyLength || (req.method !== 'GET' && req.method !== 'HEAD')) head += `content-length: ${bodyLength}\r\n`;
  return `${head}connection: close\r\n\r\n`;
}

interface Sink {
  data: (bytes: Uint8Array) => void;
  end: () => void;
  fail: (e: unknown) => void;
}

/** One exchange over its own socket: `open()` resolves at the response head; the body goes to one consumer. */
class RawExchange implements TransportResponse {
  status = 0;
  statusText = '';
  headers = new RawHeaders();

  private socket: any;
  private phase: 'head' | 'body' | 'done' = 'head';
  private head?: any; // bytes of an incomplete head
  private framing = NONE;
  private remain = 0; // LENGTH: body bytes left; CHUNKED: bytes left in the current chunk
  private chunkState = SIZE;
  private carry?: any; // CHUNKED: bytes of a size line / CRLF / trailer line cut by the end of a read
  private pending?: any; // body bytes read before a consumer attached
  private sink?: Sink;
  private failure?: unknown;
  private ended = false;
  private resolveHead!: (r: TransportResponse) => void;
  private rejectHead!: (e: unknown) => void;
  private timer?: ReturnType<typeof setTimeout>;
  private headTimer?: ReturnType<typeof setTimeout>;
  private onAbort?: () => void;
  /** Bytes arrive through `onread` (then 'data' is ignored). */
  private onread = false;

  constructor(
    private readonly req: TransportRequest,
    private readonly Buf: any,
  ) {}

  open(net: any, tls: any): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
      const req = this.req;
      const signal = req.signal;
      if (signal?.aborted) return reject(abortError(signal));
      const url = new URL(req.url);
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') return reject(new TypeError(`unsupported protocol ${url.protocol}`));
      const body = req.body === undefined ? undefined : this.Buf.from(req.body, 'utf8');
      let headText: string;
      try {
        headText = requestHead(req, url, body ? body.length : 0);
      } catch (e) {
        return reject(e);
      }
      const host = url.hostname.charCodeAt(0) === 91 ? url.hostname.slice(1, -1) : url.hostname; // [v6]
      const port = Number(url.port) || (secure ? 443 : 80);
      const s = secure
        ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] })
        : net.connect({ host, port, onread: { buffer: this.Buf.allocUnsafeSlow(READ_BUFFER), callback: (n: number, buf: any) => void ((this.onread = true), this.feed(buf.subarray(0, n))) } });
      this.socket = s;
      s.setNoDelay(true);
      // 'data' serves TLS sockets, and runtimes whose node:net ignores `onread` (Node emits no 'data' with it).
      // (Never both: once `onread` has delivered, 'data' is ignored.)
      s.on('data', (b: any) => this.onread || this.feed(b));
      s.on('end', () => this.eof());
      s.on('error', (e: unknown) => this.fail(e));
      s.on('close', () => this.fail(new Error('connection closed before the end of the response')));
      if (req.timeout) this.timer = setTimeout(() => this.fail(new TimeoutError(`timed out after ${req.timeout} ms`)), req.timeout);
      if (req.headersTimeout) this.headTimer = setTimeout(() => this.fail(new TimeoutError(`timed out after ${req.headersTimeout} ms`)), req.headersTimeout);
      if (signal) {
        this.onAbort = () => this.fail(abortError(signal));
        signal.addEventListener('abort', this.onAbort, { once: true });
      }
      s.write(body ? this.Buf.concat([this.Buf.from(headText, 'latin1'), body]) : headText, 'latin1');
    });
  }

  // ---------- TransportResponse ----------

  read(onChunk: (chunk: string | Uint8Array) => void): Promise<void> {
    return new Promise((resolve, reject) => this.attach({ data: onChunk, end: resolve, fail: reject }));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = await this.bytes();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  cancel(): void {
    this.fail(new Error('cancelled'), true);
  }

  private bytes(): Promise<any> {
    return new Promise((resolve, reject) => {
      const parts: Uint8Array[] = [];
      this.attach({ data: (b) => parts.push(this.Buf.from(b)), end: () => resolve(this.Buf.concat(parts)), fail: reject });
    });
  }

  private attach(sink: Sink): void {
    if (this.sink) return sink.fail(new Error('the response body is already being read'));
    this.sink = sink;
    // Never synchronously inside read(): listeners added right after it must not miss the first bytes.
    queueMicrotask(() => this.start());
  }

  private start(): void {
    const sink = this.sink!;
    if (this.failure !== undefined) return sink.fail(this.failure);
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      try {
        this.body(p); // a close-delimited body may have ended (phase 'done') while it waited
      } catch (e) {
        return this.fail(e);
      }
    }
    if (this.phase === 'done') return this.finish();
    if (this.failure === undefined) this.socket.resume();
  }

  // ---------- socket events ----------

  private feed(b: any): void {
    if (this.phase === 'head') return this.parseHead(b);
    if (this.phase !== 'body') return;
    try {
      this.body(b);
    } catch (e) {
      this.fail(e); // thrown by the consumer: the read rejects with it (as with fetch), the socket is released
    }
  }

  private eof(): void {
    if (this.phase === 'body' && this.framing === CLOSE) {
      this.phase = 'done';
      if (this.sink) this.finish();
    } else if (this.phase !== 'done') this.fail(new Error(this.phase === 'head' ? 'connection closed before the response head' : 'connection closed before the end of the body'));
  }

  /** Ends the exchange with `e` (no-op once it ended). */
  private fail(e: unknown, cancel = false): void {
    if (this.ended || this.failure !== undefined) return;
    // A complete body not consumed yet: the connection closing does not spoil it (cancel() releases it).
    if (this.phase === 'done' && !cancel) return;
    this.failure = e;
    this.cleanup();
    this.socket?.destroy();
    if (this.phase === 'head') this.rejectHead(e);
    else this.sink?.fail(e);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.cleanup();
    this.socket.destroy();
    this.sink!.end();
  }

  private cleanup(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.headTimer !== undefined) clearTimeout(this.headTimer);
    this.timer = this.headTimer = undefined;
    if (this.onAbort) this.req.signal!.removeEventListener('abort', this.onAbort);
    this.onAbort = undefined;
  }

  // ---------- head ----------

  private parseHead(b: any): void {
    if (this.head) b = this.Buf.concat([this.head, b]);
    this.head = undefined;
    for (;;) {
      const end = b.indexOf('\r\n\r\n');
      if (end === -1) {
        if (b.length > MAX_HEAD) return this.fail(malformed('response head too large'));
        this.head = this.Buf.from(b);
        return;
      }
      if (end > MAX_HEAD) return this.fail(malformed('response head too large'));
      const lines: string[] = b.toString('latin1', 0, end).split('\r\n');
      b = b.subarray(end + 4);
      const m = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?$/.exec(lines[0]);
      if (!m) return this.fail(malformed('status line'));
      const status = Number(m[1]);
      if (status < 100) return this.fail(malformed('status line'));
      if (status === 101) return this.fail(malformed('unexpected 101 Switching Protocols'));
      const headers = new RawHeaders();
      for (let i = 1; i < lines.length; i++) {
        const l = lines[i];
        const colon = l.indexOf(':');
        const name = colon > 0 ? l.slice(0, colon) : '';
        if (!TOKEN.test(name)) return this.fail(malformed('header line'));
        const value = l.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
        if (value.includes('\n') || value.includes('\r')) return this.fail(malformed('header line'));
        headers.add(name.toLowerCase(), value);
      }
      if (status < 200) continue; // interim (100 Continue, 103 Early Hints…): the real head follows
      this.status = status;
      this.statusText = m[2] ?? '';
      this.headers = headers;
      const framing = this.framingOf(status, headers);
      if (framing === undefined) return;
      this.framing = framing;
      this.phase = framing === NONE ? 'done' : 'body';
      // A response without a body is complete: nothing can time out or be aborted any more.
      if (framing === NONE) this.cleanup();
      if (this.headTimer !== undefined) clearTimeout(this.headTimer);
      this.headTimer = undefined;
      // Nothing is read until a consumer attaches (as node:http's response starts paused).
      this.socket.pause();
      if (b.length && framing !== NONE) this.pending = this.Buf.from(b);
      this.resolveHead(this);
      return;
    }
  }

  private framingOf(status: number, h: RawHeaders): number | undefined {
    if (status === 204 || status === 304 || this.req.method === 'HEAD') return NONE;
    const te = h.get('transfer-encoding');
    if (te !== null) {
      const codings = te.split(',');
      return codings[codings.length - 1].trim().toLowerCase() === 'chunked' ? CHUNKED : CLOSE;
    }
    const cl = h.get('content-length');
    if (cl !== null) {
      const values = cl.split(',').map((v) => v.trim());
      if (!/^\d{1,15}$/.test(values[0]) || values.some((v) => v !== values[0])) {
        this.fail(malformed('content-length'));
        return undefined;
      }
      this.remain = Number(values[0]);
      return this.remain === 0 ? NONE : LENGTH;
    }
    return CLOSE;
  }

  // ---------- body ----------

  /** Body bytes of one read: unframed (in place) and handed to the consumer, or kept until one attaches. */
  private body(b: any): void {
    const sink = this.sink;
    if (!sink) {
      this.pending = this.pending ? this.Buf.concat([this.pending, b]) : this.Buf.from(b);
      return;
    }
    if (this.framing === CLOSE) {
      if (b.length) sink.data(b);
      return;
    }
    if (this.framing === LENGTH) {
      const n = Math.min(this.remain, b.length);
      this.remain -= n;
      if (n) sink.data(n === b.length ? b : b.subarray(0, n));
      if (this.remain === 0 && this.failure === undefined) {
        this.phase = 'done';
        this.finish();
      }
      return;
    }
    if (this.carry) {
      b = this.Buf.concat([this.carry, b]);
      this.carry = undefined;
    }
    const w = this.unchunk(b);
    if (w < 0) return;
    if (w > 0) sink.data(b.subarray(0, w));
    if (this.phase === 'done' && this.failure === undefined) this.finish();
  }

  /**
   * Strips chunked framing from `b` in place: chunk data is moved to the front; returns the number of data bytes
   * (-1 after failing on malformed framing). A size line, CRLF or trailer line cut by the end of `b` is carried.
   */
  private unchunk(b: any): number {
    const n = b.length;
    let i = 0;
    let w = 0;
    let state = this.chunkState;
    let remain = this.remain;
    while (i < n) {
      if (state === DATA) {
        const take = remain < n - i ? remain : n - i;
        if (w !== i) b.copyWithin(w, i, i + take);
        w += take;
        i += take;
        remain -= take;
        if (remain === 0) state = DATA_END;
      } else if (state === SIZE) {
        // hex digits, then CRLF or a chunk extension (";…", maybe after blanks) up to CRLF
        let size = 0;
        let k = i;
        let c = 0;
        for (; k < n; k++) {
          c = b[k];
          const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
          if (d < 0) break;
          size = size * 16 + d;
        }
        if (k - i > 12) return this.badChunk('chunk size too large');
        if (k === n) {
          if (n - i > MAX_LINE) return this.badChunk('chunk size line too long');
          this.carry = this.Buf.from(b.subarray(i));
          break;
        }
        if (k === i) return this.badChunk('chunk size');
        let lf = k;
        if (c !== 13) {
          if (c !== 59 && c !== 32 && c !== 9) return this.badChunk('chunk size');
          lf = b.indexOf(13, k);
          if (lf === -1) {
            if (n - i > MAX_LINE) return this.badChunk('chunk size line too long');
            this.carry = this.Buf.from(b.subarray(i));
            break;
          }
          for (let e = k; e < lf; e++) if (b[e] === 10) return this.badChunk('chunk extension');
        }
        if (lf + 1 >= n) {
          this.carry = this.Buf.from(b.subarray(i));
          break;
        }
        if (b[lf + 1] !== 10) return this.badChunk('chunk size line end');
        i = lf + 2;
        remain = size;
        state = size === 0 ? TRAILER : DATA;
      } else if (state === DATA_END) {
        if (n - i < 2) {
          if (b[i] !== 13) return this.badChunk('chunk data end');
          this.carry = this.Buf.from(b.subarray(i));
          break;
        }
        if (b[i] !== 13 || b[i + 1] !== 10) return this.badChunk('chunk data end');
        i += 2;
        state = SIZE;
      } else {
        // TRAILER: field lines up to an empty line
        const lf = b.indexOf(10, i);
        if (lf === -1) {
          if (n - i > MAX_LINE) return this.badChunk('trailer too long');
          this.carry = this.Buf.from(b.subarray(i));
          break;
        }
        if (lf === i || b[lf - 1] !== 13) return this.badChunk('trailer line end');
        if (lf === i + 1) {
          this.phase = 'done';
          break;
        }
        i = lf + 1;
      }
    }
    this.chunkState = state;
    this.remain = remain;
    return w;
  }

  private badChunk(what: string): number {
    this.fail(malformed(what));
    return -1;
  }
}

let mods: { net: any; tls: any; Buffer: any } | undefined;

/** Opens `req` (a stream) over its own socket; resolves at the response head. */
export function openRaw(req: TransportRequest): Promise<TransportResponse> {
  if (!mods) {
    const proc = (globalThis as any).process;
    mods = { net: proc.getBuiltinModule('node:net'), tls: proc.getBuiltinModule('node:tls'), Buffer: proc.getBuiltinModule('node:buffer').Buffer };
  }
  return new RawExchange(req, mods.Buffer).open(mods.net, mods.tls);
}
