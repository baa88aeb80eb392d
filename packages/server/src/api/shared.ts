/** Helpers shared by operation handlers: viewer, selection, windows, subjects and response envelopes. */
import type { OperationRequest, OperationResult } from './operation.js';
import { checkStartBeforeEnd } from '../search/request.js';
import { selectionFrom, type Selection } from '../pipeline/selection.js';
import { judgeList, judgePost, judgeUser, LIST, renderPosts, renderUsers, type RenderEnv } from '../pipeline/render.js';
import type { Rendered } from '../pipeline/present-page.js';
import { listMeta, postListMeta, type IdWindow, type Page } from '../pipeline/pagination.js';
import { listProblem, postProblem, userProblem, type Problem } from '../pipeline/problems.js';
import type { Viewer } from '../pipeline/rules.js';
import { idInRange, snowflakeAt, SNOWFLAKE_EPOCH_MS } from '../util/snowflake.js';
import { walk, type Node } from '../query/index.js';
import { Forbidden, Unauthorized } from '../errors.js';

export function viewerOf(req: OperationRequest): Viewer {
  return { userId: req.principal?.userId ?? null };
}

export function renderEnv(req: OperationRequest): RenderEnv {
  return { repos: req.ctx.repos, viewer: viewerOf(req), now: req.ctx.clock.now(), mediaBase: req.ctx.media.baseUrl };
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

/** A lookup's answer built outside the pipeline: `data` for what was found, `errors` for the rest (FACTS §1.2). */
export function partial(data: readonly Record<string, unknown>[], errors: readonly Problem[]): OperationResult {
  return many({ data: [...data], errors: errors.length ? [...errors] : undefined });
}

export const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

/**
 * since_id/until_id and start_time/end_time as an exclusive id window (ids are snowflakes, so times map onto
 * ids); the id bounds take precedence over the time bounds (FACTS §3.3).
 */
export function idWindow(params: Record<string, unknown>): IdWindow {
  const out: IdWindow = {};
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

/**
 * The subject user of a /2/users/:id/... list, or the answer that replaces the list: the single Problem for a
 * user who is unknown, suspended, or out of the viewer's reach (rules' `subjectUserVerdict`). Null: go on.
 */
export async function subjectUser(req: OperationRequest, id: string): Promise<OperationResult | null> {
  const { verdict } = await judgeUser(renderEnv(req), id);
  return verdict === 'ok' ? null : { body: { errors: [userProblem(verdict, 'id', id)] } };
}

/** The subject post of a /2/tweets/:id/... list, or the answer with the single Problem that replaces the list. */
export async function subjectPost(req: OperationRequest, id: string): Promise<OperationResult | null> {
  const { verdict } = await judgePost(renderEnv(req), id);
  return verdict === 'ok' ? null : { body: { errors: [postProblem(verdict, 'id', id)] } };
}

/**
 * A read about the user of the path's `:id` (/2/users/:id/…): the Problem that replaces it when the subject may not
 * be shown, else what `read` answers for that id in the viewer's render environment.
 */
export async function aboutUser(req: OperationRequest, read: (id: string, env: RenderEnv) => Promise<OperationResult>): Promise<OperationResult> {
  const id = String(req.params.id);
  return (await subjectUser(req, id)) ?? read(id, renderEnv(req));
}

/** A read about the post of the path's `:id` (/2/tweets/:id/…), as `aboutUser`. */
export async function aboutPost(req: OperationRequest, read: (id: string, env: RenderEnv) => Promise<OperationResult>): Promise<OperationResult> {
  const id = String(req.params.id);
  return (await subjectPost(req, id)) ?? read(id, renderEnv(req));
}

/** A page of user ids rendered for the viewer, with list meta (count shown and tokens). */
export async function usersPage(req: OperationRequest, env: RenderEnv, page: Page): Promise<OperationResult> {
  const rendered = await renderUsers(env, { ids: page.ids }, selection(req), LIST);
  return many(rendered, listMeta(rendered.data.length, page));
}

/** A page of post ids rendered for the viewer, with list meta (count shown and tokens). */
export async function postsPage(req: OperationRequest, env: RenderEnv, page: Page): Promise<OperationResult> {
  const rendered = await renderPosts(env, page.ids, selection(req), LIST);
  return many(rendered, listMeta(rendered.data.length, page));
}

/** A page of a post timeline rendered for the viewer, with timeline meta (newest and oldest ids shown, count, tokens). */
export async function timelinePage(req: OperationRequest, env: RenderEnv, page: Page): Promise<OperationResult> {
  const rendered = await renderPosts(env, page.ids, selection(req), LIST);
  return many(rendered, postListMeta(rendered.data, page));
}

/** A list of plain objects (no includes, no errors: bookmark folders, folder ids) with list meta. */
export function plainList(data: readonly unknown[], page: Page): OperationResult {
  const out: Record<string, unknown> = {};
  if (data.length) out.data = data;
  out.meta = listMeta(data.length, page);
  return { body: out };
}

/**
 * The subject list of a /2/lists/:id/… read, or the answer with the single Problem that replaces it: Not Found for
 * a list that does not exist or is someone else's private list, Authorization Error across a block or a protected
 * owner (rules' `listVerdict`).
 */
export async function subjectList(req: OperationRequest, id: string): Promise<OperationResult | null> {
  const { verdict } = await judgeList(renderEnv(req), id);
  return verdict === 'ok' ? null : { body: { errors: [listProblem(verdict, 'id', id)] } };
}

/**
 * The lists a query's `list:` operators name that the viewer may see (rules' `listVerdict`): search compiles
 * `list:` of any other list — unknown, or someone else's private list — to nothing at all.
 */
export async function visibleLists(req: OperationRequest, ast: Node): Promise<ReadonlySet<string>> {
  const named = new Set<string>();
  walk(ast, (n) => {
    if (n.kind === 'list') named.add(n.id);
  });
  const out = new Set<string>();
  for (const id of named) if (idInRange(id) && (await judgeList(renderEnv(req), id)).verdict === 'ok') out.add(id);
  return out;
}

export const isResult = (x: unknown): x is OperationResult => typeof x === 'object' && x !== null && 'body' in x;

/**
 * Writes act for the authenticated user only: the `:id` of the path must be theirs (X answers 403 otherwise).
 * Returns the user id.
 */
export function requireSelf(req: OperationRequest, id: string): string {
  const me = req.principal?.userId;
  if (!me || me !== id) throw new Forbidden('You are not permitted to perform this action.');
  return me;
}

/** The authenticated user of a user-context operation (the route layer refused every other credential before). */
export function userOf(req: OperationRequest): string {
  const me = req.principal?.userId;
  if (!me) throw new Unauthorized();
  return me;
}

/** The calling app's id (app-level endpoints: stream rules, streams, connections). */
export function appOf(req: OperationRequest): string {
  if (!req.principal) throw new Unauthorized();
  return req.principal.appId;
}
