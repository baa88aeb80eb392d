/**
 * The CLI's client of a running server's admin API: routes named by id (admin/protocol.ts), errors turned into
 * one-line messages (nobody listening, no admin API there, token refused, X's error body's message).
 */
import { adminPath, adminRoutes, type AdminRouteId } from '../admin/protocol.js';
import { ConfigError } from '../config.js';

export interface AdminTarget {
  url: string;
  token: string | null;
}

export async function adminCall<T>(t: AdminTarget, id: AdminRouteId, o: { params?: Record<string, string>; query?: Record<string, string | number | undefined>; body?: unknown } = {}): Promise<T> {
  if (!t.token) throw new ConfigError('the admin API needs a token: set ROOST_ADMIN_TOKEN (as the server has it) or pass --admin-token');
  const u = new URL(adminPath(id, o.params), t.url);
  for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
  const headers: Record<string, string> = { authorization: `Bearer ${t.token}` };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(u, { method: adminRoutes[id].method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code ?? '';
    throw new ConfigError(`no Roost answers at ${t.url}${code ? ` (${code})` : ''}; start one with roost serve, or pass --url`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: reported below with its status.
  }
  if (res.ok) return body as T;
  if (res.status === 404 && (body as { errors?: { code?: number }[] })?.errors?.[0]?.code === 34) {
    throw new ConfigError(`the server at ${t.url} has no admin API: start it with ROOST_ADMIN_TOKEN set`);
  }
  if (res.status === 401) throw new ConfigError(`the server at ${t.url} refused the admin token (ROOST_ADMIN_TOKEN / --admin-token)`);
  const b = body as { detail?: string; errors?: { message?: string }[] } | undefined;
  const why = b?.errors?.map((e) => e.message).filter(Boolean).join('; ') || b?.detail || `HTTP ${res.status}`;
  throw new ConfigError(why);
}
