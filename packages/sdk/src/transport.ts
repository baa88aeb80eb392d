/**
 * The HTTP layer. Two built-in transports: `fetch` (everywhere, here) and `node:http`/`node:https` with keep-alive
 * (node-transport.ts; platform.ts picks it where `process.getBuiltinModule` exists — Node ≥ 20.16, Bun, Deno —
 * because it costs less CPU per request than Node's fetch).
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
   * Delivers the body chunk by chunk — bytes, or strings already decoded from UTF-8 — and resolves at its end;
   * rejects when the connection fails or is cancelled before the end. The bytes may be a view of a buffer the
   * transport reuses (the Node stream reader does): valid during the call only, so a reader copies what it keeps.
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
    const ctl = new AbortController();
    const outer = req.signal;
    const abort = (why: unknown) => ctl.abort(why);
    if (outer) outer.aborted ? abort(outer.reason) : outer.addEventListener('abort', () => abort(outer.reason), { once: true });
    const arm = (ms?: number) => (ms ? setTimeout(() => abort(new TimeoutError(`timed out after ${ms} ms`)), ms) : undefined);
    const timer = arm(req.timeout);
    const headTimer = arm(req.headersTimeout);
    // A timeout surfaces as the TimeoutError (fetch would report an AbortError).
    const fail = (e: unknown): never => {
      clearTimeout(timer);
      const why = ctl.signal.reason;
      throw why instanceof TimeoutError ? why : e;
    };
    const settle = <T>(p: Promise<T>) => p.then((v) => (clearTimeout(timer), v), fail);
    const res = await (fetchImpl ?? globalThis.fetch)(req.url, { method: req.method, headers: req.headers, body: req.body, signal: ctl.signal })
      .catch(fail)
      .finally(() => clearTimeout(headTimer));
    return {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      text: () => settle(res.text()),
      arrayBuffer: () => settle(res.arrayBuffer()),
      read: (onChunk) =>
        settle(
          (async () => {
            const reader = res.body?.getReader();
            for (;;) {
              const r = await reader?.read();
              if (!r || r.done) return;
              onChunk(r.value);
            }
          })(),
        ),
      cancel: () => {
        clearTimeout(timer);
        res.body?.cancel().catch(() => undefined);
      },
    };
  };
}
