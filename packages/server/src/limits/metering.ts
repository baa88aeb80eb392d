/**
 * Pay-per-use metering (FACTS §4.3).
 *
 * - Reads are charged per resource in the response's top-level `data` (an array or one object). Expansions in
 *   `includes` are NOT charged (Roost's decision: X documents "per resource returned" without saying whether
 *   expanded objects count; charging only `data` matches the observed bills of lookups with expansions).
 * - Each operation declares its metering class (`meter.*`, api/operation.ts): free, per resource read, per
 *   request, or post creation.
 * - Owned reads ($0.001 per resource): reads declared `owned` when their `:id` is the app owner's id.
 * - Writes are charged per request (`PRICES`; post creation depends on the request: URL, summoned reply).
 * - The same resource (kind + id) is charged once per UTC day per app. The set of resources charged is a
 *   `UsageDedup`: the memory of each node by default (soft, as at X: lost on restart), or Redis with scale-out,
 *   shared by every node. Non-2xx responses and responses without data are not charged.
 * - Every account (an app's owner) has a credit balance; the next request of an account at or below zero gets
 *   402 CreditsDepleted.
 * - Post resources charged count towards the account's monthly post cap (calendar month UTC, reset day 1);
 *   at the cap, requests of post-reading operations get 429 UsageCapExceeded.
 *
 * This module is the price list and the pricing of one response (`Pricing`); balances, usage and their storage
 * are domain/billing.ts's.
 */
import type { Principal } from '../auth/authenticate.js';
import { ApiError, PROBLEMS, ProblemError } from '../errors.js';

export const MICROS = 1_000_000;
export const usd = (n: number) => Math.round(n * MICROS);

export type ResourceKind = 'post' | 'user' | 'follow' | 'like' | 'mute' | 'block' | 'list' | 'dm' | 'space' | 'community' | 'note' | 'resource';

export const READ_PRICES: Record<ResourceKind, number> = {
  post: usd(0.005),
  user: usd(0.01),
  dm: usd(0.01),
  follow: usd(0.01),
  list: usd(0.005),
  space: usd(0.005),
  community: usd(0.005),
  note: usd(0.005),
  like: usd(0.001),
  mute: usd(0.001),
  block: usd(0.001),
  resource: usd(0.005),
};
export const OWNED_READ_PRICE = usd(0.001);

/** Per-request prices of FACTS §4.3's write actions (and of the request-priced reads: counts, trends). */
export const PRICES = {
  interactionCreate: usd(0.015),
  interactionDelete: usd(0.01),
  manage: usd(0.005),
  listCreate: usd(0.01),
  countsAll: usd(0.01),
  countsRecent: usd(0.005),
  trends: usd(0.01),
} as const;

const POST_CREATE = usd(0.015);
const POST_CREATE_URL = usd(0.2);
const POST_CREATE_SUMMONED = usd(0.01);

/** How an operation is priced; each operation declares one (api/operation.ts). */
export type MeteringClass =
  /** Never charged, never blocked by credits or the cap (usage, media uploads). */
  | { readonly kind: 'free' }
  /**
   * Charged per resource in the top-level `data` (deduplicated per UTC day); `owned`: priced as an owned read
   * when the path's `:id` is the app owner. Post resources count towards the monthly cap, which blocks the
   * operation once reached.
   */
  | { readonly kind: 'read'; readonly resource: ResourceKind; readonly owned: boolean }
  /** Charged per successful request (writes, counts, trends). */
  | { readonly kind: 'request'; readonly micros: number }
  /** Post creation: plain, containing a URL, or a "summoned" reply. */
  | { readonly kind: 'post-create' }
  /** A held stream: admitted only with credits; what it delivers is not charged per request. */
  | { readonly kind: 'stream' };

