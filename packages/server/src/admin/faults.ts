/**
 * Fault injection by rule (admin API): a rule matches requests by operation, app and user, fires with a
 * probability (drawn from its own seeded generator, so a run repeats) and at most `count` times, and answers with
 * X's own failure: the 429 of a rate limit (with limit, remaining 0 and a reset consistent with each other), 402
 * CreditsDepleted, 429 UsageCapExceeded, a 503, added latency, or — on streams — an operational-disconnect, a
 * silent stall, 429 TooManyConnections. Rules are checked after authentication (they match the caller) and before
 * anything is counted or charged.
 */
import type { Principal } from '../auth/authenticate.js';
import type { Context } from '../context.js';
import { ServiceUnavailable } from '../errors.js';
import { creditsDepleted, usageCapped } from '../limits/metering.js';
import { tooManyRequests } from '../limits/limits.js';
import { WINDOW_15MIN_MS } from '../limits/policy.js';
import { tooManyConnections } from '../streams/registry.js';
import { mulberry32 } from '../util/random.js';
import type { FaultInput, FaultJson, FaultKind } from './protocol.js';

/** Faults that only make sense on a streaming operation. */
export const STREAM_ONLY: ReadonlySet<FaultKind> = new Set(['stream-disconnect', 'stream-stall', 'too-many-connections']);

export interface FaultRule {
  readonly id: string;
  readonly fault: FaultKind;
  readonly operations: ReadonlySet<string> | null;
  readonly app: string | null;
  readonly user: string | null;
  readonly probability: number;
  readonly seed: number;
  readonly count: number | null;
  readonly ms: number;
  readonly resetInS: number | null;
  readonly period: 'Monthly' | 'Daily';
  fired: number;
  readonly draw: () => number;
}

/** What the route does with a stream fault once the stream is handed over. */
export interface StreamFault {
  kind: 'stream-disconnect' | 'stream-stall';
  afterMs: number;
}

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** Adds a rule (already validated, `user` already an id). */
  add(input: FaultInput & { user?: string }): FaultRule {
    const ops = input.operation === undefined ? null : new Set(Array.isArray(input.operation) ? input.operation : [input.operation]);
    const seed = input.seed ?? this.nextId;
    const rule: FaultRule = {
      id: String(this.nextId++),
      fault: input.fault,
      operations: ops,
      app: input.app ?? null,
      user: input.user ?? null,
      probability: input.probability ?? 1,
      seed,
      count: input.count ?? null,
      ms: input.ms ?? 0,
      resetInS: input.reset_in_s ?? null,
      period: input.period ?? 'Monthly',
      fired: 0,
      draw: mulberry32(seed),
    };
    this.rules.push(rule);
    return rule;
  }

  remove(id: string): boolean {
    const n = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== n;
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  get size(): number {
    return this.rules.length;
  }

  /** The first armed rule that matches this call and wins its draw; it counts as fired. */
  match(operationId: string, principal: Principal | null, streaming: boolean): FaultRule | null {
    for (const r of this.rules) {
      if (r.count !== null && r.fired >= r.count) continue;
      if (STREAM_ONLY.has(r.fault) && !streaming) continue;
      if (r.operations && !r.operations.has(operationId)) continue;
      if (r.app !== null && principal?.appId !== r.app) continue;
      if (r.user !== null && principal?.userId !== r.user) continue;
      if (r.probability < 1 && r.draw() >= r.probability) continue;
      r.fired++;
      return r;
    }
    return null;
  }
}

export function faultJson(r: FaultRule): FaultJson {
  const out: FaultJson = { id: r.id, fault: r.fault, probability: r.probability, seed: r.seed, fired: r.fired, active: r.count === null || r.fired < r.count };
  if (r.operations) out.operation = [...r.operations];
  if (r.app !== null) out.app = r.app;
  if (r.user !== null) out.user = r.user;
  if (r.count !== null) out.count = r.count;
  if (r.fault === 'latency' || r.fault === 'stream-disconnect' || r.fault === 'stream-stall') out.ms = r.ms;
  if (r.resetInS !== null) out.reset_in_s = r.resetInS;
  if (r.fault === 'usage-cap') out.period = r.period;
  return out;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Applies a fired rule: throws X's error for the error faults, waits for `latency`, and returns the stream fault
 * for the route to apply once the stream is handed over.
 */
export async function applyFault(ctx: Context, rule: FaultRule, operationId: string, principal: Principal | null): Promise<StreamFault | null> {
  switch (rule.fault) {
    case 'latency':
      await sleep(rule.ms);
      return null;
    case 'unavailable':
      throw new ServiceUnavailable();
    case 'rate-limit': {
      const now = ctx.clock.now();
      const limit = principal ? await ctx.limits.limitFor(operationId, principal) : 0;
      // Windows are aligned to the epoch (limits/): the real 429 of this window would name its end.
      const resetMs = rule.resetInS !== null ? now + rule.resetInS * 1000 : Math.floor(now / WINDOW_15MIN_MS) * WINDOW_15MIN_MS + WINDOW_15MIN_MS;
      throw tooManyRequests({
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.ceil(resetMs / 1000)),
      });
    }
    case 'credits-depleted':
      throw creditsDepleted(await accountOf(ctx, principal));
    case 'usage-cap':
      throw usageCapped(await accountOf(ctx, principal), rule.period);
    case 'too-many-connections':
      throw tooManyConnections();
    case 'stream-disconnect':
    case 'stream-stall':
      return { kind: rule.fault, afterMs: rule.ms };
  }
}

/** The account X names in credit and cap errors: the app's owner (Roost's project = account = owner). */
async function accountOf(ctx: Context, principal: Principal | null): Promise<string> {
  if (!principal) return '0';
  const app = await ctx.repos.apps.byId(principal.appId);
  return app?.ownerUserId ?? principal.appId;
}
