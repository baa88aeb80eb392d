/** Building an `ApiError` from a non-2xx response (retries, streams, OAuth helpers). */
import { ApiError } from './errors.js';
import { parseRateLimit } from './rate-limit.js';
import type { HeaderBag } from './transport.js';

export function messageOf(status: number, statusText: string, data: any): string {
  if (data && typeof data === 'object') {
    const text = data.message ?? data.detail ?? data.title ?? data.error_description ?? data.errors?.[0]?.message;
    if (typeof text === 'string') return `HTTP ${status}: ${text}`;
  }
  return `HTTP ${status}: ${statusText}`;
}

/** Parses an error body: JSON when it is JSON, else the text, else undefined. */
export function parseBody(text: string): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Copies any header bag into a WHATWG `Headers`. */
export function toHeaders(h: HeaderBag): Headers {
  if (typeof Headers !== 'undefined' && h instanceof Headers) return h;
  const out = new Headers();
  const raw: Record<string, string | string[] | undefined> = (h as any).raw ?? {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
  return out;
}

/** The `ApiError` of a non-2xx response (a transport's or `fetch`'s), its body read and parsed. */
export async function responseError(res: { status: number; statusText: string; headers: HeaderBag; text(): Promise<string> }): Promise<ApiError> {
  const data = parseBody(await res.text().catch(() => ''));
  return new ApiError(messageOf(res.status, res.statusText, data), res.status, res.statusText, toHeaders(res.headers), data, parseRateLimit(res.headers));
}
