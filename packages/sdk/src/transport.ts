/**
 * The HTTP layer. Two built-in transports: `fetch` (everywhere) and `node:http`/`node:https` with keep-alive
 * (picked automatically where `process.getBuiltinModule` exists — Node ≥ 20.16, Bun, Deno — because it costs less
 * CPU per request than Node's fetch). The latter lives in node-transport.ts, loaded on first use and without any
 * `import` of node modules, so bundles for browsers neither break nor carry it.
 */

export interface HeaderBag {
  get(name: string): string | null;
}

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Milliseconds until the whole exchange (body included) fails with a `TimeoutError`; 0 or absent = none. */
  timeout?: number;
  /** Milliseconds until the response head must have arrived, else a `TimeoutError`; 0 or absent = none. */
  headersTimeout?: number;
  /** The body is a long-lived stream read with `read()` (a transport may use a leaner reader for it). */
  stream?: boolean;
}

export interface TransportResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: HeaderBag;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  /**
   * Delivers the body chunk by chunk — strings already decoded from UTF-8 (node:http), or bytes (fetch) — and
   * resolves at its end; rejects when the connection fails or is cancelled before the end.
   */
  read(onChunk: (chunk: string | Uint8Array) => void): Promise<void>;
  /** Stops reading and releases the connection. */
  cancel(): void;
}

export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

// ---------- fetch ----------

export function fetchTransport(fetchImpl?: typeof fetch): Transport {
  return async (req) => {
    const f = fetchImpl ?? globalThis.fetch;
    let signal = req.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let headTimer: ReturnType<typeof setTimeout> | undefined;
    if (req.timeout || req.headersTimeout) {
      const ctl = new AbortController();
      const outer = req.signal;
      if (outer) {
        if (outer.aborted) ctl.abort(outer.reason);
        else outer.addEventListener('abort', () => ctl.abort(outer.reason), { once: true });
      }
      const expire = (ms: number) => () => ctl.abort(new TimeoutError(`timed out after ${ms} ms`));
      if (req.timeout) timer = setTimeout(expire(req.timeout), req.timeout);
      if (req.headersTimeout) headTimer = setTimeout(expire(req.headersTimeout), req.headersTimeout);
      signal = ctl.signal;
    }
    const done = () => timer !== undefined && clearTimeout(timer);
    let res: Response;
    try {
      res = await f(req.url, { method: req.method, headers: req.headers, body: req.body, signal });
    } catch (e) {
      done();
      throw signal?.aborted && signal.reason instanceof TimeoutError ? signal.reason : e;
    } finally {
      if (headTimer !== undefined) clearTimeout(headTimer);
    }
    const settle = <T>(p: Promise<T>) =>
      p.then(
        (v) => (done(), v),
        (e) => {
          done();
          throw signal?.aborted && signal.reason instanceof TimeoutError ? signal.reason : e;
        },
      );
    return {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      text: () => settle(res.text()),
      arrayBuffer: () => settle(res.arrayBuffer()),
      read: (onChunk) =>
        settle(
          (async () => {
            if (!res.body) return;
            const reader = res.body.getReader();
            for (;;) {
              const { done: end, value } = await reader.read();
              if (end) return;
              if (value) onChunk(value);
            }
          })(),
        ),
      cancel: () => {
        done();
        res.body?.cancel().catch(() => undefined);
      },
    };
  };
}

// ---------- node:http (lazy) ----------

/** True where the node:http transport can be used. */
export function nodeTransportAvailable(): boolean {
  return typeof (globalThis as any).process?.getBuiltinModule === 'function';
}

/** The node:http transport, loaded on the first request. */
export function lazyNodeTransport(): Transport {
  let t: Transport | undefined;
  let loading: Promise<Transport> | undefined;
  return (req) => {
    if (t) return t(req);
    loading ??= import('./node-transport.js').then((m) => (t = m.nodeTransport()));
    return loading.then((tt) => tt(req));
  };
}

/** node:http where available, else `fetch`. */
export function defaultTransport(): Transport {
  return nodeTransportAvailable() ? lazyNodeTransport() : fetchTransport();
}
