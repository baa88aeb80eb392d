/**
 * The declaration of one route of the Developer Console's API (`@roost/sdk/console` names where it is): whether it
 * needs a signed-in developer, its query and body fields (the admin API's field declarations and checks), and its
 * handler. The route layer (http/console-route.ts) reads the session cookie, checks CSRF and the fields, and
 * applies what the handler answers: a body, a new or ended session, or a stream of server-sent events.
 */
import type { ConsoleRouteId } from '../../../sdk/src/console.js';
import type { Context } from '../context.js';
import type { DeveloperRow } from '../data/console.js';
import type { Fields, Values } from '../admin/route.js';

export type ConsoleAuth = 'session' | 'none';

export interface ConsoleRequest<A extends ConsoleAuth, Q extends Fields, B extends Fields> {
  ctx: Context;
  /** The signed-in developer (always there on `session` routes). */
  developer: A extends 'session' ? DeveloperRow : DeveloperRow | null;
  /** The session token of the request's cookie, when it names a live session. */
  session: string | null;
  params: Record<string, string>;
  query: Values<Q>;
  body: Values<B>;
}

/** Sends one server-sent event. */
export type SendEvent = (event: string, data: unknown) => void;

export interface ConsoleResult {
  status?: number;
  body?: unknown;
  /** A session to hand to the browser (its cookie is set), or `null` to end the current one. */
  session?: string | null;
  /** Answer with server-sent events: called once the stream is open; returns what to do when it closes. */
  events?: (send: SendEvent) => () => void;
}

export interface ConsoleRoute<A extends ConsoleAuth = ConsoleAuth, Q extends Fields = Fields, B extends Fields = Fields> {
  readonly id: ConsoleRouteId;
  readonly summary: string;
  readonly auth: A;
  readonly query?: Q;
  readonly body?: B;
  handle(req: ConsoleRequest<A, Q, B>): Promise<ConsoleResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConsoleRoute = ConsoleRoute<any, any, any>;

/** Declares a console route; the field sets type what the handler receives. */
export const consoleRoute = <const A extends ConsoleAuth, const Q extends Fields = {}, const B extends Fields = {}>(r: ConsoleRoute<A, Q, B>): ConsoleRoute<A, Q, B> => r;
