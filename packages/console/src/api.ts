/**
 * The console's connections to Roost: the console API (session cookie + CSRF) and X's API through @roost/sdk with a
 * short-lived app-only token the console API mints for the chosen app (re-minted when it expires or is revoked).
 */
import { Client, ApiError } from '@roost/sdk';
import { ConsoleClient } from '@roost/sdk/console';

export const consoleApi = new ConsoleClient();

const tokens = new Map<string, { token: string; until: number }>();

/** An SDK client acting as the app (app-only), for rules, streams, the explorer and the world. */
export async function appClient(appId: string): Promise<Client> {
  let t = tokens.get(appId);
  if (!t || t.until < Date.now() + 60_000) {
    const minted = await consoleApi.mintConsoleToken(appId);
    t = { token: minted.bearer_token, until: Date.parse(minted.expires_at) };
    tokens.set(appId, t);
  }
  return new Client({ baseUrl: location.origin, bearerToken: t.token, retry: false });
}

/** Runs `fn` with the app's client; a 401 (token revoked by a regenerate) mints a new token once. */
export async function withApp<T>(appId: string, fn: (c: Client) => Promise<T>): Promise<T> {
  try {
    return await fn(await appClient(appId));
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    tokens.delete(appId);
    return fn(await appClient(appId));
  }
}

/** An SDK client acting as a user of the demo world (the composer). */
export async function userClient(appId: string, username: string): Promise<Client> {
  const t = await consoleApi.mintUserToken(appId, { user: `@${username}`, expires_in_s: 3600 });
  return new Client({ baseUrl: location.origin, accessToken: t.access_token, retry: false });
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const d = err.data as { detail?: string; errors?: { message?: string; detail?: string }[] } | undefined;
    return d?.errors?.map((e) => e.message ?? e.detail).join('; ') || d?.detail || err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
