/** The class of a sub-client's descriptor module (generated/<subClient>.ts, loaded on the sub-client's first call). */
import { install, type SubClientConstructor } from './operation.js';
import type { Client } from './client.js';

export function defineSubClient<T>(name: string, rows: readonly string[]): SubClientConstructor<T> {
  class SubClient {
    declare readonly client: Client;
    constructor(client: Client) {
      (this as any).client = client;
    }
  }
  Object.defineProperty(SubClient, 'name', { value: name });
  install(SubClient.prototype, rows);
  return SubClient as unknown as SubClientConstructor<T>;
}
