import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationDescriptor, OperationId } from '@roost/contract';
import type { Context } from '../context.js';
import type { Principal } from '../auth/authenticate.js';
import type { Params } from '../http/validation.js';

export interface OperationRequest {
  ctx: Context;
  params: Params;
  principal: Principal | null;
  body: unknown;
}

export interface OperationResult {
  status?: number;
  body: unknown;
  /**
   * A streaming answer (GET …/stream): the route hands over the raw request and response, with the headers the
   * route has gathered (rate limits, transaction id, content type); the callee writes status, headers and body.
   */
  stream?: (h: StreamHandover) => void;
}

export interface StreamHandover {
  req: IncomingMessage;
  res: ServerResponse;
  headers: Record<string, string | number | string[] | undefined>;
}

/** One operation of the contract: its id (which carries method, path, auth and params) and its logic. */
export interface Operation {
  operationId: OperationId;
  /** A descriptor replacing the contract's (extra legacy parameters X still accepts). */
  descriptor?: OperationDescriptor;
  handle(req: OperationRequest): Promise<OperationResult>;
}
