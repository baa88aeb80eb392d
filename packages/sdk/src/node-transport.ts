/**
 * The node:http / node:https transport (keep-alive agents), reached through `process.getBuiltinModule`. Streams
 * (`stream: true`) are read over their own raw socket instead (node-stream.ts): node:http's per-chunk cost dominates
 * when a server writes one HTTP chunk per post, as X does.
 */
import { openRaw } from './node-stream.js';
import { TimeoutError } from './transport.js';
import type { HeaderBag, Transport, TransportResponse } from './transport.js';

interface NodeModules {
  http: any;
  https: any;
  httpAgent: any;
  httpsAgent: any;
}
let mods: NodeModules | undefined;

function load(): NodeModules {
  if (mods) return mods;
  const proc = (globalThis as any).process;
  const http = proc.getBuiltinModule('node:http');
  const https = proc.getBuiltinModule('node:https');
  mods = { http, https, httpAgent: new http.Agent({ keepAlive: true }), httpsAgent: new https.Agent({ keepAlive: true }) };
  return mods;
}

class NodeHeaders implements HeaderBag {
  constructor(readonly raw: Record<string, string | string[] | undefined>) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
}

/** Consumes a response body; `onData` gets each chunk; resolves at the end, rejects if the connection dies first. */
function consume(res: any, onData: (c: any) => void, done: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let ended = false;
    res.on('data', onData);
    res.on('end', () => {
      ended = true;
      done();
      resolve();
    });
    res.on('error', (e: Error) => {
      done();
      reject(e);
    });
    res.on('close', () => {
      if (ended) return;
      done();
      reject(res.errored ?? new Error('connection closed before the end of the body'));
    });
  });
}

function nodeResponse(res: any, done: () => void): TransportResponse {
  const bytes = async (): Promise<any> => {
    const parts: any[] = [];
    await consume(res, (c) => parts.push(c), done);
    return parts.length === 1 ? parts[0] : (globalThis as any).Buffer.concat(parts);
  };
  return {
    status: res.statusCode,
    statusText: res.statusMessage ?? '',
    headers: new NodeHeaders(res.headers),
    text: async () => (await bytes()).toString('utf8'),
    arrayBuffer: async () => {
      const b = await bytes();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    },
    read: (onChunk) => {
      res.setEncoding('utf8'); // StringDecoder: multi-byte characters split across chunks are joined
      return consume(res, onChunk, done);
    },
    cancel: () => {
      done();
      res.destroy();
    },
  };
}

/** Request options of an origin (`https://host:port`), parsed once: node:http would parse the URL on every request. */
interface Origin {
  protocol: string;
  hostname: string;
  port: string;
  auth?: string;
  secure: boolean;
}
const origins = new Map<string, Origin>();
export function target(url: string): Origin & { path: string } {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0] ?? url;
  let path = url.slice(origin.length);
  // What node:http would not send as is (spaces, non-ASCII, a fragment, dot segments, no leading slash): the URL
  // parser's form, as fetch sends it.
  if (!/^\/[\x21-\x7e]*$/.test(path) || /#|\/\.\.?(?:[/?]|$)/.test(path)) {
    const u = new URL(url);
    path = u.pathname + u.search;
  }
  let o = origins.get(origin);
  if (!o) {
    const u = new URL(origin);
    // `[::1]` is the URL form; node:http wants the bare address.
    o = { protocol: u.protocol, hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port, secure: u.protocol === 'https:' };
    if (u.username || u.password) o.auth = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    if (origins.size < 64) origins.set(origin, o);
  }
  return { ...o, path };
}

export function nodeTransport(): Transport {
  const m = load();
  return (req) =>
    req.stream ? openRaw(req) : new Promise((resolve, reject) => {
      const t = target(req.url);
      const secure = t.secure;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let headTimer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      };
      const headDone = () => {
        if (headTimer !== undefined) clearTimeout(headTimer);
        headTimer = undefined;
      };
      // After the head, the body's reader must see the TimeoutError (destroying the request would only close it).
      let response: any;
      const r = (secure ? m.https : m.http).request(
        { protocol: t.protocol, hostname: t.hostname, port: t.port, path: t.path, auth: t.auth, method: req.method, headers: req.headers, agent: secure ? m.httpsAgent : m.httpAgent, signal: req.signal },
        (res: any) => {
          headDone();
          response = res;
          resolve(nodeResponse(res, done));
        },
      );
      const expire = (ms: number) => () => (response ?? r).destroy(new TimeoutError(`timed out after ${ms} ms`));
      if (req.timeout) timer = setTimeout(expire(req.timeout), req.timeout);
      if (req.headersTimeout) headTimer = setTimeout(expire(req.headersTimeout), req.headersTimeout);
      r.on('error', (e: Error) => {
        done();
        headDone();
        reject(e);
      });
      r.end(req.body);
    });
}
