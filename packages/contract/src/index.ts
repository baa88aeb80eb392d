export * from './types.js';
export * from './renames.js';
export { operations, specVersion, type OperationId } from './generated/operations.js';
export * from './generated/fields.js';
export { schemas } from './generated/schemas.js';
export { oauth2Scopes, type OAuth2Scope } from './generated/security.js';

import { operations } from './generated/operations.js';
import type { OperationDescriptor } from './types.js';

const byId = new Map(operations.map((o) => [o.operationId, o]));

export function operation(operationId: string): OperationDescriptor {
  const op = byId.get(operationId);
  if (!op) throw new Error(`unknown operationId ${operationId}`);
  return op;
}
