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
 * - The same resource (kind + id) is charged once per UTC day per app (a soft guarantee, as at X: the dedup set
 *   lives in the memory of each node and is lost on restart). Non-2xx responses and responses without data are
 *   not charged.
 * - Every account (an app's owner) has a credit balance. Charges are applied in memory at once and written to
 *   the database in batches (every FLUSH_MS, and before usage is read or the server stops); the balance may go
 *   slightly negative, and the next request of an account at or below zero gets 402 CreditsDepleted.
 * - Post resources charged count towards the account's monthly post cap (calendar month UTC, reset day 1);
 *   at the cap, requests of post-reading operations get 429 UsageCapExceeded.
 */
import type { Store } from '../db/connect.js';
import { readerFor, type ReadFn } from '../db/connect.js';
import type { Clock } from '../clock.js';
import type { Repos } from '../data/index.js';
import type { Principal } from '../auth/authenticate.js';
import { ApiError, PROBLEMS, ProblemError } from '../errors.js';

export const MICROS = 1_000_000;
const usd = (n: number) => Math.round(n * MICROS);

export type ResourceKind = 'post' | 'user' | 'follow' | 'like' | 'mute' | 'block' | 'list' | 'dm' | 'resource';

export const READ_PRICES: Record<ResourceKind, number> = {
  post: usd(0.005),
  user: usd(0.01),
  dm: usd(0.01),
  follow: usd(0.01),
  list: usd(0.005),
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

const URL_RE = /\bhttps?:\/\/\S|\bwww\.\S+\.\S/i;

export interface MeteringOptions {
  enabled: boolean;
  startingCreditsUsd: number;
  monthlyPostCap: number;
  /** How often pending charges are written to the database (ms). 0: only on demand. */
  flushMs?: number;
}

interface Account {
  id: string;
  /** Balance as last read from the database minus charges not yet written. */
  balance: number;
  /** Charges not yet written to `credits`. */
  pendingSpend: number;
  /** Post resources charged in the current cycle (database + pending). */
  cyclePosts: number;
  cycle: string;
}

interface PendingUsage {
  appId: string;
  accountId: string;
  day: string;
  posts: number;
  cost: number;
}

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
const utcMonth = (ms: number) => new Date(ms).toISOString().slice(0, 7);

export class Metering {
  readonly enabled: boolean;
  private readonly read: ReadFn;
  private readonly owners = new Map<string, string>();
  private readonly accounts = new Map<string, Account>();
  private readonly loading = new Map<string, Promise<Account>>();
  private readonly pending = new Map<string, PendingUsage>();
  private dedupDay = '';
  private readonly dedup = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  monthlyPostCap: number;
  readonly startingMicros: number;

  constructor(
    private readonly store: Store,
    private readonly repos: Repos,
    private readonly clock: Clock,
    opts: MeteringOptions,
  ) {
    this.enabled = opts.enabled;
    this.read = readerFor(store);
    this.monthlyPostCap = opts.monthlyPostCap;
    this.startingMicros = usd(opts.startingCreditsUsd);
    const every = opts.flushMs ?? 1000;
    if (this.enabled && every > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), every);
      this.timer.unref();
    }
  }

  private p(n: number): string[] {
    return this.store.dialect.placeholders(n).split(',');
  }

  /** The account (owner user id) of an app. */
  async accountOf(appId: string): Promise<string> {
    let owner = this.owners.get(appId);
    if (owner === undefined) {
      const app = await this.repos.apps.byId(appId);
      owner = app?.ownerUserId ?? appId;
      this.owners.set(appId, owner);
    }
    return owner;
  }

  private async account(accountId: string): Promise<Account> {
    const now = this.clock.now();
    const a = this.accounts.get(accountId);
    if (a && a.cycle === utcMonth(now)) return a;
    let p = this.loading.get(accountId);
    if (!p) {
      p = this.load(accountId, now).finally(() => this.loading.delete(accountId));
      this.loading.set(accountId, p);
    }
    return p;
  }

  private async load(accountId: string, now: number): Promise<Account> {
    const [a0, a1, a2] = this.p(3);
    await this.read(
      `insert into credits (account_id, balance_micros, updated_at) values (${a0}, ${a1}, ${a2}) on conflict (account_id) do nothing returning account_id`,
      [this.store.dialect.idParam(accountId), this.startingMicros, now],
    );
    const bal = await this.read<{ balance_micros: number | string }>(`select balance_micros from credits where account_id = ${a0}`, [
      this.store.dialect.idParam(accountId),
    ]);
    const cycle = utcMonth(now);
    const used = await this.read<{ n: number | string | null }>(
      `select sum(posts) as n from usage_daily where account_id = ${a0} and day >= ${a1}`,
      [this.store.dialect.idParam(accountId), `${cycle}-01`],
    );
    const prev = this.accounts.get(accountId);
    const pendingSpend = prev?.pendingSpend ?? 0;
    let pendingPosts = 0;
    for (const u of this.pending.values()) if (u.accountId === accountId && u.day >= `${cycle}-01`) pendingPosts += u.posts;
    const a: Account = {
      id: accountId,
      balance: Number(bal[0]?.balance_micros ?? 0) - pendingSpend,
      pendingSpend,
      cyclePosts: Number(used[0]?.n ?? 0) + pendingPosts,
      cycle,
    };
    this.accounts.set(accountId, a);
    return a;
  }

  /** Before the handler: 402 when the account has no credits, 429 when a post read would pass the monthly cap. */
  async admit(m: MeteringClass, appId: string): Promise<void> {
    if (!this.enabled || m.kind === 'free') return;
    const accountId = await this.accountOf(appId);
    const a = await this.account(accountId);
    if (a.balance <= 0) throw creditsDepleted(accountId);
    if (m.kind === 'read' && m.resource === 'post' && a.cyclePosts >= this.monthlyPostCap) throw usageCapped(accountId);
  }

  /** After the handler: what this response costs; applied to the account's balance and usage. */
  async charge(m: MeterInput): Promise<Charge> {
    const none = { micros: 0, posts: 0 };
    if (!this.enabled || m.metering.kind === 'free' || m.status < 200 || m.status >= 300) return none;
    const data = (m.response as { data?: unknown } | null | undefined)?.data;
    if (data === undefined || data === null || (Array.isArray(data) && data.length === 0)) return none;
    const appId = m.principal.appId;
    const accountId = await this.accountOf(appId);
    const now = this.clock.now();
    const k = m.metering;
    const c: Charge =
      k.kind === 'read'
        ? this.readCharge(k, m.params, data, appId, accountId, now)
        : { micros: k.kind === 'request' ? k.micros : k.kind === 'post-create' ? await this.postCreatePrice(m) : 0, posts: 0 };
    if (c.micros === 0 && c.posts === 0) return c;
    const a = await this.account(accountId);
    a.balance -= c.micros;
    a.pendingSpend += c.micros;
    a.cyclePosts += c.posts;
    const day = utcDay(now);
    const key = `${appId}|${day}`;
    let u = this.pending.get(key);
    if (!u) this.pending.set(key, (u = { appId, accountId, day, posts: 0, cost: 0 }));
    u.posts += c.posts;
    u.cost += c.micros;
    return c;
  }

  private readCharge(m: { resource: ResourceKind; owned: boolean }, params: MeterInput['params'], data: unknown, appId: string, accountId: string, now: number): Charge {
    const kind = m.resource;
    const owned = m.owned && String(params.id) === accountId;
    const price = owned ? OWNED_READ_PRICE : READ_PRICES[kind];
    const day = utcDay(now);
    if (day !== this.dedupDay) {
      this.dedupDay = day;
      this.dedup.clear();
    }
    let seen = this.dedup.get(appId);
    if (!seen) this.dedup.set(appId, (seen = new Set()));
    const items = Array.isArray(data) ? data : [data];
    let n = 0;
    for (const item of items) {
      const id = (item as { id?: unknown } | null)?.id;
      if (id === undefined) {
        n++;
        continue;
      }
      const key = kind + String(id);
      if (seen.has(key)) continue;
      seen.add(key);
      n++;
    }
    return { micros: n * price, posts: kind === 'post' ? n : 0 };
  }

  private async postCreatePrice(m: MeterInput): Promise<number> {
    const b = (m.body ?? {}) as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
    if (typeof b.text === 'string' && URL_RE.test(b.text)) return POST_CREATE_URL;
    const parent = b.reply?.in_reply_to_tweet_id;
    if (typeof parent === 'string' && /^\d{1,19}$/.test(parent) && m.principal.userId) {
      // "Summoned" reply: a reply to a post that mentions the replying user.
      if (await this.repos.mentions.mentions(parent, m.principal.userId)) return POST_CREATE_SUMMONED;
    }
    return POST_CREATE;
  }

  /** Writes pending charges and usage to the database and re-reads balances (other nodes' charges). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    const d = this.store.dialect;
    const pending = [...this.pending.values()];
    this.pending.clear();
    const [a0, a1, a2, a3, a4] = this.p(5);
    for (const u of pending) {
      await this.read(
        `insert into usage_daily (app_id, account_id, day, posts, cost_micros) values (${a0}, ${a1}, ${a2}, ${a3}, ${a4}) ` +
          'on conflict (app_id, day) do update set posts = usage_daily.posts + excluded.posts, cost_micros = usage_daily.cost_micros + excluded.cost_micros returning app_id',
        [d.idParam(u.appId), d.idParam(u.accountId), u.day, u.posts, u.cost],
      );
    }
    const now = this.clock.now();
    for (const a of this.accounts.values()) {
      const spend = a.pendingSpend;
      if (spend) {
        a.pendingSpend -= spend;
        await this.read(
          `update credits set balance_micros = balance_micros - ${a0}, updated_at = ${a1} where account_id = ${a2} returning account_id`,
          [spend, now, d.idParam(a.id)],
        );
      }
      const bal = await this.read<{ balance_micros: number | string }>(`select balance_micros from credits where account_id = ${a0}`, [d.idParam(a.id)]);
      if (bal[0]) a.balance = Number(bal[0].balance_micros) - a.pendingSpend;
    }
  }

  /** Adds (or with a negative amount removes) credits; returns the new balance in USD. */
  async addCredits(accountId: string, amountUsd: number): Promise<number> {
    await this.flush();
    await this.account(accountId);
    const d = this.store.dialect;
    const [a0, a1, a2] = this.p(3);
    await this.read(`update credits set balance_micros = balance_micros + ${a0}, updated_at = ${a1} where account_id = ${a2} returning account_id`, [
      usd(amountUsd),
      this.clock.now(),
      d.idParam(accountId),
    ]);
    this.accounts.delete(accountId);
    return (await this.account(accountId)).balance / MICROS;
  }

  /** The account's balance in USD (after writing pending charges). */
  async balance(accountId: string): Promise<number> {
    await this.flush();
    this.accounts.delete(accountId);
    return (await this.account(accountId)).balance / MICROS;
  }

  /** Post resources charged to the account in the current cycle. */
  async cycleUsage(accountId: string): Promise<number> {
    return (await this.account(accountId)).cyclePosts;
  }

  /** Daily post usage per app of an account from `since` (YYYY-MM-DD) on. */
  async dailyUsage(accountId: string, since: string): Promise<{ appId: string; day: string; posts: number }[]> {
    await this.flush();
    const d = this.store.dialect;
    const [a0, a1] = this.p(2);
    const rows = await this.read<{ app_id: string; day: string; posts: number | string }>(
      `select ${d.textId('app_id')}, day, posts from usage_daily where account_id = ${a0} and day >= ${a1} order by day`,
      [d.idParam(accountId), since],
    );
    return rows.map((r) => ({ appId: String(r.app_id), day: r.day, posts: Number(r.posts) }));
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.enabled) await this.flush();
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

