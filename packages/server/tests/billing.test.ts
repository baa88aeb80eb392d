/** domain/billing.ts over an in-memory BillingStore: charges apply at once in memory and reach storage on flush. */
import { describe, expect, it } from 'vitest';
import { Billing } from '../src/domain/billing.js';
import { meter, Pricing, PRICES, type MeterInput } from '../src/limits/metering.js';
import type { BillingStore, UsageRow } from '../src/data/billing.js';
import { ManualClock } from '../src/clock.js';

class MemoryBilling implements BillingStore {
  readonly balances = new Map<string, number>();
  readonly usage: UsageRow[] = [];
  async openAccount(id: string, micros: number) {
    if (!this.balances.has(id)) this.balances.set(id, micros);
  }
  async balance(id: string) {
    return this.balances.get(id);
  }
  async addToBalance(id: string, micros: number) {
    this.balances.set(id, (this.balances.get(id) ?? 0) + micros);
  }
  async postsSince(id: string, day: string) {
    return this.usage.filter((u) => u.accountId === id && u.day >= day).reduce((n, u) => n + u.posts, 0);
  }
  async costSince(id: string, day: string) {
    return this.usage.filter((u) => u.accountId === id && u.day >= day).reduce((n, u) => n + u.costMicros, 0);
  }
  async addUsage(u: UsageRow) {
    this.usage.push(u);
  }
  async dailyUsage(id: string, day: string) {
    return this.usage.filter((u) => u.accountId === id && u.day >= day).map((u) => ({ appId: u.appId, day: u.day, posts: u.posts }));
  }
}

const NOW = Date.UTC(2026, 10, 15, 12);
const principal = { kind: 'user', appId: 'app1', userId: 'u1' } as MeterInput['principal'];
const input = (over: Partial<MeterInput>): MeterInput => ({ metering: meter.free, principal, params: {}, body: {}, status: 200, response: { data: { id: '1' } }, ...over });

function billing(startingCreditsUsd: number, monthlyPostCap = 1000) {
  const store = new MemoryBilling();
  const b = new Billing(store, async () => 'owner1', new Pricing(async () => false), new ManualClock(NOW), { enabled: true, startingCreditsUsd, monthlyPostCap, flushMs: 0 });
  return { store, b };
}

describe('billing', () => {
  it('applies a charge in memory at once and writes balance and usage on flush', async () => {
    const { store, b } = billing(1);
    const c = await b.charge(input({ metering: meter.read('post'), response: { data: [{ id: '1' }, { id: '2' }, { id: '1' }] } }));
    expect(c).toEqual({ micros: 10_000, posts: 2 });
    expect(store.balances.get('owner1')).toBe(1_000_000);
    expect(store.usage).toEqual([]);
    expect(await b.cycleUsage('owner1')).toBe(2);
    await b.flush();
    expect(store.balances.get('owner1')).toBe(990_000);
    expect(store.usage).toEqual([{ appId: 'app1', accountId: 'owner1', day: '2026-11-15', posts: 2, costMicros: 10_000 }]);
    expect(await b.balance('owner1')).toBeCloseTo(0.99, 6);
  });

  it('refuses with 402 once the balance is spent, and post reads with 429 at the monthly cap', async () => {
    const { b } = billing(0.015, 1);
    await b.admit(meter.request(PRICES.interactionCreate), 'app1');
    await b.charge(input({ metering: meter.request(PRICES.interactionCreate) }));
    await expect(b.admit(meter.request(PRICES.interactionCreate), 'app1')).rejects.toMatchObject({ status: 402 });
    const capped = billing(10, 1);
    await capped.b.charge(input({ metering: meter.read('post') }));
    await expect(capped.b.admit(meter.read('post'), 'app1')).rejects.toMatchObject({ status: 429 });
    await capped.b.admit(meter.read('user'), 'app1');
  });

  it('charges nothing for free classes, errors and empty answers, and writes nothing for them', async () => {
    const { store, b } = billing(1);
    expect(await b.charge(input({ metering: meter.free }))).toEqual({ micros: 0, posts: 0 });
    expect(await b.charge(input({ metering: meter.read('post'), status: 404 }))).toEqual({ micros: 0, posts: 0 });
    expect(await b.charge(input({ metering: meter.read('post'), response: { data: [] } }))).toEqual({ micros: 0, posts: 0 });
    await b.close();
    expect(store.usage).toEqual([]);
    expect(store.balances.size).toBe(0);
  });
});
