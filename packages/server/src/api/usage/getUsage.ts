/**
 * `GET /2/usage/tweets` (FACTS §4.4). Roost has no projects: an account (an app's owner) is one project, so `project_id` is the account id and
 * `daily_client_app_usage` lists the account's apps. The billing cycle is the calendar month (UTC), so
 * `cap_reset_day` is 1. Usage counts post resources charged by metering (limits/metering.ts), after dedup.
 */
import { meter, utcDay } from '../../limits/metering.js';
import { operation } from '../operation.js';

const DEFAULT_FIELDS = ['cap_reset_day', 'project_cap', 'project_id', 'project_usage'];
const DAY_MS = 86_400_000;

export const getUsage = operation({
  operationId: 'getUsage',
  rateLimit: { app: 50 },
  metering: meter.free,
  async handle(req) {
    const { ctx } = req;
    const p = req.principal!;
    const days = typeof req.params.days === 'number' ? req.params.days : Number(req.params.days ?? 7) || 7;
    const asked = Array.isArray(req.params['usage.fields']) ? (req.params['usage.fields'] as string[]) : [];
    const fields = new Set([...DEFAULT_FIELDS, ...asked]);
    const accountId = await ctx.metering.accountOf(p.appId);
    const now = ctx.clock.now();
    const today = Date.parse(`${utcDay(now)}T00:00:00.000Z`);
    const dates = Array.from({ length: days }, (_, i) => utcDay(today - (days - 1 - i) * DAY_MS));
    const rows = await ctx.metering.dailyUsage(accountId, dates[0]!);
    const total = new Map<string, number>();
    const perApp = new Map<string, Map<string, number>>();
    for (const r of rows) {
      total.set(r.day, (total.get(r.day) ?? 0) + r.posts);
      let m = perApp.get(r.appId);
      if (!m) perApp.set(r.appId, (m = new Map()));
      m.set(r.day, (m.get(r.day) ?? 0) + r.posts);
    }
    if (!perApp.has(p.appId)) perApp.set(p.appId, new Map());
    const series = (m: Map<string, number>) => dates.map((d) => ({ date: `${d}T00:00:00.000Z`, usage: String(m.get(d) ?? 0) }));
    const data: Record<string, unknown> = {};
    if (fields.has('cap_reset_day')) data.cap_reset_day = 1;
    if (fields.has('daily_client_app_usage')) {
      data.daily_client_app_usage = [...perApp.entries()].map(([appId, m]) => ({ client_app_id: appId, usage: series(m), usage_result_count: days }));
    }
    if (fields.has('daily_project_usage')) data.daily_project_usage = { project_id: accountId, usage: series(total) };
    if (fields.has('project_cap')) data.project_cap = String(ctx.metering.monthlyPostCap);
    if (fields.has('project_id')) data.project_id = accountId;
    if (fields.has('project_usage')) data.project_usage = String(await ctx.metering.cycleUsage(accountId));
    return { body: { data } };
  },
});
