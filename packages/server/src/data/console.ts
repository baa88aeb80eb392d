import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { num, numOrNull, str } from './rows.js';

/** A developer account of the console (migration 013). */
export interface DeveloperRow {
  id: string;
  email: string;
  passwordHash: string;
  /** The X account that owns the developer's apps; its id is the billing account. */
  userId: string;
  createdAt: number;
}

/** One app's use of one operation on one UTC day. */
export interface EndpointUsageRow {
  appId: string;
  day: string;
  operationId: string;
  requests: number;
  errors: number;
  posts: number;
  costMicros: number;
}

/** An account's auto-recharge and spend cap (X's console offers both). */
export interface BillingSettingsRow {
  accountId: string;
  autoRecharge: boolean;
  rechargeThresholdMicros: number;
  rechargeAmountMicros: number;
  /** Most the account may spend in one billing cycle; null: no cap. */
  spendCapMicros: number | null;
  lastRechargeAt: number | null;
}

/** Developer accounts, their sessions, per-endpoint usage and billing settings. */
export class ConsoleStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  /** Inserts a developer; false when the e-mail is taken. */
  async insertDeveloper(r: DeveloperRow): Promise<boolean> {
    const res = await this.db
      .insertInto('console_developers')
      .values({ id: this.d.idParam(r.id), email: r.email, password_hash: r.passwordHash, user_id: this.d.idParam(r.userId), created_at: r.createdAt })
      .onConflict((oc) => oc.column('email').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async developerByEmail(email: string): Promise<DeveloperRow | undefined> {
    const r = await this.db.selectFrom('console_developers').selectAll().where('email', '=', email).executeTakeFirst();
    return r && developerFromDb(r);
  }

  async developerById(id: string): Promise<DeveloperRow | undefined> {
    const r = await this.db.selectFrom('console_developers').selectAll().where('id', '=', this.d.idParam(id)).executeTakeFirst();
    return r && developerFromDb(r);
  }

  async insertSession(tokenHash: string, developerId: string, expiresAt: number, createdAt: number): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({ token_hash: tokenHash, developer_id: this.d.idParam(developerId), expires_at: expiresAt, created_at: createdAt })
      .execute();
  }

  /** The developer a live session belongs to. */
  async sessionDeveloper(tokenHash: string, now: number): Promise<DeveloperRow | undefined> {
    const r = await this.db
      .selectFrom('console_sessions')
      .innerJoin('console_developers', 'console_developers.id', 'console_sessions.developer_id')
      .selectAll('console_developers')
      .where('console_sessions.token_hash', '=', tokenHash)
      .where('console_sessions.expires_at', '>', now)
      .executeTakeFirst();
    return r && developerFromDb(r);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).execute();
  }

  async purgeExpiredSessions(now: number): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute();
  }

  /** Adds to the usage rows of (app, day, operation). */
  async addEndpointUsage(u: EndpointUsageRow): Promise<void> {
    await this.db
      .insertInto('console_usage')
      .values({
        app_id: this.d.idParam(u.appId),
        day: u.day,
        operation_id: u.operationId,
        requests: u.requests,
        errors: u.errors,
        posts: u.posts,
        cost_micros: u.costMicros,
      })
      .onConflict((oc) =>
        oc.columns(['app_id', 'day', 'operation_id']).doUpdateSet((eb) => ({
          requests: eb('console_usage.requests', '+', eb.ref('excluded.requests')),
          errors: eb('console_usage.errors', '+', eb.ref('excluded.errors')),
          posts: eb('console_usage.posts', '+', eb.ref('excluded.posts')),
          cost_micros: eb('console_usage.cost_micros', '+', eb.ref('excluded.cost_micros')),
        })),
      )
      .execute();
  }

  /** Usage rows of these apps from `day` (YYYY-MM-DD) on, oldest first. */
  async endpointUsage(appIds: readonly string[], day: string): Promise<EndpointUsageRow[]> {
    if (!appIds.length) return [];
    const rows = await this.db
      .selectFrom('console_usage')
      .selectAll()
      .where('app_id', 'in', appIds.map((id) => this.d.idParam(id)))
      .where('day', '>=', day)
      .orderBy('day')
      .orderBy('operation_id')
      .execute();
    return rows.map((r) => ({
      appId: str(r.app_id),
      day: r.day,
      operationId: r.operation_id,
      requests: num(r.requests),
      errors: num(r.errors),
      posts: num(r.posts),
      costMicros: num(r.cost_micros),
    }));
  }

  async billingSettings(accountId: string): Promise<BillingSettingsRow | undefined> {
    const r = await this.db.selectFrom('console_billing').selectAll().where('account_id', '=', this.d.idParam(accountId)).executeTakeFirst();
    return (
      r && {
        accountId: str(r.account_id),
        autoRecharge: num(r.auto_recharge) === 1,
        rechargeThresholdMicros: num(r.recharge_threshold_micros),
        rechargeAmountMicros: num(r.recharge_amount_micros),
        spendCapMicros: numOrNull(r.spend_cap_micros),
        lastRechargeAt: numOrNull(r.last_recharge_at),
      }
    );
  }

  /** Every account with auto-recharge on. */
  async autoRechargeAccounts(): Promise<BillingSettingsRow[]> {
    const ids = await this.db.selectFrom('console_billing').select('account_id').where('auto_recharge', '=', 1).execute();
    const out: BillingSettingsRow[] = [];
    for (const { account_id } of ids) {
      const s = await this.billingSettings(str(account_id));
      if (s) out.push(s);
    }
    return out;
  }

  async putBillingSettings(s: BillingSettingsRow): Promise<void> {
    const values = {
      account_id: this.d.idParam(s.accountId),
      auto_recharge: s.autoRecharge ? 1 : 0,
      recharge_threshold_micros: s.rechargeThresholdMicros,
      recharge_amount_micros: s.rechargeAmountMicros,
      spend_cap_micros: s.spendCapMicros,
      last_recharge_at: s.lastRechargeAt,
    };
    await this.db
      .insertInto('console_billing')
      .values(values)
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({
          auto_recharge: values.auto_recharge,
          recharge_threshold_micros: values.recharge_threshold_micros,
          recharge_amount_micros: values.recharge_amount_micros,
          spend_cap_micros: values.spend_cap_micros,
          last_recharge_at: values.last_recharge_at,
        }),
      )
      .execute();
  }
}

function developerFromDb(r: { id: unknown; email: string; password_hash: string; user_id: unknown; created_at: unknown }): DeveloperRow {
  return { id: str(r.id), email: r.email, passwordHash: r.password_hash, userId: str(r.user_id), createdAt: num(r.created_at) };
}
