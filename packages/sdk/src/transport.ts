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
}

export interface TransportResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: HeaderBag;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The body as chunks (read once). */
  chunks(): AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. */
  cancel(): void;
}

export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

/** Copies any header bag into a WHATWG `Headers` (used for errors and raw responses). */
export function toHeaders(h: HeaderBag): Headers {
  const anyH = h as any;
  if (typeof Headers !== 'undefined' && h instanceof Headers) return h;
  const out = new Headers();
  const raw: Record<string, string | string[] | undefined> = anyH.raw ?? {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
  return out;
}

// ---------- fetch ----------

export function fetchTransport(fetchImpl?: typeof fetch): Transport {
  return async (req) => {
    const f = fetchImpl ?? globalThis.fetch;
    const res = await f(req.url, { method: req.method, headers: req.headers, body: req.body, signal: req.signal });
    return {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      text: () => res.text(),
      arrayBuffer: () => res.arrayBuffer(),
      chunks: () => readerChunks(res.body),
      cancel: () => {
        res.body?.cancel().catch(() => undefined);
      },
    };
  };
}

async function* readerChunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

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
