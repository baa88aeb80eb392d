/**
 * Which transport `Client` uses by default. Here: `node:http` where the runtime has it (reached through
 * `process.getBuiltinModule`, so this module imports no node module), else `fetch`. Bundlers that target browsers
 * read package.json's `browser` map and take platform.browser.ts instead, so browser bundles carry none of the
 * node:http code.
 */
import { fetchTransport, type Transport } from './transport.js';
import { nodeTransport } from './node-transport.js';

/** True where the node:http transport can be used. */
export function nodeTransportAvailable(): boolean {
  return typeof (globalThis as any).process?.getBuiltinModule === 'function';
}

/** The node:http transport; throws where the runtime has no node:http. */
export function nodeOnlyTransport(): Transport {
  if (!nodeTransportAvailable()) throw new Error('node:http is not available in this runtime');
  return nodeTransport();
}

/** node:http where available, else `fetch`. */
export function defaultTransport(): Transport {
  return nodeTransportAvailable() ? nodeOnlyTransport() : fetchTransport();
}
