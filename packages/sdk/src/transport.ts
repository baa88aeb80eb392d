/**
 * The HTTP layer. Two built-in transports: `fetch` (everywhere) and `node:http`/`node:https` with keep-alive
 * (picked automatically where `process.getBuiltinModule` exists — Node ≥ 20.16, Bun, Deno — because it costs less
 * CPU per request than Node's fetch). Loaded without any `import` of node modules, so bundles for browsers stay clean.
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

// ---------- node:http ----------

interface NodeModules {
  http: any;
  https: any;
  httpAgent: any;
  httpsAgent: any;
}
let nodeMods: NodeModules | null | undefined;

function loadNode(): NodeModules | null {
  if (nodeMods !== undefined) return nodeMods;
  const proc = (globalThis as any).process;
  const get = proc?.getBuiltinModule;
  if (typeof get !== 'function') return (nodeMods = null);
  try {
    const http = get.call(proc, 'node:http');
    const https = get.call(proc, 'node:https');
    nodeMods = {
      http,
      https,
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
    };
  } catch {
    nodeMods = null;
  }
  return nodeMods;
}

/** True where the node:http transport can be used. */
export function nodeTransportAvailable(): boolean {
  return loadNode() !== null;
}

class NodeHeaders implements HeaderBag {
  constructor(readonly raw: Record<string, string | string[] | undefined>) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
}

function nodeResponse(res: any): TransportResponse {
  let consumed = false;
  const collect = (): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      consumed = true;
      const parts: Uint8Array[] = [];
      res.on('data', (c: Uint8Array) => parts.push(c));
      res.on('end', () => resolve(parts.length === 1 ? parts[0] : (globalThis as any).Buffer.concat(parts)));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
    });
  return {
    status: res.statusCode,
    statusText: res.statusMessage ?? '',
    headers: new NodeHeaders(res.headers),
    text: async () => {
      // node:http always delivers Buffers.
      return ((await collect()) as any).toString('utf8');
    },
    arrayBuffer: async () => {
      const b = await collect();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
    chunks: () => {
      consumed = true;
      return res as AsyncIterable<Uint8Array>;
    },
    cancel: () => {
      if (!consumed) res.resume();
      res.destroy();
    },
  };
}

export function nodeTransport(): Transport {
  const mods = loadNode();
  if (!mods) throw new Error('node:http is not available in this runtime');
  return (req) =>
    new Promise((resolve, reject) => {
      const secure = req.url.charCodeAt(4) === 115; // "https"
      const mod = secure ? mods.https : mods.http;
      const r = mod.request(req.url, {
        method: req.method,
        headers: req.headers,
        agent: secure ? mods.httpsAgent : mods.httpAgent,
        signal: req.signal,
      }, (res: any) => resolve(nodeResponse(res)));
      r.on('error', reject);
      r.end(req.body);
    });
}

/** `fetch` in browsers and old runtimes; node:http where available. */
export function defaultTransport(): Transport {
  return nodeTransportAvailable() ? nodeTransport() : fetchTransport();
}
