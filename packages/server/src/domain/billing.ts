/**
 * Billing: each account's credit balance, its post usage in the billing cycle, and the usage of each app per day
 * (FACTS §4.3). Prices come from limits/metering.ts (`Pricing`); rows live in `credits` and `usage_daily`
 * (data/billing.ts).
 *
 * Charges are applied in memory at once and written in batches (every `flushMs`, before balances or usage are
 * read, and on close): one write per request would cost more than the request. The balance may therefore go
 * slightly negative; the next request of an account at or below zero is refused. A flush re-reads balances, which
 * brings in other nodes' charges and credits added by the CLI.
 */
import { serialized } from '../util/serial.js';
import type { Clock } from '../clock.js';
import type { BillingStore } from '../data/billing.js';
import type { BillingSettingsRow } from '../data/console.js';
import { admissionError, creditsDepleted, MICROS, usd, utcDay, utcMonth, type Charge, type MeterInput, type MeteringClass, type Pricing } from '../limits/metering.js';

/** Auto-recharge fires at most once per 5 minutes (FACTS §4.3). */
export const AUTO_RECHARGE_EVERY_MS = 5 * 60_000;

/** Where each account's auto-recharge and spend cap are kept (the Developer Console sets them). */
export interface BillingSettingsStore {
  billingSettings(accountId: string): Promise<BillingSettingsRow | undefined>;
  putBillingSettings(s: BillingSettingsRow): Promise<void>;
}

export interface BillingOptions {
  enabled: boolean;
  startingCreditsUsd: number;
  monthlyPostCap: number;
  /** How often pending charges are written (ms). 0: only on demand. */
  flushMs?: number;
}

interface Account {
  id: string;
  /** Balance as last read minus charges not yet written. */
  balance: number;
  /** Charges not yet written to `credits`. */
  pendingSpend: number;
  /** Post resources charged in the current cycle (stored + pending). */
  cyclePosts: number;
  /** Cost charged in the current cycle (stored + pending), micro-dollars. */
  cycleSpend: number;
  cycle: string;
  settings: BillingSettingsRow | undefined;
}

interface PendingUsage {
  appId: string;
  accountId: string;
  day: string;
  posts: number;
  cost: number;
}

