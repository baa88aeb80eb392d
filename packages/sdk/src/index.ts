/**
 * `@roost/sdk`: `Client` with its 21 sub-clients, every operation as a function of its own (`getUsersByUsername`,
 * named by operationId), the sub-client classes, and all of `@roost/sdk/core`. Everything is imported statically;
 * bundlers keep what the app uses.
 */
export * from './core.js';
export { Client } from './client.js';
export * from './generated/index.js';
