/**
 * The request log of the admin API: what reached X's paths, with the operation, how it authenticated, for which
 * app and user, the answer's status and, for requests with a body, the body — "what did my bot post, with which
 * auth". In memory, the last `capacity` requests.
 */
import type { AuthKind, RequestLogEntry } from './protocol.js';

export interface RequestLogFilter {
  since?: number;
  operation?: string;
  app?: string;
  user?: string;
  method?: string;
  status?: number;
  limit?: number;
}

export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = 10_000) {}

  add(e: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const entry = { seq: ++this.seq, ...e };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  list(f: RequestLogFilter = {}): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    const method = f.method?.toUpperCase();
    for (const e of this.entries) {
      if (f.since !== undefined && e.seq <= f.since) continue;
      if (f.operation !== undefined && e.operation_id !== f.operation) continue;
      if (f.app !== undefined && e.app_id !== f.app) continue;
      if (f.user !== undefined && e.user_id !== f.user) continue;
      if (method !== undefined && e.method !== method) continue;
      if (f.status !== undefined && e.status !== f.status) continue;
      out.push(e);
    }
    return f.limit !== undefined && out.length > f.limit ? out.slice(out.length - f.limit) : out;
  }

  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** What a request presented, for the log (the principal, when it authenticated, says more). */
export function presentedAuth(authorization: string | undefined): AuthKind {
  const a = (authorization ?? '').trimStart();
  if (/^bearer\s/i.test(a)) return 'oauth2-app';
  if (/^oauth\s/i.test(a)) return 'oauth1-user';
  if (/^basic\s/i.test(a)) return 'basic';
  return 'none';
}
