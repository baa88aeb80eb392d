/** Helpers shared by operation handlers: viewer, selection, windows, pages and response envelopes. */
import type { OperationRequest, OperationResult } from './operation.js';
import { checkStartBeforeEnd } from '../search/request.js';
import { selectionFrom, type Selection } from '../pipeline/selection.js';
import { relationsFor, type RenderEnv, type Rendered } from '../pipeline/render.js';
import { notAuthorized, notFound, suspended } from '../pipeline/problems.js';
import { postVerdict, type Viewer } from '../pipeline/rules.js';
import { snowflakeAt, SNOWFLAKE_EPOCH_MS } from '../util/snowflake.js';
import { decodeCursor, encodeCursor } from '../util/cursor.js';
import { Forbidden, InvalidRequest, Unauthorized } from '../errors.js';
import type { UserRow } from '../data/rows.js';

export function viewerOf(req: OperationRequest): Viewer {
  return { userId: req.principal?.userId ?? null };
}

export function renderEnv(req: OperationRequest): RenderEnv {
  return { repos: req.ctx.repos, viewer: viewerOf(req), now: req.ctx.clock.now() };
}

export function selection(req: OperationRequest): Selection {
  return selectionFrom(req.params);
}

/** Single-object endpoints: `data` is an object; when nothing can be shown only `errors` remain (FACTS §1.2). */
export function single(r: Rendered): OperationResult {
  const body: Record<string, unknown> = {};
  if (r.data.length) body.data = r.data[0];
  if (r.includes) body.includes = r.includes;
  if (r.errors) body.errors = r.errors;
  return { body };
}

export function many(r: Rendered, meta?: Record<string, unknown>): OperationResult {
  const body: Record<string, unknown> = {};
  if (r.data.length) body.data = r.data;
  if (r.includes) body.includes = r.includes;
  if (r.errors) body.errors = r.errors;
  if (meta) body.meta = meta;
  return { body };
}

export const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

/**
 * since_id/until_id and start_time/end_time as an exclusive id window (ids are snowflakes, so times map onto
 * ids); the id bounds take precedence over the time bounds (FACTS §3.3).
 */
export function idWindow(params: Record<string, unknown>): { after?: string; before?: string } {
  const out: { after?: string; before?: string } = {};
  const since = str(params.since_id);
  const until = str(params.until_id);
  const start = str(params.start_time);
  const end = str(params.end_time);
  checkStartBeforeEnd(start, end);
  if (since) out.after = since;
  else if (start) out.after = (BigInt(snowflakeAt(Math.max(Date.parse(start), SNOWFLAKE_EPOCH_MS))) - 1n).toString();
  if (until) out.before = until;
  else if (end) out.before = snowflakeAt(Math.max(Date.parse(end), SNOWFLAKE_EPOCH_MS));
  return out;
}

const minId = (a: string | undefined, b: string) => (a === undefined || BigInt(b) < BigInt(a) ? b : a);
const maxId = (a: string | undefined, b: string) => (a === undefined || BigInt(b) > BigInt(a) ? b : a);

export interface IdPage {
  ids: string[];
  next?: string;
  prev?: string;
}

/**
 * Walks a newest-first id list with keyset cursors. `fetch` returns ids in the asked order within the exclusive
 * window, at most `limit` of them.
 */
export async function pageIds(
  kind: string,
  token: string | undefined,
  limit: number,
  window: { after?: string; before?: string },
  fetch: (w: { after?: string; before?: string; ascending: boolean; limit: number }) => Promise<string[]>,
): Promise<IdPage> {
  let { after, before } = window;
  let ascending = false;
  if (token) {
    const c = decodeCursor(token, kind);
    if (c.direction === 'next') before = minId(before, c.values[0]);
    else {
      after = maxId(after, c.values[0]);
      ascending = true;
    }
  }
  const got = await fetch({ after, before, ascending, limit: limit + 1 });
  const more = got.length > limit;
  let ids = got.slice(0, limit);
  if (ascending) ids = ids.reverse();
  const page: IdPage = { ids };
  if (ids.length) {
    const hasOlder = ascending ? true : more;
    const hasNewer = ascending ? more : !!token;
    if (hasOlder) page.next = encodeCursor(kind, 'next', [ids[ids.length - 1]]);
    if (hasNewer) page.prev = encodeCursor(kind, 'prev', [ids[0]]);
  }
  return page;
}

