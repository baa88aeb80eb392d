/**
 * Per-operation rate limits (FACTS §4.2, pay-per-use era). Each operation declares up to four numbers (its
 * `rateLimit`, api/operation.ts): per app (app-only bearer) and per user (user context, keyed user + app) per
 * 15-minute window, and optional 24-hour caps for each pool. A 15-minute pool the declaration leaves out (X lists
 * none for that auth type, or the operation does not accept it) takes DEFAULT_LIMIT; a 24-hour cap left out is
 * no cap.
 *
 * Overrides: `Config.limitOverrides` (startup, e.g. the test harness) and per-app overrides stored by
 * `roost apps limits` (table `rate_limit_overrides`, re-read every few seconds).
 */
export interface OperationLimits {
  /** Per app, per 15 minutes (app-only bearer). */
  app: number;
  /** Per user + app, per 15 minutes (user context). */
  user: number;
  /** App-level 24-hour cap (counted across every caller of the app, both auth types). */
  app24h: number | null;
  /** User-level 24-hour cap (user context). */
  user24h: number | null;
}

/** What an operation declares: X's figures, where X gives them. */
export interface RateLimit {
  readonly app?: number;
  readonly user?: number;
  readonly app24h?: number;
  readonly user24h?: number;
}

export type LimitOverride = Partial<OperationLimits>;

export const WINDOW_15MIN_MS = 15 * 60_000;
export const WINDOW_24H_MS = 24 * 3_600_000;
export const DEFAULT_LIMIT = 900;

/** A declaration's limits with the defaults filled in. */
export function effectiveLimits(r: RateLimit | undefined): OperationLimits {
  return { app: r?.app ?? DEFAULT_LIMIT, user: r?.user ?? DEFAULT_LIMIT, app24h: r?.app24h ?? null, user24h: r?.user24h ?? null };
}

export class LimitPolicy {
  private readonly base = new Map<string, OperationLimits>();

  /** `declared`: each operation's own limits, from its declaration (api/). */
  constructor(
    private readonly declared: ReadonlyMap<string, RateLimit>,
    private readonly configOverrides: Readonly<Record<string, LimitOverride>> = {},
  ) {}

  /** Config-level limits of an operation (cached: computed once per operation). */
  limits(operationId: string): OperationLimits {
    let l = this.base.get(operationId);
    if (!l) {
      l = { ...effectiveLimits(this.declared.get(operationId)), ...(this.configOverrides['*'] ?? {}), ...(this.configOverrides[operationId] ?? {}) };
      this.base.set(operationId, l);
    }
    return l;
  }

  /** Changes the config-level limits of an operation at runtime (tests). */
  override(operationId: string, o: LimitOverride): void {
    this.base.set(operationId, { ...this.limits(operationId), ...o });
  }

  /** Limits for one app: config-level limits with the app's stored overrides on top. */
  forApp(operationId: string, appOverrides: ReadonlyMap<string, LimitOverride> | undefined): OperationLimits {
    const l = this.limits(operationId);
    const o = appOverrides?.get(operationId);
    return o ? { ...l, ...o } : l;
  }
}
