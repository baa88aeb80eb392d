/**
 * The declaration of one operation: which route it is (an id of the contract, which carries method, path,
 * parameters, body schema and security), its rate-limit policy and metering class (FACTS §4.2, §4.3), and its
 * handler. The route layer (http/operation-route.ts) runs authorize → rate limit → validate parameters and body →
 * credits and cap → handle → meter from the declaration alone, so a handler receives validated, typed input and
 * holds business logic only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParamDescriptor, RouteBodies, RouteOperationId } from '@roost/contract';
import type { Context } from '../context.js';
import type { Principal } from '../auth/authenticate.js';
import type { RateLimit } from '../limits/policy.js';
import type { MeteringClass } from '../limits/metering.js';

export type { RateLimit } from '../limits/policy.js';
export type { MeteringClass } from '../limits/metering.js';

export type ParamValue = string | number | boolean | string[];
/** Query and path parameters after validation: lists split on commas, integers and booleans parsed. */
export type Params = Record<string, ParamValue>;

/** The JSON body of an operation, as the contract types it (validated by the route layer before the handler). */
export type BodyOf<Id extends RouteOperationId> = Id extends keyof RouteBodies ? RouteBodies[Id] : unknown;

export interface OperationRequest<Id extends RouteOperationId = RouteOperationId> {
  ctx: Context;
  params: Params;
  principal: Principal | null;
  body: BodyOf<Id>;
  /** This server as the caller reached it: ROOST_PUBLIC_URL, else the request's scheme and Host. */
  origin: string;
}

export interface OperationResult {
  status?: number;
  /** A JSON value; with `contentType`, the bytes themselves (a Buffer or a readable stream). */
  body: unknown;
  /** Binary answers (media downloads): their content type; JSON otherwise. */
  contentType?: string;
  headers?: Record<string, string | number>;
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

/** How an operation outside X's v2 conventions answers errors (the v1.1 media upload's shapes). */
export type ErrorPresenter = (err: unknown, wire: { status: number; body: unknown }) => unknown;

export interface Operation<Id extends RouteOperationId = RouteOperationId> {
  readonly operationId: Id;
  /** X's per-15-minute and 24-hour limits of the operation (FACTS §4.2); what is not given takes the default. */
  readonly rateLimit: RateLimit;
  /** How pay-per-use metering prices a successful answer (FACTS §4.3). */
  readonly metering: MeteringClass;
  /** Query parameters X still accepts beyond the contract's (legacy forms). */
  readonly extraParams?: readonly ParamDescriptor[];
  /**
   * The handler reads the body itself (uploads that stream file parts to disk); the route layer leaves it
   * unvalidated. Otherwise a JSON body is checked against the contract's schema before the handler runs.
   */
  readonly rawBody?: boolean;
  /** The contract marks the body required, but X also takes the request without one (`delete_all=true`). */
  readonly optionalBody?: boolean;
  readonly presentError?: ErrorPresenter;
  handle(req: OperationRequest<Id>): Promise<OperationResult>;
}

/** Declares an operation; the id types the request the handler receives. */
export const operation = <Id extends RouteOperationId>(op: Operation<Id>): Operation<Id> => op;
