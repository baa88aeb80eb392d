/**
 * Storage of pay-per-use billing (migration 005): `credits` (each account's balance in micro-dollars) and
 * `usage_daily` (per app and UTC day: post resources charged and cost). Pricing is limits/metering.ts's and the
 * account bookkeeping domain/billing.ts's; this module only reads and writes rows. Direct reads: balances are
 * refreshed on every metering flush.
 */
import type { ReadFn } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';

/** One day of an app's usage, as added by a flush. */
export interface UsageRow {
  appId: string;
  accountId: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  posts: number;
  costMicros: number;
}

export interface BillingStore {
  /** Creates the account with `startingMicros` unless it exists. */
  openAccount(accountId: string, startingMicros: number, at: number): Promise<void>;
  /** The stored balance (micro-dollars); undefined for an unknown account. */
  balance(accountId: string): Promise<number | undefined>;
  /** Adds `micros` (negative: a charge) to the balance. */
  addToBalance(accountId: string, micros: number, at: number): Promise<void>;
  /** Post resources charged to the account from `day` (YYYY-MM-DD) on. */
  postsSince(accountId: string, day: string): Promise<number>;
  /** Cost charged to the account from `day` (YYYY-MM-DD) on, in micro-dollars (the cycle's spend). */
  costSince(accountId: string, day: string): Promise<number>;
  /** Adds to the app's usage of that day. */
  addUsage(u: UsageRow): Promise<void>;
  /** Daily post usage per app of an account from `day` on, oldest first. */
  dailyUsage(accountId: string, day: string): Promise<{ appId: string; day: string; posts: number }[]>;
}

type Num = number | string;

export class BillingTables implements BillingStore {
  private readonly sql: Record<'open' | 'balance' | 'add' | 'postsSince' | 'costSince' | 'usage' | 'daily', string>;

  constructor(
    private readonly d: Dialect,
    private readonly read: ReadFn,
  ) {
    const [a0, a1, a2, a3, a4] = d.placeholders(5).split(',');
    this.sql = {
      open: `insert into credits (account_id, balance_micros, updated_at) values (${a0}, ${a1}, ${a2}) on conflict (account_id) do nothing returning account_id`,
      balance: `select balance_micros from credits where account_id = ${a0}`,
      add: `update credits set balance_micros = balance_micros + ${a0}, updated_at = ${a1} where account_id = ${a2} returning account_id`,
      postsSince: `select sum(posts) as n from usage_daily where account_id = ${a0} and day >= ${a1}`,
      costSince: `select sum(cost_micros) as n from usage_daily where account_id = ${a0} and day >= ${a1}`,
      usage:
        `insert into usage_daily (app_id, account_id, day, posts, cost_micros) values (${a0}, ${a1}, ${a2}, ${a3}, ${a4}) ` +
        'on conflict (app_id, day) do update set posts = usage_daily.posts + excluded.posts, cost_micros = usage_daily.cost_micros + excluded.cost_micros returning app_id',
      daily: `select ${d.textId('app_id')}, day, posts from usage_daily where account_id = ${a0} and day >= ${a1} order by day`,
    };
  }

  async openAccount(accountId: string, startingMicros: number, at: number): Promise<void> {
    await this.read(this.sql.open, [this.d.idParam(accountId), startingMicros, at]);
  }

  async balance(accountId: string): Promise<number | undefined> {
    const r = (await this.read<{ balance_micros: Num }>(this.sql.balance, [this.d.idParam(accountId)]))[0];
    return r && Number(r.balance_micros);
  }

  async addToBalance(accountId: string, micros: number, at: number): Promise<void> {
    await this.read(this.sql.add, [micros, at, this.d.idParam(accountId)]);
  }

  async postsSince(accountId: string, day: string): Promise<number> {
    const r = (await this.read<{ n: Num | null }>(this.sql.postsSince, [this.d.idParam(accountId), day]))[0];
    return Number(r?.n ?? 0);
  }

  async costSince(accountId: string, day: string): Promise<number> {
    const r = (await this.read<{ n: Num | null }>(this.sql.costSince, [this.d.idParam(accountId), day]))[0];
    return Number(r?.n ?? 0);
  }

  async addUsage(u: UsageRow): Promise<void> {
    await this.read(this.sql.usage, [this.d.idParam(u.appId), this.d.idParam(u.accountId), u.day, u.posts, u.costMicros]);
  }

  async dailyUsage(accountId: string, day: string): Promise<{ appId: string; day: string; posts: number }[]> {
    const rows = await this.read<{ app_id: string; day: string; posts: Num }>(this.sql.daily, [this.d.idParam(accountId), day]);
    return rows.map((r) => ({ appId: String(r.app_id), day: r.day, posts: Number(r.posts) }));
  }
}
