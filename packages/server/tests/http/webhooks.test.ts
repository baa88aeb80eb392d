/**
 * Webhook registration against a real local receiver (FACTS §12.3): POST /2/webhooks runs the CRC at once and a
 * wrong answer, a non-200, a redirect or a timeout fails it with X's error; PUT runs it again and marks the webhook
 * invalid or valid; the URL rules (https without a port, loopback only behind the setting); list and delete.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { buildConfig } from '@roost/server';
import { startReceiver, type Receiver } from '@roost/dev-env/webhook-receiver';

let s: TestServer;
let rx: Receiver;
let secret: string;

const webhooks = (over: Partial<ReturnType<typeof buildConfig>['webhooks']> = {}) => ({ ...buildConfig({}).webhooks, allowLoopback: true, pollMs: 20, crcTimeoutMs: 400, perApp: 3, ...over });

beforeAll(async () => {
  s = await startTestServer({ limits: { '*': { app: 100000, user: 100000 } }, config: { webhooks: webhooks() } });
  secret = s.handle.boot.createdApp!.consumerSecret;
  rx = await startReceiver(secret);
});
afterAll(async () => {
  await rx?.close();
  await s?.close();
});
afterEach(async () => {
  rx.crc = 'ok';
  const list = await s.get('/2/webhooks');
  for (const w of list.body.data) await s.request('DELETE', `/2/webhooks/${w.id}`);
});

const register = (url = rx.url) => s.request('POST', '/2/webhooks', { body: { url } });
const reason = (r: { body: any }) => String(r.body.errors?.[0]?.message ?? '').split(':')[0];

describe('POST /2/webhooks: registration runs the CRC at once', () => {
  it('a receiver answering the CRC with the consumer secret registers a valid webhook', async () => {
    const before = rx.crcRequests.length;
    const r = await register();
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ id: expect.stringMatching(/^\d{18,19}$/), url: rx.url, valid: true, created_at: new Date(s.clock.now()).toISOString() });
    expect(rx.crcRequests.length).toBe(before + 1);
    expect(rx.crcRequests.at(-1)!.searchParams.get('crc_token')).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
    const list = await s.get('/2/webhooks');
    expect(list.body).toEqual({ data: [r.body.data], meta: { result_count: 1 } });
  });

  it('a wrong response_token fails with CrcValidationFailed and stores nothing', async () => {
    rx.crc = 'wrong';
    const r = await register();
    expect(r.status).toBe(400);
    expect(r.body.title).toBe('Invalid Request');
    expect(r.body.errors[0].parameters).toEqual({ url: [rx.url] });
    expect(reason(r)).toBe('CrcValidationFailed');
    expect((await s.get('/2/webhooks')).body).toEqual({ data: [], meta: { result_count: 0 } });
  });

  it('a non-200 answer, a redirect (never followed) and a timeout each fail the CRC', async () => {
    rx.crc = 500;
    expect(reason(await register())).toBe('CrcValidationFailed');
    const target = await startReceiver(secret, '/elsewhere');
    try {
      rx.crc = { redirect: target.url };
      const r = await register();
      expect(reason(r)).toBe('CrcValidationFailed');
      expect(r.body.errors[0].message).toContain('302');
      expect(target.crcRequests).toHaveLength(0);
    } finally {
      await target.close();
    }
    rx.crc = 'hang';
    const t0 = Date.now();
    const r = await register();
    expect(reason(r)).toBe('CrcValidationFailed');
    expect(r.body.errors[0].message).toContain('timed out');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
  });

  it('URL rules: https without a port; plain http or a port only for loopback addresses', async () => {
    for (const url of ['http://example.com/hook', 'https://example.com:8443/hook', 'ftp://example.com/x', 'not a url', 'https://user:pw@example.com/x']) {
      const r = await register(url);
      expect(r.status, url).toBe(400);
      expect(reason(r), url).toBe('UrlValidationFailed');
    }
    // Longer than the spec's 200 characters: the body is refused before any check.
    const long = await register(`https://example.com/${'a'.repeat(200)}`);
    expect(long.status).toBe(400);
    expect(long.body.errors[0].message).toContain('$.url');
  });

  it('the same URL twice is DuplicateUrlFailed; past the app limit WebhookLimitExceeded', async () => {
    expect((await register()).status).toBe(200);
    expect(reason(await register())).toBe('DuplicateUrlFailed');
    const others = await Promise.all([startReceiver(secret, '/b'), startReceiver(secret, '/c'), startReceiver(secret, '/d')]);
    try {
      expect((await register(others[0]!.url)).status).toBe(200);
      expect((await register(others[1]!.url)).status).toBe(200);
      const r = await register(others[2]!.url);
      expect(reason(r)).toBe('WebhookLimitExceeded');
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });
});

describe('PUT /2/webhooks/:id re-runs the CRC', () => {
  it('a failing check marks the webhook invalid; a passing one makes it valid again', async () => {
    const id = (await register()).body.data.id;
    rx.crc = 503;
    const bad = await s.request('PUT', `/2/webhooks/${id}`);
    expect(bad.status).toBe(400);
    expect(reason(bad)).toBe('CrcValidationFailed');
    expect((await s.get('/2/webhooks')).body.data[0].valid).toBe(false);
    rx.crc = 'ok';
    const good = await s.request('PUT', `/2/webhooks/${id}`);
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ data: { valid: true } });
    expect((await s.get('/2/webhooks')).body.data[0].valid).toBe(true);
  });

  it('an unknown webhook or another app’s is WebhookIdInvalid', async () => {
    const r = await s.request('PUT', '/2/webhooks/1234567890123456789');
    expect(r.status).toBe(400);
    expect(reason(r)).toBe('WebhookIdInvalid');
    expect(r.body.errors[0].parameters).toEqual({ webhook_id: ['1234567890123456789'] });
  });
});

describe('DELETE /2/webhooks/:id', () => {
  it('deletes the webhook; deleting it again is WebhookIdInvalid', async () => {
    const id = (await register()).body.data.id;
    const r = await s.request('DELETE', `/2/webhooks/${id}`);
    expect(r.body).toEqual({ data: { deleted: true } });
    expect(reason(await s.request('DELETE', `/2/webhooks/${id}`))).toBe('WebhookIdInvalid');
  });

  it('malformed ids are X’s 400 for the parameter; app-only management needs a token', async () => {
    const r = await s.request('DELETE', '/2/webhooks/abc');
    expect(r.status).toBe(400);
    expect(r.body.errors[0].parameters).toHaveProperty('webhook_id');
    expect((await s.request('GET', '/2/webhooks', { token: null })).status).toBe(401);
  });
});

describe('loopback URLs need the setting', () => {
  it('without ROOST_WEBHOOK_ALLOW_LOOPBACK a loopback receiver is refused before any request is made', async () => {
    const strict = await startTestServer({ config: { webhooks: webhooks({ allowLoopback: false }) } });
    try {
      const before = rx.crcRequests.length;
      const r = await strict.request('POST', '/2/webhooks', { body: { url: rx.url } });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].message).toMatch(/^UrlValidationFailed: .*ROOST_WEBHOOK_ALLOW_LOOPBACK/);
      expect(rx.crcRequests.length).toBe(before);
    } finally {
      await strict.close();
    }
  });
});
