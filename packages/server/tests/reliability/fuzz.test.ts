/**
 * The contract fuzzer (issue 15): at least 10,000 invalid requests per run over every declared operation, sent
 * over real sockets. Every answer must be X-shaped JSON with a status below 500, within 5 s.
 * `ROOST_FUZZ_SEED` and `ROOST_FUZZ_CASES` change the run; a failure prints the case to replay.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { operations } from '../../src/api/index.js';
import { descriptorOf } from '../../src/http/operation-route.js';
import { fuzzCases, type FuzzCase } from './fuzz-cases.js';

const SEED = Number(process.env.ROOST_FUZZ_SEED ?? 20261207);
const CASES = Number(process.env.ROOST_FUZZ_CASES ?? 10_000);
const DEADLINE_MS = 5_000;
const IN_FLIGHT = 16;

let s: TestServer;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

beforeAll(async () => {
  s = await startTestServer({ users: 150, posts: 1500, limits: { '*': { app: 10_000_000, user: 10_000_000 } } });
  port = Number(new URL(s.url).port);
});
afterAll(async () => {
  agent.destroy();
  await s?.close();
});

interface Answer {
  status: number;
  body: string;
  contentType: string;
  ms: number;
  streamed?: boolean;
}

function send(c: FuzzCase, streaming: boolean): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    // A body always states its length (Node would frame a DELETE's body as nothing, and the server would read it as
    // a second request).
    const headers = c.body === undefined ? c.headers : { ...c.headers, 'content-length': String(Buffer.byteLength(c.body)) };
    const req = request({ host: '127.0.0.1', port, method: c.method, path: c.url, headers, agent }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      if (streaming && res.statusCode === 200) {
        // A case that turned out valid opened a stream: a good answer, not a hang.
        res.destroy();
        req.destroy();
        resolve({ status: 200, body: '{}', contentType, ms: performance.now() - t0, streamed: true });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType, ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.setTimeout(DEADLINE_MS, () => req.destroy(new Error(`no answer within ${DEADLINE_MS} ms`)));
    req.on('error', reject);
    if (c.body !== undefined) req.end(c.body);
    else req.end();
  });
}

/** X's shapes: a Problem, an invalid-request list, or a v1.1 error list (`{request, error}` for v1.1 uploads). */
function xShaped(status: number, text: string): boolean {
  if (status === 204) return text === '';
  let b: any;
  try {
    b = JSON.parse(text);
  } catch {
    return false;
  }
  if (status < 400) return typeof b === 'object' && b !== null;
  if (typeof b?.title === 'string' && typeof b?.type === 'string') return true;
  if (Array.isArray(b?.errors) && b.errors.every((e: any) => e && typeof e === 'object' && ('message' in e || 'title' in e))) return true;
  return typeof b?.request === 'string' && typeof b?.error === 'string';
}

describe('contract fuzzer', () => {
  it(`answers ${CASES} invalid requests over every operation in X's shapes, below 500, within 5 s`, async () => {
    const descriptors = operations.map(descriptorOf);
    const streaming = new Set(descriptors.filter((d) => d.streaming).map((d) => d.operationId));
    const cases = fuzzCases(
      descriptors,
      {
        bearer: s.bearer,
        user: s.userToken,
        pathValues: { id: '2244994945', username: 'XDevelopers', source_user_id: '2244994945', target_user_id: '783214', tweet_id: '1', source_tweet_id: '1', media_key: '3_1', folder_id: '1', endpoint_id: 'filtered_stream' },
      },
      CASES,
      SEED,
    );
    const failures: string[] = [];
    const counts = { sent: 0, by5xx: 0, hangs: 0, shapes: 0, streamed: 0 };
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        counts.sent++;
        try {
          const a = await send(c, streaming.has(c.operationId));
          if (a.streamed) counts.streamed++;
          if (a.status >= 500) counts.by5xx++;
          if (a.ms > DEADLINE_MS) counts.hangs++;
          if (a.status >= 500 || a.ms > DEADLINE_MS || !xShaped(a.status, a.body)) {
            if (!xShaped(a.status, a.body)) counts.shapes++;
            if (failures.length < 20) failures.push(`${c.kind}: ${c.method} ${c.url} → ${a.status} in ${Math.round(a.ms)} ms: ${a.body.slice(0, 200)}`);
          }
        } catch (err) {
          counts.hangs++;
          if (failures.length < 20) failures.push(`${c.kind}: ${c.method} ${c.url} → ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    console.log(`fuzz seed ${SEED}: ${counts.sent} requests over ${descriptors.length} operations, ${counts.by5xx} 5xx, ${counts.hangs} hangs, ${counts.shapes} not X-shaped, ${counts.streamed} valid streams`);
    expect(counts.sent).toBeGreaterThanOrEqual(CASES);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 300_000);
});
