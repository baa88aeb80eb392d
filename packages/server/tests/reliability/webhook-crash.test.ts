/**
 * No webhook event is lost to a crash: a real Roost process delivers Account Activity events of a steady stream of
 * posts to a real (slow) receiver and is killed with SIGKILL in the middle — events committed but not yet fanned
 * out, deliveries in flight, retries waiting — three times. After the last restart every acknowledged post reaches
 * the receiver (at least once; duplicates carry the same delivery or event id), every POST signed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crashEnv, serve, type Served } from './roost-process.js';
import { startReceiver, type Receiver } from '@roost/dev-env/webhook-receiver';

const BEARER = 'AAAAAAAAAAAAAAAAAAAAAwebhookcrashbearer00000000000000000000000000';
const USER_TOKEN = 'webhook-crash-user-token-00000000000000000000000';
const ROUNDS = 3;
const CLIENTS = 6;

const dir = mkdtempSync(join(tmpdir(), 'roost-webhook-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (): NodeJS.ProcessEnv =>
  crashEnv(
    { dir, db: join(dir, 'roost.db'), bearer: BEARER, userToken: USER_TOKEN },
    { ROOST_WEBHOOK_ALLOW_LOOPBACK: 'on', ROOST_WEBHOOK_POLL_MS: '50', ROOST_WEBHOOK_TIMEOUT_MS: '1000', ROOST_WEBHOOK_RETRY_BASE_MS: '200' },
  );

const call = async (url: string, method: string, path: string, token: string, body?: unknown) => {
  const r = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, json: (await r.json().catch(() => null)) as any };
};

/** Posts from several clients until the process dies; every acknowledged post id is kept. */
async function postUntilKilled(url: string, round: number, acked: Set<string>): Promise<void> {
  let alive = true;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, k) => {
      for (let i = 0; alive; i++) {
        try {
          const r = await call(url, 'POST', '/2/tweets', USER_TOKEN, { text: `webhook crash round ${round} client ${k} post ${i}` });
          if (r.status === 201) acked.add(r.json.data.id);
        } catch {
          alive = false;
        }
      }
    }),
  );
}

const postIdOf = (body: any): string | undefined => body?.tweet_create_events?.[0]?.id_str;

describe('kill -9 during webhook delivery', () => {
  it('every acknowledged post is delivered after restarts, none lost', async () => {
    let srv: Served = await serve(env());
    let rx: Receiver | undefined;
    try {
      // The first start prints the default app's consumer secret once: the receiver signs and checks with it.
      const secret = /consumer secret: (\S+)/.exec(srv.output())?.[1];
      expect(secret).toBeTruthy();
      rx = await startReceiver(secret!);
      // Slow answers: at any moment several deliveries are in flight.
      rx.then = { delayMs: 40 };
      const hook = await call(srv.url, 'POST', '/2/webhooks', BEARER, { url: rx.url });
      expect(hook.status).toBe(200);
      const sub = await call(srv.url, 'POST', `/2/account_activity/webhooks/${hook.json.data.id}/subscriptions/all`, USER_TOKEN);
      expect(sub.json).toEqual({ data: { subscribed: true } });

      const acked = new Set<string>();
      for (let round = 0; round < ROUNDS; round++) {
        const running = postUntilKilled(srv.url, round, acked);
        await new Promise((r) => setTimeout(r, 1200 + round * 300));
        const seenAtKill = rx.deliveries.length;
        srv.child.kill('SIGKILL');
        await running;
        await srv.exited;
        // The kill came in the middle of delivery: posts were acknowledged that had not reached the receiver yet.
        const reached = new Set(rx.deliveries.map((d) => postIdOf(d.body)));
        expect([...acked].filter((id) => !reached.has(id)).length, `round ${round}: posts still undelivered at the kill`).toBeGreaterThan(0);
        expect(seenAtKill).toBeGreaterThan(0);
        srv = await serve(env());
      }

      rx.then = 200;
      const deadline = Date.now() + 60_000;
      let missing: string[] = [];
      do {
        await new Promise((r) => setTimeout(r, 250));
        const reached = new Set(rx.deliveries.map((d) => postIdOf(d.body)));
        missing = [...acked].filter((id) => !reached.has(id));
      } while (missing.length && Date.now() < deadline);
      console.log(`webhook crash safety: ${ROUNDS} kill -9 rounds, ${acked.size} acknowledged posts, ${rx.deliveries.length} POSTs received, ${missing.length} lost`);
      expect(missing).toEqual([]);
      expect(rx.deliveries.every((d) => d.signatureValid)).toBe(true);
      // A post delivered twice is the same event (and, unless fanned out again, the same delivery).
      const byPost = new Map<string, Set<string>>();
      for (const d of rx.deliveries) {
        const id = postIdOf(d.body)!;
        if (!byPost.has(id)) byPost.set(id, new Set());
        byPost.get(id)!.add(String(d.headers['x-roost-event-id']));
      }
      expect([...byPost.values()].every((events) => events.size === 1)).toBe(true);
      expect(acked.size).toBeGreaterThan(30);
    } finally {
      srv.child.kill('SIGTERM');
      await srv.exited;
      await rx?.close();
    }
  }, 180_000);
});

