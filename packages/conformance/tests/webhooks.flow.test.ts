/**
 * Webhooks through X's official SDK (xdk 0.6.6): register a local receiver (Roost runs its CRC against it at once),
 * list, subscribe @XDevelopers to Account Activity in user context, receive a post as a signed
 * tweet_create_events POST, re-validate, check the subscription count, unsubscribe and delete. The receiver answers
 * CRC and checks signatures with the default app's consumer secret, the way X's quickstart writes one; Roost runs
 * with ROOST_WEBHOOK_ALLOW_LOOPBACK so a local http:// URL may be registered.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiError, Client } from '@xdevplatform/xdk';
import { startReceiver, type Receiver } from '@roost/dev-env/webhook-receiver';
import { startRoost, XDEVELOPERS, type Roost } from '../src/index.js';

let roost: Roost;
let rx: Receiver;

beforeAll(async () => {
  roost = await startRoost(inject('roostTemplate'), { env: { ROOST_WEBHOOK_ALLOW_LOOPBACK: 'on', ROOST_WEBHOOK_POLL_MS: '50' } });
  rx = await startReceiver(roost.consumerSecret);
});
afterAll(async () => {
  await rx?.close();
  await roost?.stop();
});

describe('xdk: webhooks and Account Activity', () => {
  it('create → get → createSubscription → a signed delivery → validate → count → deleteSubscription → delete', async () => {
    const app = new Client({ bearerToken: roost.bearer });
    const me = new Client({ accessToken: roost.userToken });

    const created = await app.webhooks.create({ url: rx.url });
    expect(created.data).toMatchObject({ url: rx.url, valid: true });
    expect(rx.crcRequests).toHaveLength(1);
    const id = created.data!.id!;

    const list = await app.webhooks.get();
    expect(list.data?.map((w) => w.id)).toEqual([id]);

    const sub = await me.accountActivity.createSubscription(id, {});
    expect(sub.data).toEqual({ subscribed: true });
    expect((await me.accountActivity.validateSubscription(id)).data).toEqual({ subscribed: true });

    const posted = await roost.api('POST', '/2/tweets', { token: roost.userToken, body: { text: 'delivered to a webhook registered through xdk' } });
    expect(posted.status).toBe(201);
    const [delivery] = await rx.waitFor(1);
    expect(delivery!.signatureValid).toBe(true);
    expect(delivery!.body).toMatchObject({ for_user_id: XDEVELOPERS.id, tweet_create_events: [{ id_str: posted.body.data.id, user: { screen_name: XDEVELOPERS.username } }] });

    expect((await app.webhooks.validate(id)).data).toEqual({ valid: true });
    expect(rx.crcRequests).toHaveLength(2);
    const count = await app.accountActivity.getSubscriptionCount();
    expect(count.data).toMatchObject({ subscriptionsCountAll: '1' });

    expect((await app.accountActivity.deleteSubscription(id, XDEVELOPERS.id)).data).toEqual({ subscribed: false });
    expect((await app.webhooks.delete(id)).data).toEqual({ deleted: true });
    expect((await app.webhooks.get()).data).toEqual([]);
  });

  it('a receiver that answers the CRC wrongly: xdk raises ApiError 400 with CrcValidationFailed', async () => {
    const app = new Client({ bearerToken: roost.bearer });
    rx.crc = 'wrong';
    try {
      const err = await app.webhooks.create({ url: rx.url }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect(JSON.stringify((err as ApiError).data)).toContain('CrcValidationFailed');
    } finally {
      rx.crc = 'ok';
    }
  });
});