export const meter = {
  free: { kind: 'free' } as MeteringClass,
  read: (resource: ResourceKind, opts: { owned?: boolean } = {}): MeteringClass => ({ kind: 'read', resource, owned: opts.owned ?? false }),
  request: (micros: number): MeteringClass => ({ kind: 'request', micros }),
  postCreate: { kind: 'post-create' } as MeteringClass,
  stream: { kind: 'stream' } as MeteringClass,
};

/**
 * Webhook and X Activity events are billed per delivered event (FACTS §4.3): post.create $0.005, follow.* $0.010,
 * dm.received / chat.received $0.010, mute / block $0.001, profile.update.* / news.new / spaces.* $0.005;
 * deletes, sent, read and typing events are free. FACTS prices no like event: Roost bills like.create as a Like
 * resource ($0.001). Posts delivered count towards the monthly post cap.
 */
export function eventPrice(eventType: string): Charge {
  const family = eventType.split('.')[0]!;
  if (eventType === 'post.create' || eventType === 'post.mention.create') return { micros: usd(0.005), posts: 1 };
  if (family === 'follow' || eventType === 'dm.received' || eventType === 'chat.received') return { micros: usd(0.01), posts: 0 };
  if (family === 'mute' || family === 'block' || eventType === 'like.create') return { micros: usd(0.001), posts: 0 };
  if (family === 'profile' || family === 'news' || family === 'spaces') return { micros: usd(0.005), posts: 0 };
  return { micros: 0, posts: 0 };
}

const URL_RE = /\bhttps?:\/\/\S|\bwww\.\S+\.\S/i;

export interface Charge {
  /** Micro-dollars charged for this request. */
  micros: number;
  /** Post resources charged (counted towards the monthly cap). */
  posts: number;
}

export interface MeterInput {
  metering: MeteringClass;
  principal: Principal;
  params: Readonly<Record<string, unknown>>;
  body: unknown;
  status: number;
  response: unknown;
}

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const utcMonth = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** Why a request may not run, before its handler: no credits (402), or a post read at the monthly cap (429). */
export function admissionError(m: MeteringClass, accountId: string, balanceMicros: number, cyclePosts: number, monthlyPostCap: number): Error | null {
  if (balanceMicros <= 0) return creditsDepleted(accountId);
  if (m.kind === 'read' && m.resource === 'post' && cyclePosts >= monthlyPostCap) return usageCapped(accountId);
  return null;
}

/**
 * The per-app, per-UTC-day set of resources already charged. Backends: memory (one node) and Redis (every node);
 * one contract suite covers both (tests/scale-stores.contract.test.ts).
 */
export interface UsageDedup {
  /** Marks `keys` charged for the app on `day` (YYYY-MM-DD); for each key, whether it was not charged before. */
  first(appId: string, day: string, keys: readonly string[]): Promise<boolean[]>;
}

/**
 * The dedup set in this node's memory: the two newest days are kept (a delivered event is keyed by the day it
 * happened, which a replay a few minutes after midnight still names).
 */
export class MemoryUsageDedup implements UsageDedup {
  private readonly days = new Map<string, Map<string, Set<string>>>();

  async first(appId: string, day: string, keys: readonly string[]): Promise<boolean[]> {
    let apps = this.days.get(day);
    if (!apps) {
      this.days.set(day, (apps = new Map()));
      const kept = [...this.days.keys()].sort();
      for (const old of kept.slice(0, Math.max(0, kept.length - 2))) this.days.delete(old);
    }
    let seen = apps.get(appId);
    if (!seen) apps.set(appId, (seen = new Set()));
    return keys.map((k) => !seen.has(k) && Boolean(seen.add(k)));
  }
}

/** What one successful response costs; resources already charged today (per app) are free (`UsageDedup`). */
export class Pricing {
  /** `mentions(postId, userId)`: whether the post mentions the user (a "summoned" reply is cheaper). */
  constructor(
    private readonly mentions: (postId: string, userId: string) => Promise<boolean>,
    private readonly dedup: UsageDedup = new MemoryUsageDedup(),
  ) {}

