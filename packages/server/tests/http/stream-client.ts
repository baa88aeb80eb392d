/**
 * A raw streaming client for tests: one real socket, every received byte kept, frames split on `\r\n` exactly
 * as X's clients do. Waiting helpers fail (rather than hang) after a generous bound.
 */
import http from 'node:http';
import { recordApiHit, type TestServer } from '@roost/dev-env';

const WAIT_MS = 10_000;

export class StreamClient {
  raw = '';
  chunks = 0;
  ended = false;
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly req: http.ClientRequest,
    readonly res: http.IncomingMessage,
  ) {
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      this.raw += c;
      this.chunks++;
      this.wake();
    });
    res.on('end', () => {
      this.ended = true;
      this.wake();
    });
    res.on('close', () => {
      this.closed = true;
      this.wake();
    });
    res.on('error', () => undefined);
    req.on('error', () => undefined);
  }

  static open(s: TestServer, path: string, query: Record<string, string | number> = {}, token: string = s.bearer): Promise<StreamClient> {
    const u = new URL(path, s.url);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, String(v));
    return new Promise((resolve, reject) => {
      const req = http.get(u, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
        recordApiHit('GET', u.pathname, res.statusCode ?? 0);
        resolve(new StreamClient(req, res));
      });
      req.on('error', reject);
    });
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  /** Complete `\r\n`-terminated frames so far (keep-alives are empty strings). */
  get frames(): string[] {
    const parts = this.raw.split('\r\n');
    parts.pop();
    return parts;
  }

  /** Parsed JSON messages so far (keep-alives skipped). */
  get messages(): any[] {
    return this.frames.filter((f) => f !== '').map((f) => JSON.parse(f));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves once `cond` holds; rejects after a bound so a broken stream fails instead of hanging. */
  async until(cond: () => boolean, what = 'condition'): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`stream: timed out waiting for ${what}; got ${JSON.stringify(this.raw.slice(-500))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  async messageCount(n: number): Promise<any[]> {
    await this.until(() => this.messages.length >= n, `${n} messages`);
    return this.messages;
  }

  /** The whole body of a non-streaming answer (errors). */
  async body(): Promise<any> {
    await this.until(() => this.ended || this.closed, 'end of body');
    return JSON.parse(this.raw);
  }

  close(): void {
    this.req.destroy();
  }
}

/** Polls `cond` (every 10 ms, up to 5 s) and fails the test when it never holds. */
export async function eventually(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error('condition never held');
}
