/**
 * Shared set-up of the webhook tests: a test server that may deliver to loopback receivers (polling fast), a real
 * local receiver holding the app's consumer secret, a webhook registered at it, and users to insert.
 */
import { startTestServer, type TestServer } from '@roost/dev-env';
import { buildConfig, snowflakeAt } from '@roost/server';
import { startReceiver, type Receiver } from '@roost/dev-env/webhook-receiver';
import type { UserRow } from '../../src/data/rows.js';

export interface WebhookWorld {
  s: TestServer;
  rx: Receiver;
  webhookId: string;
}

export async function startWebhookWorld(): Promise<WebhookWorld> {
  const s = await startTestServer({ limits: { '*': { app: 100000, user: 100000 } }, config: { webhooks: { ...buildConfig({}).webhooks, allowLoopback: true, pollMs: 20 } } });
  const rx = await startReceiver(s.handle.boot.createdApp!.consumerSecret);
  const webhookId = (await s.request('POST', '/2/webhooks', { body: { url: rx.url } })).body.data.id as string;
  return { s, rx, webhookId };
}

/** A public user row created at `at`, its id a snowflake of that time (`worker` keeps test files apart). */
export function userRow(at: number, worker: number, n: number, username: string, over: Partial<UserRow> = {}): UserRow {
  return {
    id: snowflakeAt(at, worker, n), username, name: username, description: `bio of ${username}`, location: null, url: null,
    profileImageUrl: `https://img.example/${username}.png`, profileBannerUrl: null, protected: false, verified: false, verifiedType: 'none',
    suspended: false, createdAt: at, pinnedPostId: null, mostRecentPostId: null, followersCount: 0, followingCount: 0, tweetCount: 0,
    listedCount: 0, likeCount: 0, entities: null, withheld: null, ...over,
  };
}
