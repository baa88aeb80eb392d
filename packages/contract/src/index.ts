export * from './types.js';
export * from './renames.js';
export { operations, specVersion, type OperationId } from './generated/operations.js';
export * from './generated/fields.js';
export { schemas } from './generated/schemas.js';
export { oauth2Scopes, type OAuth2Scope } from './generated/security.js';
export type { RequestBodies, Wire } from './generated/bodies.js';
export { extensionOperations, legacyMediaUploadParams, type ExtensionOperationId, type RouteBodies } from './extensions.js';

import { operations, type OperationId } from './generated/operations.js';
import { extensionOperations, type ExtensionOperationId } from './extensions.js';
import type { OperationDescriptor } from './types.js';

/** Every route Roost may declare: the spec's operations and the extensions X serves outside the spec. */
export type RouteOperationId = OperationId | ExtensionOperationId;

const byId = new Map<string, OperationDescriptor>([...operations, ...extensionOperations].map((o) => [o.operationId, o]));

export function operation(operationId: RouteOperationId | string): OperationDescriptor {
  const op = byId.get(operationId);
  if (!op) throw new Error(`unknown operationId ${operationId}`);
  return op;
}
