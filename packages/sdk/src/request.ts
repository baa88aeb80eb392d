/** `Client.request`, the official low-level entry point (loaded on its first use). */
import { bitOf } from './core.js';
import type { Client, ClientRequestOptions } from './client.js';

export function request(client: Client, method: string, path: string, options: ClientRequestOptions): Promise<any> {
  return client.send({
    method: method.toUpperCase(),
    path,
    body: options.body,
    contentType: options.body !== undefined ? 'application/json' : undefined,
    auth: (options.security ?? []).reduce((m, r) => Object.keys(r).reduce((mm, k) => mm | bitOf(k), m), 0),
    binary: options.binary,
    raw: options.raw,
    opts: options,
    name: `${method} ${path.split('?')[0]}`,
  });
}