export class Billing {
  readonly enabled: boolean;
  monthlyPostCap: number;
  readonly startingMicros: number;
  private readonly owners = new Map<string, string>();
  private readonly accounts = new Map<string, Account>();
  private readonly loading = new Map<string, Promise<Account>>();
  private readonly pending = new Map<string, PendingUsage>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: BillingStore,
    /** The owner of an app (its account); unknown apps bill to themselves. */
    private readonly ownerOf: (appId: string) => Promise<string | undefined>,
    private readonly pricing: Pricing,
    private readonly clock: Clock,
    opts: BillingOptions,
    private readonly settingsStore?: BillingSettingsStore,
  ) {
    this.enabled = opts.enabled;
    this.monthlyPostCap = opts.monthlyPostCap;
    this.startingMicros = usd(opts.startingCreditsUsd);
    const every = opts.flushMs ?? 1000;
    if (this.enabled && every > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), every);
      this.timer.unref();
    }
  }

  /** The account (owner user id) of an app. */
  async accountOf(appId: string): Promise<string> {
    let owner = this.owners.get(appId);
    if (owner === undefined) {
      owner = (await this.ownerOf(appId)) ?? appId;
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
    await this.store.openAccount(accountId, this.startingMicros, now);
    const balance = await this.store.balance(accountId);
    const cycle = utcMonth(now);
    const used = await this.store.postsSince(accountId, `${cycle}-01`);
    const spent = await this.store.costSince(accountId, `${cycle}-01`);
    const settings = await this.settingsStore?.billingSettings(accountId);
    const pendingSpend = this.accounts.get(accountId)?.pendingSpend ?? 0;
    let pendingPosts = 0;
    let pendingCost = 0;
    for (const u of this.pending.values()) {
      if (u.accountId !== accountId || u.day < `${cycle}-01`) continue;
      pendingPosts += u.posts;
      pendingCost += u.cost;
    }
    const a: Account = {
      id: accountId,
      balance: (balance ?? 0) - pendingSpend,
      pendingSpend,
      cyclePosts: used + pendingPosts,
      cycleSpend: spent + pendingCost,
      cycle,
      settings,
    };
    this.accounts.set(accountId, a);
    return a;
  }

  /** Before the handler: 402 when the account has no credits, 429 when a post read would pass the monthly cap. */
  async admit(m: MeteringClass, appId: string): Promise<void> {
    if (!this.enabled || m.kind === 'free') return;
    const accountId = await this.accountOf(appId);
    const a = await this.account(accountId);
    const s = a.settings;
    if (s?.autoRecharge && a.balance < s.rechargeThresholdMicros && this.clock.now() - (s.lastRechargeAt ?? -Infinity) >= AUTO_RECHARGE_EVERY_MS) {
      await this.autoRecharge(a, s);
    }
    // A spend cap stops spending for the rest of the cycle as an empty balance would.
    if (s?.spendCapMicros != null && a.cycleSpend >= s.spendCapMicros) throw creditsDepleted(accountId);
    const refused = admissionError(m, accountId, a.balance, a.cyclePosts, this.monthlyPostCap);
    if (refused) throw refused;
  }

  private async autoRecharge(a: Account, s: BillingSettingsRow): Promise<void> {
    const now = this.clock.now();
    s.lastRechargeAt = now;
    await this.settingsStore!.putBillingSettings(s);
    await this.store.addToBalance(a.id, s.rechargeAmountMicros, now);
    a.balance += s.rechargeAmountMicros;
  }

  /** The account's auto-recharge and spend cap. */
  async settings(accountId: string): Promise<BillingSettingsRow | undefined> {
    return (await this.account(accountId)).settings;
  }

  /** Changes the account's auto-recharge and spend cap; they apply to its next request. */
  async setSettings(s: BillingSettingsRow): Promise<void> {
    if (!this.settingsStore) throw new Error('billing settings are not stored on this server');
    await this.settingsStore.putBillingSettings(s);
    (await this.account(s.accountId)).settings = s;
  }

  /** Cost charged to the account in the current cycle, USD. */
  async cycleSpend(accountId: string): Promise<number> {
    return (await this.account(accountId)).cycleSpend / MICROS;
  }

  /** After the handler: what this response costs, applied to the account's balance and the app's usage. */
  async charge(m: MeterInput): Promise<Charge> {
    const none = { micros: 0, posts: 0 };
    if (!this.enabled || !this.pricing.chargeable(m)) return none;
    const appId = m.principal.appId;
    const accountId = await this.accountOf(appId);
    const now = this.clock.now();
    const c = await this.pricing.price(m, accountId, now);
    if (c.micros === 0 && c.posts === 0) return c;
    await this.apply(appId, accountId, c, now);
    return c;
  }

  private async apply(appId: string, accountId: string, c: Charge, now: number): Promise<void> {
    const a = await this.account(accountId);
    a.balance -= c.micros;
    a.pendingSpend += c.micros;
    a.cyclePosts += c.posts;
    a.cycleSpend += c.micros;
    const day = utcDay(now);
    const key = `${appId}|${day}`;
    let u = this.pending.get(key);
    if (!u) this.pending.set(key, (u = { appId, accountId, day, posts: 0, cost: 0 }));
    u.posts += c.posts;
    u.cost += c.micros;
  }

  /**
   * A delivered webhook or activity event (`eventPrice`): charged to the app's account like a response. With
   * `once`, only the first delivery of `key` to the app is charged (deduplicated per UTC day of the event, `at`, as
   * resources are: in this node's memory, or shared by every node with Redis). Returns whether it was charged.
   */
  async chargeEvent(appId: string, c: Charge, once?: { key: string; at: number }): Promise<boolean> {
    if (!this.enabled || (c.micros === 0 && c.posts === 0)) return false;
    if (once && !(await this.pricing.firstCharge(appId, utcDay(once.at), once.key))) return false;
    await this.apply(appId, await this.accountOf(appId), c, this.clock.now());
    return true;
  }

  /** Writes pending charges and usage, then re-reads balances (other nodes' charges, CLI top-ups). */
  readonly flush = serialized(() => this.flushNow());

  private async flushNow(): Promise<void> {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const u of pending) await this.store.addUsage({ appId: u.appId, accountId: u.accountId, day: u.day, posts: u.posts, costMicros: u.cost });
    const now = this.clock.now();
    for (const a of this.accounts.values()) {
      const spend = a.pendingSpend;
      if (spend) {
        a.pendingSpend -= spend;
        await this.store.addToBalance(a.id, -spend, now);
      }
      const bal = await this.store.balance(a.id);
      if (bal !== undefined) a.balance = bal - a.pendingSpend;
    }
  }

  /** Adds (or with a negative amount removes) credits; returns the new balance in USD. */
  async addCredits(accountId: string, amountUsd: number): Promise<number> {
    await this.flush();
    await this.account(accountId);
    await this.store.addToBalance(accountId, usd(amountUsd), this.clock.now());
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
    return this.store.dailyUsage(accountId, since);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.enabled) await this.flush();
  }
}
