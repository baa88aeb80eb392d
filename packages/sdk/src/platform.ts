/**
 * Which transport `Client` uses by default. Here: `node:http` where the runtime has it (loaded on the first request,
 * without any static import of node modules), else `fetch`. Bundlers that target browsers read package.json's
 * `browser` map and take platform.browser.ts instead, so browser bundles carry none of this.
 */
import { fetchTransport, type Transport } from './transport.js';

/** True where the node:http transport can be used. */
export function nodeTransportAvailable(): boolean {
  return typeof (globalThis as any).process?.getBuiltinModule === 'function';
}

/** The node:http transport (loaded on the first request); throws where the runtime has no node:http. */
export function nodeOnlyTransport(): Transport {
  if (!nodeTransportAvailable()) throw new Error('node:http is not available in this runtime');
  let t: Transport | undefined;
  let loading: Promise<Transport> | undefined;
  return (req) => {
    if (t) return t(req);
    // A failed load is not kept: the next request tries again.
    loading ??= import('./node-transport.js').then(
      (m) => (t = m.nodeTransport()),
      (e) => ((loading = undefined), Promise.reject(e)),
    );
    return loading.then((tt) => tt(req));
  };
}

/** node:http where available, else `fetch`. */
export function defaultTransport(): Transport {
  return nodeTransportAvailable() ? nodeOnlyTransport() : fetchTransport();
}
