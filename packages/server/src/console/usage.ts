/** Usage and cost per app, day and endpoint; rate-limit headroom; credits, top-up, auto-recharge, spend cap; live events. */
import type { DayUsageJson, EndpointUsageJson, UsageJson } from '../../../sdk/src/console.js';
import type { Context } from '../context.js';
import type { DeveloperRow } from '../data/console.js';
import { developerApps } from '../domain/developer-apps.js';
import { MICROS, usd, utcDay } from '../limits/metering.js';
import { billingJson, round6 } from './views.js';
import { consoleRoute } from './route.js';

/** Live updates are sent at most this often per connection. */
export const USAGE_EVENT_MS = 250;
const DAY_MS = 86_400_000;

async function billingOf(ctx: Context, accountId: string) {
  const m = ctx.metering;
  return billingJson({
    balanceUsd: await m.balance(accountId),
    cyclePosts: await m.cycleUsage(accountId),
    monthlyPostCap: m.monthlyPostCap,
    cycleSpendUsd: await m.cycleSpend(accountId),
    settings: await m.settings(accountId),
    metering: m.enabled,
  });
}

export async function usageOf(ctx: Context, developer: DeveloperRow, days: number): Promise<UsageJson> {
  const appIds = (await developerApps(ctx, developer)).map((a) => a.app.id);
  const since = utcDay(ctx.clock.now() - (days - 1) * DAY_MS);
  const rows = await ctx.usage.usage(appIds, since);
  const byDay = new Map<string, DayUsageJson>();
  const byEndpoint = new Map<string, EndpointUsageJson>();
  for (const r of rows) {
    const d = byDay.get(`${r.day}|${r.appId}`) ?? { day: r.day, app_id: r.appId, requests: 0, posts: 0, cost_usd: 0 };
    d.requests += r.requests;
    d.posts += r.posts;
    d.cost_usd = round6(d.cost_usd + r.costMicros / MICROS);
    byDay.set(`${r.day}|${r.appId}`, d);
    const e = byEndpoint.get(`${r.appId}|${r.operationId}`) ?? { app_id: r.appId, operation_id: r.operationId, requests: 0, errors: 0, posts: 0, cost_usd: 0 };
    e.requests += r.requests;
    e.errors += r.errors;
    e.posts += r.posts;
    e.cost_usd = round6(e.cost_usd + r.costMicros / MICROS);
    byEndpoint.set(`${r.appId}|${r.operationId}`, e);
  }
  return {
    since,
    days: [...byDay.values()],
    endpoints: [...byEndpoint.values()].sort((a, b) => b.requests - a.requests || a.operation_id.localeCompare(b.operation_id)),
    headroom: ctx.usage.headroomOf(appIds).map((h) => ({ app_id: h.appId, operation_id: h.operationId, pool: h.pool, limit: h.limit, remaining: h.remaining, reset: h.reset })),
    billing: await billingOf(ctx, developer.userId),
  };
}

export const getUsage = consoleRoute({
  id: 'getUsage',
  summary: "Requests, billed resources and cost of the developer's apps per day and endpoint, headroom and billing.",
  auth: 'session',
  query: { days: { type: 'integer', min: 1, max: 90, description: 'how many UTC days, today included (default 30)' } },
  async handle({ ctx, developer, query }) {
    return { body: await usageOf(ctx, developer, query.days ?? 30) };
  },
});

export const usageEvents = consoleRoute({
  id: 'usageEvents',
  summary: "Server-sent events: `usage` whenever one of the developer's apps made a request (at most 4 a second).",
  auth: 'session',
  async handle({ ctx, developer }) {
    return {
      events(send) {
        const owned = new Map<string, boolean>();
        let timer: NodeJS.Timeout | undefined;
        const apps = new Set<string>();
        const stop = ctx.usage.subscribe((appId) => {
          const known = owned.get(appId);
          if (known === false) return;
          if (known === undefined) {
            // The first request of an app: is it this developer's? (Remembered for the connection.)
            void ctx.repos.apps.byId(appId).then((a) => {
              owned.set(appId, a?.ownerUserId === developer.userId);
              if (a?.ownerUserId === developer.userId) schedule(appId);
            });
            return;
          }
          schedule(appId);
        });
        function schedule(appId: string) {
          apps.add(appId);
          timer ??= setTimeout(() => {
            timer = undefined;
            send('usage', { apps: [...apps] });
            apps.clear();
          }, USAGE_EVENT_MS);
        }
        send('ready', {});
        return () => {
          stop();
          if (timer) clearTimeout(timer);
        };
      },
    };
  },
});

export const topUp = consoleRoute({
  id: 'topUp',
  summary: "Adds credits to the developer's balance.",
  auth: 'session',
  body: { amount_usd: { type: 'number', required: true, min: 0.01, max: 10_000, description: 'USD to add' } },
  async handle({ ctx, developer, body }) {
    await ctx.metering.addCredits(developer.userId, body.amount_usd);
    return { body: { billing: await billingOf(ctx, developer.userId) } };
  },
});

export const updateBilling = consoleRoute({
  id: 'updateBilling',
  summary: 'Auto-recharge (below a threshold, add an amount; at most once per 5 minutes) and the spend cap per billing cycle.',
  auth: 'session',
  body: {
    auto_recharge: { type: 'boolean', description: 'recharge automatically' },
    recharge_threshold_usd: { type: 'number', min: 0, max: 10_000, description: 'recharge when the balance falls below this' },
    recharge_amount_usd: { type: 'number', min: 0.01, max: 10_000, description: 'how much each recharge adds' },
    spend_cap_usd: { type: 'number', min: 0, max: 1_000_000, description: 'most to spend in a billing cycle (0: no cap)' },
  },
  async handle({ ctx, developer, body }) {
    const accountId = developer.userId;
    const s = (await ctx.metering.settings(accountId)) ?? {
      accountId,
      autoRecharge: false,
      rechargeThresholdMicros: usd(5),
      rechargeAmountMicros: usd(25),
      spendCapMicros: null,
      lastRechargeAt: null,
    };
    await ctx.metering.setSettings({
      ...s,
      autoRecharge: body.auto_recharge ?? s.autoRecharge,
      rechargeThresholdMicros: body.recharge_threshold_usd === undefined ? s.rechargeThresholdMicros : usd(body.recharge_threshold_usd),
      rechargeAmountMicros: body.recharge_amount_usd === undefined ? s.rechargeAmountMicros : usd(body.recharge_amount_usd),
      spendCapMicros: body.spend_cap_usd === undefined ? s.spendCapMicros : body.spend_cap_usd === 0 ? null : usd(body.spend_cap_usd),
    });
    return { body: { billing: await billingOf(ctx, accountId) } };
  },
});
