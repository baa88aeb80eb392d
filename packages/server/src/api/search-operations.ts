/**
 * Search and counts (FACTS §3, §5): `GET /2/tweets/search/recent|all` and `GET /2/tweets/counts/recent|all`.
 * The query is parsed for the product and tier (query/), compiled to SQL (search/sql.ts) and run over the
 * search documents (data/search.ts). Windows follow the server clock: recent = the last 7 days, full-archive =
 * from 2006-03-21 (default: the last 30 days); `end_time` defaults to 30 s ago and must be ≥ 10 s in the past.
 */
import { InvalidRequest } from '../errors.js';
import { parseQuery, queryErrorMessage, type Node, type Product } from '../query/index.js';
import { renderPosts } from '../pipeline/render.js';
import { decodeCursor, encodeCursor } from '../util/cursor.js';
import { snowflakeAt } from '../util/snowflake.js';
import type { Operation, OperationRequest } from './types.js';
import { checkStartBeforeEnd, many, postMeta, renderEnv, selection, str } from './shared.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The first day of the full archive. */
const ARCHIVE_START = Date.UTC(2006, 2, 21);
/** Full-archive counts answer at most this much time per page. */
const COUNTS_PAGE = 30 * DAY;

/** X echoes times in messages to the minute: `2006-01-01T00:00Z`. */
function minuteText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

function parse(req: OperationRequest, product: Product): Node {
  const query = String(req.params.query);
  const parsed = parseQuery(query, { product, tier: req.ctx.config.tier });
  if (!parsed.ok) throw InvalidRequest.one('query', [query], queryErrorMessage(parsed.messages));
  return parsed.ast;
}

interface Window {
  /** created_at range [start, end). */
  start: number;
  end: number;
  /** Exclusive id bounds. */
  after: string;
  before: string;
}

/** Resolves since/until ids and start/end times against the product's archive, as X checks them. */
function window(req: OperationRequest, recent: boolean): Window {
  const p = req.params;
  // X works to the second: default windows start and end on whole seconds.
  const now = Math.floor(req.ctx.clock.now() / SECOND) * SECOND;
  const sinceId = str(p.since_id);
  const untilId = str(p.until_id);
  const startText = str(p.start_time);
  const endText = str(p.end_time);
  if ((sinceId || untilId) && (startText || endText)) {
    const parameters: Record<string, string[]> = {};
    for (const [k, v] of [['since_id', sinceId], ['until_id', untilId], ['start_time', startText], ['end_time', endText]] as const) {
      if (v) parameters[k] = [v];
    }
    throw new InvalidRequest([{ parameters, message: "Invalid use of 'since_id' or 'until_id' in conjunction with 'start_time' or 'end_time'." }]);
  }
  const floor = recent ? now - 7 * DAY : ARCHIVE_START;
  const latest = now - 10 * SECOND;
  let start = recent ? floor : now - 30 * DAY;
  let end = now - 30 * SECOND;
  if (startText) {
    start = Date.parse(startText);
    if (start < floor) {
      throw InvalidRequest.one('start_time', [minuteText(start)], `Invalid 'start_time':'${minuteText(start)}'. 'start_time' must be on or after ${minuteText(floor)}`);
    }
    if (start > latest) {
      throw InvalidRequest.one('start_time', [minuteText(start)], `Invalid 'start_time':'${minuteText(start)}'. 'start_time' must be a minimum of 10 seconds prior to the request time.`);
    }
  }
  if (endText) {
    end = Date.parse(endText);
    if (end > latest) {
      throw InvalidRequest.one('end_time', [minuteText(end)], `Invalid 'end_time':'${minuteText(end)}'. 'end_time' must be a minimum of 10 seconds prior to the request time.`);
    }
    if (end <= floor) {
      throw InvalidRequest.one('end_time', [minuteText(end)], `Invalid 'end_time':'${minuteText(end)}'. 'end_time' must be on or after ${minuteText(floor)}`);
    }
  }
  checkStartBeforeEnd(startText, endText);
  if (start >= end) {
    // A start later than the default end (or an end before the default start) leaves an empty window.
    if (startText) end = start;
    else start = end;
  }
  let after = (BigInt(snowflakeAt(start)) - 1n).toString();
  let before = snowflakeAt(end);
  if (sinceId && BigInt(sinceId) > BigInt(after)) after = sinceId;
  if (untilId && BigInt(untilId) < BigInt(before)) before = untilId;
  return { start, end, after, before };
}

