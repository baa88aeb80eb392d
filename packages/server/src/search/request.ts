/**
 * What search and counts requests share (FACTS §3, §5): the query parsed for the product and tier, the window
 * the request asks for resolved against the product's archive on the server clock (recent = the last 7 days,
 * full-archive = from 2006-03-21, default the last 30 days; `end_time` defaults to 30 s ago and must be ≥ 10 s in
 * the past). Their page tokens are pipeline/pagination.ts kinds.
 */
import { InvalidRequest } from '../errors.js';
import { parseQuery, queryErrorMessage, type Node, type Product } from '../query/index.js';
import { snowflakeAt } from '../util/snowflake.js';
import type { Config } from '../config.js';

type Params = Readonly<Record<string, unknown>>;

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The first day of the full archive. */
const ARCHIVE_START = Date.UTC(2006, 2, 21);
/** Full-archive counts answer at most this much time per page. */
export const COUNTS_PAGE = 30 * DAY;

/** X echoes times in messages to the minute: `2006-01-01T00:00Z`. */
function minuteText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

export function parseSearchQuery(params: Params, product: Product, tier: Config['tier']): Node {
  const query = String(params.query);
  const parsed = parseQuery(query, { product, tier });
  if (!parsed.ok) throw InvalidRequest.one('query', [query], queryErrorMessage(parsed.messages));
  return parsed.ast;
}

export interface SearchWindow {
  /** created_at range [start, end). */
  start: number;
  end: number;
  /** Exclusive id bounds. */
  after: string;
  before: string;
}

/** Resolves since/until ids and start/end times against the product's archive, as X checks them. */
export function searchWindow(p: Params, clockNow: number, recent: boolean): SearchWindow {
  // X works to the second: default windows start and end on whole seconds.
  const now = Math.floor(clockNow / SECOND) * SECOND;
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

const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

/** X's 400 when both times are given and `start_time` is not before `end_time`. */
export function checkStartBeforeEnd(start: string | undefined, end: string | undefined): void {
  if (start && end && Date.parse(start) >= Date.parse(end)) {
    throw InvalidRequest.one('start_time', [start], `Invalid 'start_time':'${start}'. 'start_time' must be before 'end_time':'${end}'.`);
  }
}
