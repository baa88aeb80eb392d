/** The console API's JSON: apps, credentials shown once, billing. Pure: they shape what they are given. */
import type { AppClientType, AppPermissionLevel, BillingJson, ConsoleAppJson, CredentialsJson } from '../../../sdk/src/console.js';
import type { DeveloperApp, Credentials } from '../domain/developer-apps.js';
import type { BillingSettingsRow } from '../data/console.js';
import { MICROS } from '../limits/metering.js';

export function consoleAppJson({ app, client }: DeveloperApp): ConsoleAppJson {
  return {
    id: app.id,
    name: app.name,
    consumer_key: app.consumerKey,
    permission: app.permission as AppPermissionLevel,
    app_type: (client?.clientType ?? 'confidential') as AppClientType,
    client_id: client?.clientId ?? null,
    callback_urls: client ? [...client.redirectUris] : [],
    created_at: new Date(app.createdAt).toISOString(),
  };
}

export function credentialsJson(c: Credentials): CredentialsJson {
  const out: CredentialsJson = {};
  if (c.apiKey !== undefined) out.api_key = c.apiKey;
  if (c.apiKeySecret !== undefined) out.api_key_secret = c.apiKeySecret;
  if (c.bearerToken !== undefined) out.bearer_token = c.bearerToken;
  if (c.clientId !== undefined) out.client_id = c.clientId;
  if (c.clientSecret !== undefined) out.client_secret = c.clientSecret;
  if (c.accessToken !== undefined) out.access_token = c.accessToken;
  if (c.accessTokenSecret !== undefined) out.access_token_secret = c.accessTokenSecret;
  return out;
}

export interface BillingFacts {
  balanceUsd: number;
  cyclePosts: number;
  monthlyPostCap: number;
  cycleSpendUsd: number;
  settings: BillingSettingsRow | undefined;
  metering: boolean;
}

export function billingJson(f: BillingFacts): BillingJson {
  const s = f.settings;
  return {
    balance_usd: round6(f.balanceUsd),
    cycle_posts: f.cyclePosts,
    monthly_post_cap: f.monthlyPostCap,
    cycle_spend_usd: round6(f.cycleSpendUsd),
    auto_recharge: s?.autoRecharge ?? false,
    recharge_threshold_usd: (s?.rechargeThresholdMicros ?? 0) / MICROS,
    recharge_amount_usd: (s?.rechargeAmountMicros ?? 0) / MICROS,
    spend_cap_usd: s?.spendCapMicros == null ? null : s.spendCapMicros / MICROS,
    metering: f.metering,
  };
}

export const round6 = (n: number) => Math.round(n * MICROS) / MICROS;