  /** Whether `key` (a delivered event, `activityChargeKey`) is charged to the app for the first time on `day`. */
  async firstCharge(appId: string, day: string, key: string): Promise<boolean> {
    return (await this.dedup.first(appId, day, [key]))[0]!;
  }

  /** False for free classes, non-2xx answers and answers without data: those cost nothing. */
  chargeable(m: MeterInput): boolean {
    if (m.metering.kind === 'free' || m.status < 200 || m.status >= 300) return false;
    const data = (m.response as { data?: unknown } | null | undefined)?.data;
    return !(data === undefined || data === null || (Array.isArray(data) && data.length === 0));
  }

  async price(m: MeterInput, accountId: string, now: number): Promise<Charge> {
    if (!this.chargeable(m)) return { micros: 0, posts: 0 };
    const data = (m.response as { data: unknown }).data;
    const k = m.metering;
    if (k.kind === 'read') return this.readCharge(k, m.params, data, m.principal.appId, accountId, now);
    return { micros: k.kind === 'request' ? k.micros : k.kind === 'post-create' ? await this.postCreatePrice(m) : 0, posts: 0 };
  }

  private async readCharge(m: { resource: ResourceKind; owned: boolean }, params: MeterInput['params'], data: unknown, appId: string, accountId: string, now: number): Promise<Charge> {
    const kind = m.resource;
    const owned = m.owned && String(params.id) === accountId;
    const price = owned ? OWNED_READ_PRICE : READ_PRICES[kind];
    const items = Array.isArray(data) ? data : [data];
    // Resources without an id are always charged; the others once per app and UTC day.
    let n = 0;
    const keys: string[] = [];
    for (const item of items) {
      const id = (item as { id?: unknown } | null)?.id;
      if (id === undefined) n++;
      else keys.push(kind + String(id));
    }
    if (keys.length) for (const fresh of await this.dedup.first(appId, utcDay(now), keys)) if (fresh) n++;
    return { micros: n * price, posts: kind === 'post' ? n : 0 };
  }

  private async postCreatePrice(m: MeterInput): Promise<number> {
    const b = (m.body ?? {}) as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
    if (typeof b.text === 'string' && URL_RE.test(b.text)) return POST_CREATE_URL;
    const parent = b.reply?.in_reply_to_tweet_id;
    if (typeof parent === 'string' && /^\d{1,19}$/.test(parent) && m.principal.userId) {
      // "Summoned" reply: a reply to a post that mentions the replying user.
      if (await this.mentions(parent, m.principal.userId)) return POST_CREATE_SUMMONED;
    }
    return POST_CREATE;
  }
}

/**
 * 402 CreditsDepleted. `account_id` is a JSON number at X (FACTS §1.4); account ids may exceed 2^53, so the
 * wire text is written by `rawBody()` with the digits exactly (the error handler sends it as is).
 */
export class CreditsDepleted extends ApiError {
  readonly status = 402;
  constructor(readonly accountId: string) {
    super('CreditsDepleted');
  }
  body() {
    return {
      account_id: Number(this.accountId),
      title: 'CreditsDepleted',
      detail: `Your enrolled account [${this.accountId}] does not have any credits to fulfill this request.`,
      type: `${PROBLEMS}credits`,
    };
  }
  rawBody(): string {
    const { account_id: _, ...rest } = this.body();
    return `{"account_id":${this.accountId},${JSON.stringify(rest).slice(1)}`;
  }
}

export const creditsDepleted = (accountId: string) => new CreditsDepleted(accountId);

export function usageCapped(accountId: string, period: 'Monthly' | 'Daily' = 'Monthly'): ProblemError {
  return new ProblemError(429, {
    account_id: accountId,
    product_name: 'standard-basic',
    title: 'UsageCapExceeded',
    period,
    scope: 'Product',
    detail: `Usage cap exceeded: ${period} product cap`,
    type: `${PROBLEMS}usage-capped`,
  });
}

