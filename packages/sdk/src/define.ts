/**
 * Sub-client classes (`UsersClient`, …): one real prototype method per operation, so every method is there from
 * the start (`'getById' in client.posts`), can be overridden by a subclass and spied on like any method.
 */
import { BaseClient, type ClientConfig, type OAuth1Signer } from './base.js';
import type { OperationFunction } from './operation.js';

/** A sub-client class: built on a `BaseClient` (or `Client`), or on a configuration, making its own `BaseClient`. */
export interface SubClientConstructor<T> {
  new (client?: BaseClient | ClientConfig | OAuth1Signer): T & { readonly client: BaseClient };
  readonly prototype: T;
}

/** The class of a sub-client from its operation functions (generated/<subClient>.ts). */
export function defineSubClient<T>(name: string, functions: readonly ((...args: any[]) => any)[]): SubClientConstructor<T> {
  const ops = functions as readonly OperationFunction[];
  const paged = ops.filter((op) => op.paginate);
  class SubClient {
    declare readonly client: BaseClient;
    constructor(client: BaseClient | ClientConfig | OAuth1Signer = {}) {
      // Duck-typed, so a client of another copy of the SDK (ESM beside CJS) is used as the client it is.
      const c = typeof (client as BaseClient).send === 'function' ? (client as BaseClient) : new BaseClient(client as ClientConfig | OAuth1Signer);
      (this as any).client = c;
      // `client.users.getFollowers.paginate(...)` needs this instance: each paginated method gets an own function
      // that calls the method in effect (a subclass's override included) and carries `paginate`.
      for (const op of paged) {
        const method = (this as any)[op.row.name] as (...args: unknown[]) => unknown;
        const own = (...args: unknown[]) => method.apply(this, args);
        (own as any).paginate = (...args: unknown[]) => op.paginate!(c, ...args);
        Object.defineProperty(this, op.row.name, { value: own, writable: true, configurable: true });
      }
    }
  }
  Object.defineProperty(SubClient, 'name', { value: name });
  for (const op of ops) {
    const name = op.row.name;
    // A method (named, not constructible, not enumerable), as a class body would define it.
    const method = {
      [name](this: SubClient, ...args: unknown[]) {
        return op(this.client, ...args);
      },
    }[name];
    Object.defineProperty(SubClient.prototype, name, { value: method, writable: true, configurable: true });
  }
  return SubClient as unknown as SubClientConstructor<T>;
}
