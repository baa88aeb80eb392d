import { operations } from '@roost/contract';
/**
 * `roost apps credits` and `roost apps limits` (called from cli.ts, which owns argv and the terminal).
 *   roost apps credits --app APP_ID [--add USD]        show (and top up, or with a negative amount take) credits
 *   roost apps limits --app APP_ID                      show the app's stored overrides
 *   roost apps limits --app APP_ID --operation OP [--per-15min N] [--per-24h N] [--reset]
 * A running server sees limit overrides within OVERRIDES_CACHE_MS and credit changes within a metering flush.
 */
import type { Context } from '../context.js';
import { ConfigError } from '../config.js';
import { OVERRIDES_CACHE_MS, overridesOf } from './limits.js';

async function appOrThrow(ctx: Context, appId: string | undefined) {
  const id = appId ?? (await ctx.repos.apps.getSetting('default_app_id'));
  const app = id ? await ctx.repos.apps.byId(id) : undefined;
  if (!app) throw new ConfigError(`no app ${appId ?? '(default app not created yet: start the server once)'}`);
  return app;
}

export async function creditsCommand(ctx: Context, values: { app?: string; add?: string }): Promise<string> {
  const app = await appOrThrow(ctx, values.app);
  const account = app.ownerUserId;
  let balance: number;
  if (values.add !== undefined) {
    const amount = Number(values.add);
    if (!Number.isFinite(amount)) throw new ConfigError('--add must be a number of US dollars');
    balance = await ctx.metering.addCredits(account, amount);
  } else {
    balance = await ctx.metering.balance(account);
  }
  return `App ${app.id} (account ${account}): balance $${balance.toFixed(6)}`;
}

const knownOperation = (id: string) => operations.some((o) => o.operationId === id);

export async function limitsCommand(
  ctx: Context,
  values: { app?: string; operation?: string; 'per-15min'?: string; 'per-24h'?: string; reset?: boolean },
): Promise<string> {
  const app = await appOrThrow(ctx, values.app);
  const count = (name: string, v: string | undefined): number | null => {
    if (v === undefined) return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`--${name} must be a non-negative integer`);
    return n;
  };
  if (values.operation) {
    if (!knownOperation(values.operation)) throw new ConfigError(`unknown operation ${values.operation} (use an operationId of the X API spec, e.g. getUsersMe)`);
    if (values.reset) {
      await ctx.repos.rateLimits.removeOverride(app.id, values.operation);
    } else {
      const per15 = count('per-15min', values['per-15min']);
      const per24 = count('per-24h', values['per-24h']);
      if (per15 === null && per24 === null) throw new ConfigError('give --per-15min and/or --per-24h (or --reset)');
      await ctx.repos.rateLimits.setOverride(app.id, { operationId: values.operation, per15min: per15, per24h: per24 });
    }
  }
  const map = overridesOf(await ctx.repos.rateLimits.overrides(app.id));
  const lines = [`App ${app.id}: ${map.size} override(s) (a running server applies changes within ${OVERRIDES_CACHE_MS / 1000} s)`];
  for (const [op, o] of map) {
    const l = ctx.limits.policy.forApp(op, map);
    lines.push(`  ${op}: ${o.app ?? '-'} per 15 min (app and user pools), ${o.app24h ?? '-'} per 24 h  → effective app ${l.app}, user ${l.user}, 24 h app ${l.app24h ?? '-'} / user ${l.user24h ?? '-'}`);
  }
  return lines.join('\n');
}
