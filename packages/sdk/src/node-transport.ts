/** The node:http / node:https transport (keep-alive agents), reached through `process.getBuiltinModule`. */
import type { HeaderBag, Transport, TransportResponse } from './transport.js';

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