/** Meta of post lists (timelines): newest/oldest ids, count and tokens. */
export function postMeta(rendered: Rendered, page: IdPage, withPrev = true): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  const ids = rendered.data.map((d) => String(d.id));
  if (ids.length) {
    meta.newest_id = ids[0];
    meta.oldest_id = ids[ids.length - 1];
  }
  meta.result_count = ids.length;
  if (page.next) meta.next_token = page.next;
  if (withPrev && page.prev) meta.previous_token = page.prev;
  return meta;
}

/**
 * The subject user of a /2/users/:id/... list, or the single Problem that replaces the list. A subject who blocks
 * the viewer, or whom the viewer blocks, is answered like a protected account the viewer may not see.
 */
export async function subjectUser(req: OperationRequest, id: string, opts: { protectedCheck: boolean }): Promise<UserRow | OperationResult> {
  const env = renderEnv(req);
  const u = (await env.repos.users.byIds([id])).get(id);
  if (!u) return { body: { errors: [notFound('user', 'id', id)] } };
  if (u.suspended) return { body: { errors: [suspended('id', id)] } };
  const me = env.viewer.userId;
  if (me && me !== u.id) {
    const needFollow = opts.protectedCheck && u.protected;
    const [follows, blocked] = await Promise.all([
      needFollow ? env.repos.edges.followPairs([[me, u.id]]) : new Set<string>(),
      env.repos.timelines.blockedEitherWay(me, [u.id]),
    ]);
    if (blocked.size || (needFollow && !follows.size)) return { body: { errors: [notAuthorized('user', 'id', id, 'data')] } };
  } else if (!me && opts.protectedCheck && u.protected) {
    return { body: { errors: [notAuthorized('user', 'id', id, 'data')] } };
  }
  return u;
}

/** The subject post of a /2/tweets/:id/... list, or the single Problem that replaces the list. */
export async function subjectPost(req: OperationRequest, id: string): Promise<true | OperationResult> {
  const env = renderEnv(req);
  const p = (await env.repos.posts.byIds([id])).get(id);
  const author = p && (await env.repos.users.byIds([p.authorId])).get(p.authorId);
  const v = postVerdict(env.viewer, p, author, author ? await relationsFor(env, [author]) : { follows: new Set() });
  if (v === 'missing') return { body: { errors: [notFound('tweet', 'id', id)] } };
  if (v === 'unauthorized') return { body: { errors: [notAuthorized('tweet', 'id', id, 'data')] } };
  return true;
}

export const isResult = (x: unknown): x is OperationResult => typeof x === 'object' && x !== null && 'body' in x;

export interface EdgeIdPage {
  ids: string[];
  next?: string;
  prev?: string;
}

/** Walks a relation newest first by (time, id) keysets; `fetch` is one of the data/edges.ts walkers. */
export async function pageEdges(
  kind: string,
  token: string | undefined,
  limit: number,
  fetch: (q: { limit: number; from?: { at: number; id: string }; ascending?: boolean }) => Promise<{ id: string; at: number }[]>,
): Promise<EdgeIdPage> {
  let from: { at: number; id: string } | undefined;
  let ascending = false;
  if (token) {
    const c = decodeCursor(token, kind);
    if (c.values.length !== 2) throw InvalidRequest.one('pagination_token', [token], `The \`pagination_token\` query parameter value [${token}] is not valid`);
    from = { at: Number(c.values[0]), id: c.values[1] };
    ascending = c.direction === 'prev';
  }
  const got = await fetch({ limit: limit + 1, from, ascending });
  const more = got.length > limit;
  let edges = got.slice(0, limit);
  if (ascending) edges = edges.reverse();
  const page: EdgeIdPage = { ids: edges.map((e) => e.id) };
  if (edges.length) {
    const last = edges[edges.length - 1];
    const first = edges[0];
    if (ascending ? true : more) page.next = encodeCursor(kind, 'next', [last.at, last.id]);
    if (ascending ? more : !!token) page.prev = encodeCursor(kind, 'prev', [first.at, first.id]);
  }
  return page;
}

export function listMeta(count: number, page: { next?: string; prev?: string }): Record<string, unknown> {
  const meta: Record<string, unknown> = { result_count: count };
  if (page.next) meta.next_token = page.next;
  if (page.prev) meta.previous_token = page.prev;
  return meta;
}

/**
 * Writes act for the authenticated user only: the `:id` of the path must be theirs (X answers 403 otherwise).
 * Returns the user id.
 */
export function requireSelf(req: OperationRequest, id: string): string {
  const me = req.principal?.userId;
  if (!me || me !== id) throw new Forbidden('You are not permitted to perform this action.');
  return me;
}

/** The calling app's id (app-level endpoints: stream rules, streams, connections). */
export function appOf(req: OperationRequest): string {
  if (!req.principal) throw new Unauthorized();
  return req.principal.appId;
}
