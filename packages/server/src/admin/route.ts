/**
 * The declaration of one route of Roost's own API (admin/protocol.ts names where it is): who may call it, its
 * query and body fields with their types, and its handler. The route layer (http/admin-route.ts) authenticates,
 * checks the fields and answers bad input with X's invalid-request body, so a handler gets typed values.
 */
import type { Context } from '../context.js';
import type { AdminRouteId } from './protocol.js';
import type { AdminState } from './state.js';

export interface Field {
  /** `strings`: one string or several (a JSON array, or comma-separated in a query). */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'strings';
  required?: boolean;
  enum?: readonly string[];
  min?: number;
  max?: number;
  /** Shown by `roost help` for the CLI flags that map to it. */
  description: string;
}

export type Fields = Readonly<Record<string, Field>>;

type ValueOf<F extends Field> = F['type'] extends 'string'
  ? F['enum'] extends readonly (infer E)[]
    ? E
    : string
  : F['type'] extends 'integer' | 'number'
    ? number
    : F['type'] extends 'boolean'
      ? boolean
      : string[];

/** The checked values of a field set: required fields present, the others optional. */
export type Values<F extends Fields> = { [K in keyof F as F[K]['required'] extends true ? K : never]: ValueOf<F[K]> } & {
  [K in keyof F as F[K]['required'] extends true ? never : K]?: ValueOf<F[K]>;
};

export interface AdminRequest<Q extends Fields, B extends Fields> {
  ctx: Context;
  /** Present on every route that needs the admin token. */
  admin: AdminState;
  params: Record<string, string>;
  query: Values<Q>;
  body: Values<B>;
  /** The origin the caller used to reach this server (for URLs in answers). */
  origin: string;
}

export interface AdminResult {
  status?: number;
  body: unknown;
}

export interface AdminRoute<Q extends Fields = Fields, B extends Fields = Fields> {
  readonly id: AdminRouteId;
  readonly summary: string;
  /** `admin`: needs `Authorization: Bearer <ROOST_ADMIN_TOKEN>`, and exists only when that is set. `none`: open. */
  readonly auth: 'admin' | 'none';
  readonly query?: Q;
  readonly body?: B;
  handle(req: AdminRequest<Q, B>): Promise<AdminResult>;
}

/** Any declared route, whatever its fields (the registry's element type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdminRoute = AdminRoute<any, any>;

/** Declares an admin route; the field sets type what the handler receives. */
export const adminRoute = <const Q extends Fields = {}, const B extends Fields = {}>(r: AdminRoute<Q, B>): AdminRoute<Q, B> => r;
