/** Test worlds for the webhook-backed APIs (Account Activity, X Activity, compliance): made-up users and a receiver. */
import { startTestServer, type TestServer } from '@roost/dev-env';
import { startReceiver, type Receiver } from '@roost/dev-env/webhook-receiver';
import { buildConfig, snowflakeAt, type Config } from '@roost/server';
import type { UserRow } from '../../src/data/rows.js';
import { testUser } from '../../src/pipeline/test-rows.js';

/**
 * A user made up for one test file: id `n` of snowflake worker `worker` at time `t` (each file its own worker, so
 * files never collide), created at `t`, with a picture named after the username.
 */
export function madeUpUser(t: number, worker: number, n: number, username: string, over: Partial<UserRow> = {}): UserRow {
  return testUser(snowflakeAt(t, worker, n), { username, name: username, profileImageUrl: `https://img.example/${username}.png`, createdAt: t, ...over });
}

export interface WebhookServer {
  s: TestServer;
  rx: Receiver;
  /** The webhook registered for `rx` by the default app. */
  webhookId: string;
  close(): Promise<void>;
}

/**
 * A test server (limits out of the way, loopback webhooks polled every 20 ms, `config` on top) holding `users`, and
 * a receiver registered as the default app's webhook.
 */
export async function startWebhookServer(users: UserRow[], config: Partial<Config> = {}): Promise<WebhookServer> {
  const s = await startTestServer({
    limits: { '*': { app: 100000, user: 100000 } },
    config: { webhooks: { ...buildConfig({}).webhooks, allowLoopback: true, pollMs: 20 }, ...config },
  });
  await s.handle.ctx.repos.users.insertMany(users);
  const rx = await startReceiver(s.handle.boot.createdApp!.consumerSecret);
  const webhookId = (await s.request('POST', '/2/webhooks', { body: { url: rx.url } })).body.data.id;
  return {
    s,
    rx,
    webhookId,
    close: async () => {
      await rx.close();
      await s.close();
    },
  };
}