/** The page token of either name (search takes `next_token` and `pagination_token`). */
function pageToken(req: OperationRequest): { token: string; param: string } | null {
  const next = str(req.params.next_token);
  if (next) return { token: next, param: 'next_token' };
  const pagination = str(req.params.pagination_token);
  return pagination ? { token: pagination, param: 'pagination_token' } : null;
}

/** The value a `next` page token carries (of this kind), or null without a token. */
function nextCursorValue(req: OperationRequest, kind: string): string | null {
  const t = pageToken(req);
  if (!t) return null;
  const c = decodeCursor(t.token, kind, t.param);
  if (c.direction !== 'next') throw decodeBad(t);
  return c.values[0]!;
}

function searchOperation(operationId: 'searchPostsRecent' | 'searchPostsAll', product: Product): Operation {
  const recent = product === 'recent';
  return {
    operationId,
    async handle(req) {
      const ast = parse(req, product);
      const w = window(req, recent);
      const limit = Number(req.params.max_results ?? 10);
      const order = req.params.sort_order === 'relevancy' ? 'relevancy' : 'recency';
      const env = renderEnv(req);
      // Recency pages continue below the last id; relevancy pages at an offset.
      const kind = order === 'recency' ? 'sr' : 'sv';
      const cursor = nextCursorValue(req, kind);
      let before = w.before;
      let offset = 0;
      if (cursor !== null && order === 'recency') {
        if (BigInt(cursor) < BigInt(before)) before = cursor;
      } else if (cursor !== null) offset = Number(cursor);
      const got = await env.repos.search.ids(ast, { after: w.after, before, limit: limit + 1, order, offset });
      const ids = got.slice(0, limit);
      let next: string | undefined;
      if (got.length > limit) next = encodeCursor(kind, 'next', [order === 'recency' ? ids[ids.length - 1]! : offset + limit]);
      const rendered = await renderPosts(env, ids, selection(req), { parameter: null });
      return many(rendered, postMeta(rendered, { ids, next }, false));
    },
  };
}

function decodeBad(t: { token: string; param: string }): InvalidRequest {
  return InvalidRequest.one(t.param, [t.token], `The \`${t.param}\` query parameter value [${t.token}] is not valid`);
}

const GRANULARITY: Record<string, number> = { minute: MINUTE, hour: HOUR, day: DAY };

function countsOperation(operationId: 'getPostsCountsRecent' | 'getPostsCountsAll', product: Product): Operation {
  const recent = product === 'counts_recent';
  return {
    operationId,
    async handle(req) {
      const ast = parse(req, product);
      const w = window(req, recent);
      const g = GRANULARITY[String(req.params.granularity ?? 'hour')] ?? HOUR;
      // Full-archive counts answer 30 days per page, newest first; the token carries the end of the next page.
      let pageEnd = w.end;
      const cursor = nextCursorValue(req, 'ct');
      if (cursor !== null) {
        const v = Number(cursor);
        if (v <= w.start || v > w.end) throw decodeBad(pageToken(req)!);
        pageEnd = v;
      }
      const pageStart = recent ? w.start : Math.max(w.start, pageEnd - COUNTS_PAGE);
      const origin = Math.floor(pageStart / g) * g;
      const counts = await req.ctx.repos.search.counts(ast, { after: w.after, before: w.before, startMs: pageStart, endMs: pageEnd, originMs: origin, bucketMs: g });
      const data: { end: string; start: string; tweet_count: number }[] = [];
      let total = 0;
      for (let i = 0; origin + i * g < pageEnd; i++) {
        const bStart = Math.max(pageStart, origin + i * g);
        const bEnd = Math.min(pageEnd, origin + (i + 1) * g);
        const n = counts.get(i) ?? 0;
        total += n;
        data.push({ end: new Date(bEnd).toISOString(), start: new Date(bStart).toISOString(), tweet_count: n });
      }
      const meta: Record<string, unknown> = { total_tweet_count: total };
      if (pageStart > w.start) meta.next_token = encodeCursor('ct', 'next', [pageStart]);
      return { body: { data, meta } };
    },
  };
}

export const searchOperations: readonly Operation[] = [
  searchOperation('searchPostsRecent', 'recent'),
  searchOperation('searchPostsAll', 'all'),
  countsOperation('getPostsCountsRecent', 'counts_recent'),
  countsOperation('getPostsCountsAll', 'counts_all'),
];
