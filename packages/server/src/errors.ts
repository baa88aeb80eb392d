/**
 * One error hierarchy; `fromError()` is the only place that turns an error into X's wire body. Handlers throw
 * these; nothing else writes error JSON.
 */
export const PROBLEMS = 'https://api.twitter.com/2/problems/';

export interface WireError {
  status: number;
  body: Record<string, unknown>;
  contentType: string;
  headers?: Record<string, string>;
}

export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract body(): Record<string, unknown>;
  contentType = 'application/problem+json; charset=utf-8';
  headers?: Record<string, string>;
}

export interface InvalidItem {
  parameters: Record<string, string[]>;
  message: string;
}

/** 400: the whole request was rejected; one item per failed check (FACTS §1.3). */
export class InvalidRequest extends ApiError {
  readonly status = 400;
  constructor(readonly items: InvalidItem[]) {
    super(items.map((i) => i.message).join('; '));
  }
  static one(param: string, values: string[], message: string): InvalidRequest {
    return new InvalidRequest([{ parameters: { [param]: values }, message }]);
  }
  body() {
    return {
      errors: this.items,
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: `${PROBLEMS}invalid-request`,
    };
  }
}

export class Unauthorized extends ApiError {
  readonly status = 401;
  constructor() {
    super('Unauthorized');
  }
  body() {
    return { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
  }
}

export class UnsupportedAuthentication extends ApiError {
  readonly status = 403;
  constructor(
    readonly used: string,
    readonly supported: string[],
  ) {
    super(`Authenticating with ${used} is forbidden for this endpoint.`);
  }
  body() {
    return {
      title: 'Unsupported Authentication',
      // X's text has two spaces after "endpoint." (FACTS §1.4).
      detail: `Authenticating with ${this.used} is forbidden for this endpoint.  Supported authentication types are [${this.supported.join(', ')}].`,
      type: `${PROBLEMS}unsupported-authentication`,
      status: 403,
    };
  }
}

/** A 403 with X's generic about:blank body and a specific detail (duplicate content, missing scope, …). */
export class Forbidden extends ApiError {
  readonly status = 403;
  constructor(readonly detail = 'Forbidden') {
    super(detail);
  }
  body() {
    return { detail: this.detail, type: 'about:blank', title: 'Forbidden', status: 403 };
  }
}

/** Any problem body with a status, for the typed X problems that need no behaviour of their own. */
export class ProblemError extends ApiError {
  constructor(
    readonly status: number,
    private readonly problem: Record<string, unknown>,
  ) {
    super(String(problem.detail ?? problem.title ?? 'error'));
  }
  body() {
    return this.problem;
  }
}

/** 409: the request conflicts with the resource's state (already published, already live). */
export const conflict = (detail: string): ProblemError => new ProblemError(409, { title: 'Conflict', detail, type: `${PROBLEMS}conflict`, status: 409 });

/** Unknown route: X's answer for a path it does not serve. */
export class RouteNotFound extends ApiError {
  readonly status = 404;
  override contentType = 'application/json; charset=utf-8';
  body() {
    return { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] };
  }
}

export class MethodNotAllowed extends ApiError {
  readonly status = 405;
  body() {
    return { title: 'Method Not Allowed', type: 'about:blank', status: 405, detail: 'Method Not Allowed' };
  }
}

export class PayloadTooLarge extends ApiError {
  readonly status = 413;
  body() {
    return { title: 'Payload Too Large', type: 'about:blank', status: 413, detail: 'Payload Too Large' };
  }
}

/** 503 in X's about:blank problem form (the stream hub's shutdown answer, the listener's while starting, fault injection). */
export class ServiceUnavailable extends ApiError {
  readonly status = 503;
  body() {
    return { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 };
  }
}

export class InternalError extends ApiError {
  readonly status = 500;
  body() {
    return { title: 'Internal Server Error', type: 'about:blank', status: 500, detail: 'Internal Server Error' };
  }
}

export function fromError(err: unknown): WireError {
  if (err instanceof ApiError) {
    return { status: err.status, body: err.body(), contentType: err.contentType, headers: err.headers };
  }
  const e = err as { statusCode?: number; code?: string; validation?: unknown } | undefined;
  // Fastify's own errors (body parsing, size limits) become X's invalid-request or size bodies, never a 500.
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return fromError(new PayloadTooLarge());
    if (e.statusCode === 415) {
      return fromError(InvalidRequest.one('Content-Type', [], 'The Content-Type of the request body is not supported.'));
    }
    return fromError(InvalidRequest.one('body', [], 'The request body is not valid JSON.'));
  }
  return fromError(new InternalError());
}
