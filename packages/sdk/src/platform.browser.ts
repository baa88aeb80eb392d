/** platform.ts for browser bundles (package.json `browser` map): always `fetch`. */
import { fetchTransport, type Transport } from './transport.js';

export function nodeTransportAvailable(): boolean {
  return false;
}

export function nodeOnlyTransport(): Transport {
  throw new Error('node:http is not available in this runtime');
}

export function defaultTransport(): Transport {
  return fetchTransport();
}
