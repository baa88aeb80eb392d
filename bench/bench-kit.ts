/** Small pieces the benchmark scripts share: logging, flags, one JSON request, percentiles, the child/parent entry. */
import http from 'node:http';

/** Progress and diagnostics go to standard error; standard output carries only results. */
export const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** A flag that must be a number in (0, max] (120 unless told): seconds of a run, rounds, connections. */
export function positive(name: string, v: string | undefined, max = 120): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number in (0, ${max}], got ${v}`);
  return n;
}

/** One request with a bearer token and an optional JSON body through `agent`; resolves with status and text. */
export function jsonCall(
  agent: http.Agent,
  url: string,
  method: string,
  token: string,
  body?: unknown,
  timeoutMs?: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, { method, agent, headers: { authorization: `Bearer ${token}`, ...(data ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

/** The q-quantile of the samples (nearest rank, below); NaN without samples. */
export const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

/**
 * The entry of a benchmark that runs its server in a child process of itself: as the child, `child` (a failure ends
 * the process with its stack); as the parent, `main`, whose answer is the exit code (a failure: BENCH FAILED, 1).
 */
export function benchEntry(name: string, isChild: boolean, child: () => Promise<void>, main: () => Promise<number>): void {
  if (isChild) {
    child().catch((err: unknown) => {
      log(`${name} child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    });
  } else {
    main().then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        log(`\nBENCH FAILED: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
      },
    );
  }
}
